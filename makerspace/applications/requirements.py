"""R1, R3 and R4 for the applicant's part: what must be true before an application is submitted.

`readiness(application)` is the one place that decides; the readiness panel shows its items and
`application_submit` refuses while any is unmet. Each item names its rule and where to fix it.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Application, Attachment, BasicInfo, ProvincialFiling, Report
from .selectors import attachments_of, success_case_count

MIN_CASES, MAX_CASES = 3, 5
# The province, its 13 设区市 and its county-level cities: an address in Jiangsu names one of them.
JIANGSU_MARKERS = (
    "江苏",
    "南京",
    "无锡",
    "徐州",
    "常州",
    "苏州",
    "南通",
    "连云港",
    "淮安",
    "盐城",
    "扬州",
    "镇江",
    "泰州",
    "宿迁",
    "江阴",
    "宜兴",
    "新沂",
    "邳州",
    "溧阳",
    "常熟",
    "张家港",
    "昆山",
    "太仓",
    "启东",
    "如皋",
    "海门",
    "海安",
    "东台",
    "仪征",
    "高邮",
    "丹阳",
    "扬中",
    "句容",
    "兴化",
    "靖江",
    "泰兴",
)
# An address that starts with another province is outside Jiangsu even if it names a 南京路.
OTHER_PROVINCES = (
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "台湾",
    "香港",
    "澳门",
)

BASIC_REQUIRED = [
    "founded_on",
    "operator_name",
    "operator_nature",
    "legal_representative",
    "legal_phone",
    "person_in_charge",
    "person_in_charge_mobile",
    "contact_name",
    "contact_mobile",
    "address",
    "email",
    "professional_direction",
    "team_size",
    "team_college_count",
    "mentor_count",
    "floor_area",
    "public_area",
    "angel_fund",
    "resident_projects",
    "resident_enterprises",
    "events_held",
    "built_by_enterprise",
    "built_by_university",
    "built_by_institute",
    "has_online_platform",
    "has_tech_platform",
]
REPORT_REQUIRED = [
    "builder_overview",
    "space_status",
    "overall_results",
    "goals_and_tasks",
    "organisation_and_support",
]
BUILDER_QUESTIONS = [
    ("built_by_enterprise", "builder_enterprise_name"),
    ("built_by_university", "builder_university_name"),
    ("built_by_institute", "builder_institute_name"),
]
PLATFORM_QUESTIONS = [
    ("has_online_platform", "online_platform_name"),
    ("has_tech_platform", "tech_platform_name"),
]


@dataclass(frozen=True)
class Item:
    rule: str
    message: str
    url: str


def _section_for(field: str) -> str:
    from .forms import section_of_field

    return section_of_field(field)


def _basic_url(application: Application, field: str) -> str:
    return reverse("applications:basic", args=[application.pk, _section_for(field)]) + f"#id_{field}"


def is_in_jiangsu(address: str) -> bool:
    compact = "".join(address.split()).removeprefix("中华人民共和国").removeprefix("中国")
    if compact.startswith(OTHER_PROVINCES):
        return False
    return any(marker in compact for marker in JIANGSU_MARKERS)


def check_r1_scope(application: Application, info: BasicInfo) -> list[Item]:
    """R1: in Jiangsu; built by an enterprise, a university or an institute; in the provincial filing."""
    items: list[Item] = []
    answers = [getattr(info, q) for q, _name in BUILDER_QUESTIONS]
    if not any(answers):
        items.append(
            Item(
                "R1",
                _(
                    "须由龙头骨干企业（高新技术企业）、高校或科研院所建设：三个“是否由…建立”中至少一项应为“是”。"
                ),
                _basic_url(application, "built_by_enterprise"),
            )
        )
    for question, name_field in BUILDER_QUESTIONS:
        if getattr(info, question) and not getattr(info, name_field).strip():
            label = BasicInfo._meta.get_field(question).verbose_name
            items.append(
                Item(
                    "R1",
                    _("“{label}”选“是”时须填写详细名称。").format(label=label),
                    _basic_url(application, name_field),
                )
            )
    if info.address and not is_in_jiangsu(info.address):
        items.append(
            Item(
                "R1",
                _("备案推荐对象须为江苏省内的众创空间，请填写江苏省内的单位地址。"),
                _basic_url(application, "address"),
            )
        )
    if application.provincial_filing not in (ProvincialFiling.FILED, ProvincialFiling.APPLYING):
        items.append(
            Item(
                "R1",
                _("须已纳入或申请纳入省级众创空间备案管理。"),
                reverse("applications:settings", args=[application.pk]) + "#id_provincial_filing",
            )
        )
    return items


def check_r2_name(application: Application) -> list[Item]:
    from django.core.exceptions import ValidationError

    from .validators import validate_space_name

    try:
        validate_space_name(application.space.name)
    except ValidationError as error:
        return [
            Item("R2", error.messages[0], reverse("applications:space_edit", args=[application.space_id]))
        ]
    return []


def check_r3_applicant_materials(
    application: Application, info: BasicInfo, report: Report, case_count: int, kinds: set[str]
) -> list[Item]:
    """R3, the applicant's share of the set: 附件2 complete, 附件3 complete with 3–5 cases."""
    items: list[Item] = []
    for field in BASIC_REQUIRED:
        if getattr(info, field) in (None, ""):
            label = BasicInfo._meta.get_field(field).verbose_name
            items.append(
                Item(
                    "R3",
                    _("附件2 基础信息表：请填写“{label}”。").format(label=label),
                    _basic_url(application, field),
                )
            )
    for question, name_field in PLATFORM_QUESTIONS:
        if getattr(info, question) and not getattr(info, name_field).strip():
            label = BasicInfo._meta.get_field(question).verbose_name
            items.append(
                Item(
                    "R3",
                    _("“{label}”选“是”时须填写平台名称。").format(label=label),
                    _basic_url(application, name_field),
                )
            )
    if info.mgmt_other and not info.mgmt_other_text.strip():
        items.append(
            Item("R3", _("管理制度勾选“其他”时须注明具体制度。"), _basic_url(application, "mgmt_other_text"))
        )
    if not any(
        [info.mgmt_entry_standard, info.mgmt_exit_conditions, info.mgmt_incubation_database, info.mgmt_other]
    ):
        items.append(
            Item(
                "R3",
                _("附件2 基础信息表：请至少勾选一项管理制度。"),
                _basic_url(application, "mgmt_entry_standard"),
            )
        )
    report_url = reverse("applications:report", args=[application.pk])
    for field in REPORT_REQUIRED:
        if not getattr(report, field).strip():
            label = Report._meta.get_field(field).verbose_name
            items.append(
                Item(
                    "R3", _("附件3 申报书：请填写“{label}”。").format(label=label), f"{report_url}#id_{field}"
                )
            )
    if not MIN_CASES <= case_count <= MAX_CASES:
        items.append(
            Item(
                "R3",
                _("附件3 申报书：成功案例应为{low}–{high}个，当前{count}个。").format(
                    low=MIN_CASES, high=MAX_CASES, count=case_count
                ),
                reverse("applications:cases", args=[application.pk]),
            )
        )
    return items


