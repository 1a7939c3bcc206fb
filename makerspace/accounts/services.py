from django.db import transaction

from makerspace.audit.services import audit_record
from makerspace.credit.services import registration_credit_warn

from .models import Organisation, Role, User


def organisation_register(*, form) -> User:
    """Create an applicant organisation and its first user from a valid RegistrationForm."""
    data = form.cleaned_data
    with transaction.atomic():
        organisation = Organisation(
            name=data["organisation_name"].strip(),
            credit_code=data["credit_code"],
            kind=Role.APPLICANT,
            nature=data["nature"],
            legal_representative=data["legal_representative"].strip(),
            email=data["email"],
            recommending_unit=data["recommending_unit"],
        )
        organisation.full_clean()
        organisation.save()
        user = form.save(commit=False)
        user.role = Role.APPLICANT
        user.organisation = organisation
        user.full_name = data["full_name"].strip()
        user.mobile = data["mobile"]
        user.email = data["email"]
        user.save()
        audit_record(
            action="organisation.register",
            actor=user,
            target=organisation,
            summary=f"注册单位 {organisation.name}（{organisation.credit_code}）",
        )
        # R8 at registration warns rather than refuses: the new user is told of any record in force.
        registration_credit_warn(user=user, organisation=organisation)
    return user
