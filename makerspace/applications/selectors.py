"""Reads for the applicant's pages, each with a fixed number of queries."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, QuerySet
from django.utils.dateparse import parse_datetime

from makerspace.accounts.models import Nature
from makerspace.accounts.selectors import named_user_only
from makerspace.core.prepared import Prepared, related_rows
from makerspace.permissions import VisibleQuery, application_query, visible_applications

from .models import (
    Application,
    ApplicationEvent,
    ApplicationVersion,
    Attachment,
    BasicInfo,
    MakerSpace,
    ProvincialFiling,
    Report,
    SectionDraft,
    SuccessCase,
)


def applications_of_applicant(user) -> QuerySet[Application]:
    return (
        visible_applications(user)
        .select_related("space", "batch", "recommending_unit", "supervisor")
        .prefetch_related("batch__steps")
        .order_by("-batch__year", "-created_at")
    )


def spaces_of_applicant(user) -> QuerySet[MakerSpace]:
    return MakerSpace.objects.filter(organisation_id=user.organisation_id).annotate(
        application_count=Count("applications")
    )


# What every applicant page's header shows (applications/_header.html).
HEADER_RELATIONS = ("space__organisation", "batch", "recommending_unit", "supervisor")


def application_for_page_queryset(*also: str) -> QuerySet[Application]:
    """The application with the relations its header shows, and `also` those its page uses.

    Each relation joined costs SQL to build and a row to make on every request, so a page joins
    only what it shows (附件2's sections their `basic_info`, the report its `report`)."""
    return Application.objects.select_related(*HEADER_RELATIONS, *also)


def application_detail_queryset() -> QuerySet[Application]:
    """The overview page's application with what its readiness check reads (附件2, 附件3). Its
    files are read apart (`attachments_of`), once for the readiness check (R3, R4) and the list
    alike: compiled once, where a prefetch here would compile its SQL on every request."""
    return application_for_page_queryset("basic_info", "report")


def application_for_write_queryset(*related: str) -> QuerySet[Application]:
    """A POST that saves and redirects (or answers htmx) renders no page: the application with its
    space (whose organisation owns it, for the permission) and what the write itself reads. A
    POST refused with a form's errors renders its page, which reads the rest as it goes."""
    return Application.objects.select_related("space", *related)


def page_query(*also: str) -> VisibleQuery:
    """`application_for_page_queryset(*also)` for get_application_for, compiled once a shape."""
    return application_query(application_for_page_queryset, *also)


def detail_query() -> VisibleQuery:
    return application_query(application_detail_queryset)


def write_query(*related: str) -> VisibleQuery:
    return application_query(application_for_write_queryset, *related)


def _section_draft(application_id: int, section: str) -> QuerySet[SectionDraft]:
    # At most one per section (one_draft_per_section): no ordering for first() to add.
    return SectionDraft.objects.filter(application_id=application_id, section=section)[:1]


def _section_draft_id(application_id: int, section: str) -> QuerySet[SectionDraft]:
    return SectionDraft.objects.filter(application_id=application_id, section=section).values_list(
        "pk", flat=True
    )[:1]


# Every section page and every autosave asks for its kept draft (mostly there is none).
_SECTION_DRAFT = Prepared(_section_draft, int, str)
_SECTION_DRAFT_ID = Prepared(_section_draft_id, int, str)


def section_draft(application: Application, section: str) -> SectionDraft | None:
    """What was typed in the section but did not validate yet, if anything was."""
    return _SECTION_DRAFT.first(application.pk, section)


def section_draft_id(application: Application, section: str) -> int | None:
    return _SECTION_DRAFT_ID.first(application.pk, section)


def _legal_representative(application_id: int) -> QuerySet:
    return BasicInfo.objects.filter(application_id=application_id).values_list("legal_representative")[:1]


_LEGAL_REPRESENTATIVE = Prepared(_legal_representative, int)


def legal_representative(application: Application) -> str:
    """附件2's legal representative, the signatory the commitment page proposes ("" before 附件2)."""
    return next((name for (name,) in _LEGAL_REPRESENTATIVE(application.pk)), "")


def _attachments_of(application_id: int) -> QuerySet[Attachment]:
    return Attachment.objects.filter(application_id=application_id)


# The applicant's pages and their readiness check read the files (retired ones included, for R4),
# the overview its versions and timeline, and the readiness check its cases' count: each compiled
# once (makerspace.core.prepared), since every applicant page in the rush reads them by id alone.
_ATTACHMENTS = Prepared(_attachments_of, int)


def attachments_of(application: Application) -> list[Attachment]:
    """Every file of the application, retired ones included, kind then upload time."""
    return related_rows(application, "attachments", _ATTACHMENTS)


def current_attachments(
    application: Application, attachments: list[Attachment] | None = None
) -> list[Attachment]:
    # The applicant's pages list kind, title, size and digest: nobody's user row is joined.
    # Filtered here rather than in SQL so that a page that read every file (for its readiness
    # check) reads them once.
    rows = attachments_of(application) if attachments is None else attachments
    return [attachment for attachment in rows if attachment.retired_at is None]


def _success_cases_of(application_id: int) -> QuerySet[SuccessCase]:
    return SuccessCase.objects.filter(application_id=application_id)


_SUCCESS_CASES = Prepared(_success_cases_of, int)


def success_cases_of(application: Application) -> list[SuccessCase]:
    return related_rows(application, "success_cases", _SUCCESS_CASES)


def success_case_count(application: Application) -> int:
    """How many success cases the application has: a handful (the cases page adds at most
    MAX_CASES), read rather than counted, so that a prefetch of them serves as it serves
    success_cases_of."""
    return len(success_cases_of(application))


def _versions_of(application_id: int) -> QuerySet[ApplicationVersion]:
    return (
        ApplicationVersion.objects.filter(application_id=application_id)
        .select_related("submitted_by")
        .defer("data", *named_user_only("submitted_by"))
    )


_VERSIONS = Prepared(_versions_of, int)


def application_versions(application: Application) -> list[ApplicationVersion]:
    # A first draft (most applications on the deadline day) has no version yet: no query then.
    if not application.current_version:
        return []
    return related_rows(application, "versions", _VERSIONS)


def _events_of(application_id: int) -> QuerySet[ApplicationEvent]:
    return (
        ApplicationEvent.objects.filter(application_id=application_id)
        .select_related("actor")
        .defer(*named_user_only("actor"))
    )


_EVENTS = Prepared(_events_of, int)


def application_events(application: Application) -> list[ApplicationEvent]:
    """The timeline, newest first."""
    return related_rows(application, "events", _EVENTS)


def pending_return(application: Application, events: list[ApplicationEvent]) -> ApplicationEvent | None:
    """The return the applicant still has to answer: the latest event, while back in draft.

    `events` is the page's list, newest first, so this costs no query."""
    if application.is_editable and events and events[0].transition == "return_to_applicant":
        return events[0]
    return None


# A frozen version, read back in the notice's words --------------------------------------------

NOT_FILLED = "—"
CHOICE_LABELS = {"operator_nature": dict(Nature.choices), "provincial_filing": dict(ProvincialFiling.choices)}


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class Group:
    title: str
    rows: list[Row]


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name  # a field the form has since dropped keeps its key rather than vanish


def _shown(name: str, value) -> str:
    if value is None or value == "":
        return NOT_FILLED
    if isinstance(value, bool):
        return "是" if value else "否"
    if name in CHOICE_LABELS:
        return str(CHOICE_LABELS[name].get(value, value))
    return str(value)


def _rows(model, data: dict, names: list[str]) -> list[Row]:
    return [Row(_label(model, name), _shown(name, data.get(name))) for name in names]


def _ordered(model, data: dict) -> list[str]:
    """The model's own field order (a JSON column need not keep it), then any unknown keys."""
    known = [f.name for f in model._meta.concrete_fields if f.name in data]
    return known + sorted(set(data) - set(known))


def version_sections(version: ApplicationVersion) -> dict:
    """The snapshot of a version labelled with the forms' own words (verbose names), grouped as
    the applicant filled it in; nothing is read from the live records, so it shows what was sent."""
    from .forms import BASIC_SECTIONS

    data = version.data
    basic = data.get("basic_info", {})
    grouped = {name for _, names in BASIC_SECTIONS.values() for name in names}
    basic_groups = [
        Group(title, _rows(BasicInfo, basic, [n for n in names if n in basic]))
        for title, names in BASIC_SECTIONS.values()
    ]
    rest = [name for name in _ordered(BasicInfo, basic) if name not in grouped]
    if rest:
        basic_groups.append(Group("其他", _rows(BasicInfo, basic, rest)))
    organisation = data.get("organisation", {})
    settings = Group(
        "申报设置",
        [
            Row("众创空间名称", _shown("space", data.get("space"))),
            Row("运营主体", _shown("organisation", organisation.get("name"))),
            Row("统一社会信用代码", _shown("credit_code", organisation.get("credit_code"))),
            Row("申报批次", _shown("batch", data.get("batch", {}).get("title"))),
            Row("推荐单位", _shown("recommending_unit", data.get("recommending_unit"))),
            Row("主管部门", _shown("supervisor", data.get("supervisor"))),
            Row(
                _label(Application, "provincial_filing"),
                _shown("provincial_filing", data.get("provincial_filing")),
            ),
        ],
    )
    report = data.get("report", {})
    cases = [
        Group(
            f"{n}. {case.get('title') or NOT_FILLED}",
            _rows(SuccessCase, case, [name for name in _ordered(SuccessCase, case) if name != "position"]),
        )
        for n, case in enumerate(data.get("success_cases", []), start=1)
    ]
    kinds = dict(Attachment.Kind.choices)
    attachments = [
        {**a, "kind_label": kinds.get(a.get("kind"), a.get("kind"))} for a in data.get("attachments", [])
    ]
    commitment = data.get("commitment", {})
    return {
        "settings": settings,
        "basic_info": basic_groups,
        "report": _rows(Report, report, _ordered(Report, report)),
        "success_cases": cases,
        "attachments": attachments,
        "commitment": Row(
            _label(Application, "commitment_signatory"), _shown("signatory", commitment.get("signatory"))
        ),
        "commitment_signed_at": parse_datetime(commitment.get("signed_at") or ""),
    }