def check_r4_commitment(application: Application, attachments: list[Attachment]) -> list[Item]:
    """R4: the applicant answers for its data; 附件4 is signed and its sealed scan uploaded."""
    url = reverse("applications:commitment", args=[application.pk])
    items: list[Item] = []
    if not any(a.kind == Attachment.Kind.APPLICANT_COMMITMENT and a.retired_at is None for a in attachments):
        items.append(Item("R4", _("请上传签字盖章的《申报单位信用承诺书》（附件4）扫描件。"), url))
    if not application.is_signed:
        items.append(Item("R4", _("请签署《申报单位信用承诺书》（附件4）。修改申报内容后须重新签署。"), url))
    elif _files_changed_after_signing(application, attachments):
        items.append(
            Item("R4", _("签署《申报单位信用承诺书》（附件4）后申报材料又有变动，请重新签署。"), url)
        )
    return items


def check_supervisor_named(application: Application) -> list[Item]:
    """R3: a chain with a 主管部门 step needs the application's 主管部门 in the system; one the
    applicant named is added by its recommending unit first."""
    from makerspace.batches.models import Kind

    if application.supervisor_id is not None or application.batch.step(Kind.ATTEST) is None:
        return []
    pending = [r for r in application.supervisor_requests.all() if r.status == "pending"]
    url = reverse("applications:settings", args=[application.pk])
    if pending:
        message = _("主管部门“{name}”尚待{unit}添加，添加后方可提交。").format(
            name=pending[0].name, unit=application.recommending_unit.short_name
        )
    else:
        message = _("请在申报设置中选择主管部门。")
    return [Item("R3", message, url)]


def _files_changed_after_signing(application: Application, attachments: list[Attachment]) -> bool:
    """A signature older than an evidence file it attests never passes: whatever voiding missed (a
    change that raced the signature), the times of the files still tell. The sealed scans (附件4's
    own, and 附件5 the supervising department adds later) are not what the applicant attests."""
    signed = application.commitment_signed_at
    return any(
        a.kind == Attachment.Kind.EVIDENCE
        and (a.uploaded_at > signed if a.retired_at is None else a.retired_at > signed)
        for a in attachments
    )


def readiness(application: Application, attachments: list[Attachment] | None = None) -> list[Item]:
    """Every unmet requirement before submission, in the order the applicant meets them.

    The application's files, retired ones included, are read once for R3 and R4: `attachments`
    where the page read them already (`selectors.attachments_of`), else from the caller's
    prefetch or in one query."""
    info = application.basic_info
    report = application.report
    attachments = attachments_of(application) if attachments is None else attachments
    kinds = {a.kind for a in attachments if a.retired_at is None}
    case_count = success_case_count(application)
    return [
        *check_supervisor_named(application),
        *check_r2_name(application),
        *check_r1_scope(application, info),
        *check_r3_applicant_materials(application, info, report, case_count, kinds),
        *check_r4_commitment(application, attachments),
    ]
