"""Filed spaces for the applications the ministry had already filed before filed spaces existed."""

from django.db import migrations
from django.utils import timezone

FILED_STATES = ("filed", "published", "revoked")


def create_filed_spaces(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    ApplicationEvent = apps.get_model("applications", "ApplicationEvent")
    BasicInfo = apps.get_model("applications", "BasicInfo")
    FiledSpace = apps.get_model("filed", "FiledSpace")
    StatusChange = apps.get_model("filed", "StatusChange")
    applications = (
        Application.objects.filter(state__in=FILED_STATES, filed_space__isnull=True)
        .select_related("space__organisation", "batch", "recommending_unit")
        .order_by("pk")
    )
    for application in applications:
        info = BasicInfo.objects.filter(application=application).first()
        filing = ApplicationEvent.objects.filter(application=application, transition="file").order_by("at").first()
        revoked = application.state == "revoked"
        filed_space = FiledSpace.objects.create(
            application=application,
            space=application.space,
            batch=application.batch,
            number="",
            year=application.batch.year,
            name=application.space.name,
            operator=application.space.organisation,
            operator_name=(info.operator_name if info else "") or application.space.organisation.name,
            field=info.professional_direction if info else "",
            address=info.address if info else "",
            recommending_unit=application.recommending_unit,
            city=application.recommending_unit.city,
            status="revoked" if revoked else "active",
            filed_at=filing.at if filing else timezone.now(),
        )
        filed_space.number = f"BA{filed_space.year}{filed_space.pk:05d}"
        filed_space.save(update_fields=["number"])
        StatusChange.objects.create(
            filed_space=filed_space, target="active", reason="科技部备案", actor_id=filing.actor_id if filing else None
        )
        if revoked:
            revocation = (
                ApplicationEvent.objects.filter(application=application, transition="revoke").order_by("at").first()
            )
            StatusChange.objects.create(
                filed_space=filed_space,
                source="active",
                target="revoked",
                rule="revoke",
                reason=revocation.comment if revocation else "",
                actor_id=revocation.actor_id if revocation else None,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("filed", "0001_initial"),
        ("applications", "0003_chain_outcomes"),
    ]

    operations = [migrations.RunPython(create_filed_spaces, migrations.RunPython.noop)]
