"""Writes of the 公示: one transaction and one audit row each."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from makerspace.applications.models import Application
from makerspace.applications.workflow import State
from makerspace.audit.services import audit_record
from makerspace.core.errors import StateConflict
from makerspace.core.files import file_stored, files_atomic
from makerspace.core.uploads import inspect_upload
from makerspace.permissions import require

from .models import MIN_WORKING_DAYS, NoticeEntry, NoticePeriod, Objection
from .workdays import holidays_from, last_working_day


def notice_start(
    *, user, batch, title: str, body: str, contact: str, starts_on, working_days: int = MIN_WORKING_DAYS
) -> NoticePeriod:
    """Put the province's ranked list (formally passed, in the order of the province's ranks) on
    public notice for at least five working days."""
    require(user, "publicity.manage_notices", batch, "只有省科技厅可以发布公示。")
    if working_days < MIN_WORKING_DAYS:
        raise ValidationError({"working_days": f"公示期不少于{MIN_WORKING_DAYS}个工作日。"})
    if starts_on < timezone.localdate():
        raise ValidationError({"starts_on": "公示开始日期不能早于今天。"})
    ranked = list(
        Application.objects.filter(
            batch=batch, state=State.FORMAL_PASSED, province_rank__isnull=False
        ).order_by("province_rank", "pk")
    )
    if not ranked:
        raise ValidationError("本批次还没有排序的择优名单，请先在省级审查页面排序。")
    ends_on = last_working_day(starts_on, working_days, holidays_from(starts_on))
    notice = NoticePeriod(
        batch=batch,
        title=title.strip(),
        body=body.strip(),
        contact=contact.strip(),
        starts_on=starts_on,
        working_days=working_days,
        ends_on=ends_on,
        created_by=user,
    )
    notice.full_clean()
    with transaction.atomic():
        notice.save()
        NoticeEntry.objects.bulk_create(
            NoticeEntry(notice=notice, application=a, position=n) for n, a in enumerate(ranked, start=1)
        )
        audit_record(
            action="publicity.notice_start",
            actor=user,
            target=notice,
            summary=f"发布公示“{notice.title}”：{len(ranked)}项，{starts_on:%Y-%m-%d}至{ends_on:%Y-%m-%d}",
            payload={"applications": [a.pk for a in ranked], "working_days": working_days},
        )
    return notice


def objection_file(
    *,
    notice: NoticePeriod,
    name: str,
    phone: str,
    email: str,
    content: str,
    application_id: int | None = None,
    upload: UploadedFile | None = None,
) -> Objection:
    """Anyone files an objection during the period, without an account; an attachment is checked
    by its bytes like every upload."""
    if not notice.is_open_on(timezone.localdate()):
        raise StateConflict("不在公示期内，不能提交异议。")
    errors = {}
    if not name.strip():
        errors["name"] = "请填写姓名或单位名称。"
    if not phone.strip() and not email.strip():
        errors["phone"] = "请至少留下联系电话或Email中的一项，以便反馈处理结果。"
    if len(content.strip()) < 10:
        errors["content"] = "请具体写明异议的事实和理由（不少于10个字）。"
    application = None
    if application_id:
        entry = notice.entries.filter(application_id=application_id).select_related("application").first()
        if entry is None:
            errors["application"] = "该申报不在本次公示名单中。"
        else:
            application = entry.application
    if errors:
        raise ValidationError(errors)
    objection = Objection(
        notice=notice,
        application=application,
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        content=content.strip(),
    )
    if upload is not None:
        try:
            content_type, sha256, _ = inspect_upload(upload)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from None
        objection.attachment_original_name = (upload.name or "")[-255:]
        objection.attachment_content_type = content_type
        objection.attachment_sha256 = sha256
    objection.full_clean(exclude=["attachment"])
    with files_atomic():
        if upload is not None:
            objection.attachment.save("objection", upload, save=False)
            file_stored(objection.attachment)
        objection.save()
        audit_record(
            action="publicity.objection_file",
            target=objection,
            application=application,
            summary=f"收到异议（{notice.title}）",
            payload={"sha256": objection.attachment_sha256},
        )
    return objection


def objection_close(*, user, objection: Objection, outcome: str, handling_note: str) -> Objection:
    require(user, "publicity.handle_objection", objection, "只有省科技厅可以办结异议。")
    errors = {}
    if outcome not in Objection.Outcome.values:
        errors["outcome"] = "请选择处理结论。"
    if not handling_note.strip():
        errors["handling_note"] = "请填写核查和处理情况。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.is_closed:
            raise StateConflict("该异议已办结。")
        locked.outcome = outcome
        locked.handling_note = handling_note.strip()
        locked.closed_at = timezone.now()
        locked.closed_by = user
        locked.save(update_fields=["outcome", "handling_note", "closed_at", "closed_by"])
        audit_record(
            action="publicity.objection_close",
            actor=user,
            target=locked,
            application=locked.application,
            summary=f"办结异议：{locked.get_outcome_display()}",
            payload={"note": locked.handling_note},
        )
    objection.refresh_from_db()
    return objection
