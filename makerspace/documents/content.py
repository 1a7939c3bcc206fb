"""What goes into each document, as plain data, and the layout of the notice's forms.

A submitted version's documents are made from the frozen version (ApplicationVersion.data), a
draft's from the live application through the same snapshot function, so both look alike. The
content dict is JSON, and its digest keys the issued document: same content, same file.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from makerspace.accounts.models import Nature
from makerspace.applications.models import Application, ApplicationEvent, ApplicationVersion, BasicInfo
from makerspace.applications.workflow import State
from makerspace.core.i18n import in_chinese

CHECKED, UNCHECKED = "☑", "☐"
BLANK_DATE = "____年____月____日"


def digest(data) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def chinese_date(value) -> str:
    if not value:
        return BLANK_DATE
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def number_text(value) -> str:
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(number.normalize(), "f")
    return text


def box(checked: bool) -> str:
    return CHECKED if checked else UNCHECKED


NBSP = "\u00a0"  # a box and its word stay on one line: no line may break at a no-break space


def yes_no(answer, name: str) -> str:
    """The form's “☐ 是 （填写详细名称） ☐ 否”, with the name filled in when the answer is 是."""
    detail = f"（{name}）" if answer and name else "（填写详细名称）"
    return f"{box(answer is True)}{NBSP}是 {detail}　{box(answer is False)}{NBSP}否"


def nature_text(nature: str) -> str:
    """The 运营主体性质 row exactly as the form prints it, with the chosen box ticked."""
    n = Nature
    return (
        f"{box(nature == n.PUBLIC_INSTITUTION)} 1、事业单位，"
        f"2、企业（{box(nature == n.STATE_ENTERPRISE)} 国有、"
        f"{box(nature == n.PRIVATE_ENTERPRISE)} 民营），{box(nature == n.INVESTMENT)} 3、投资机构，"
        f"{box(nature == n.UNIVERSITY)} 4、高校，{box(nature == n.OTHER)} 5、其它社会组织"
    )


def management_text(info: dict) -> str:
    other = info.get("mgmt_other_text") or ""
    return (
        f"{box(info.get('mgmt_entry_standard'))} 入驻标准　{box(info.get('mgmt_exit_conditions'))} 退出条件　"
        f"{box(info.get('mgmt_incubation_database'))} 在孵项目或企业数据库　"
        f"{box(info.get('mgmt_other'))} 其他：{other}"
    )


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1
    label: bool = False


def label(text: str, span: int = 1) -> Cell:
    return Cell(text, span, True)


def value(text, span: int = 1) -> Cell:
    return Cell("" if text is None else str(text), span, False)


TABLE_COLUMNS = 6
TEXT_WIDTH_CM = 15.8  # A4 less the forms' 2.6 cm margins
# 附件2's six columns: the label columns (first, third, fifth) wide enough for the notice's longest
# labels in two or three lines, the number columns narrower.
BASIC_INFO_WIDTHS_CM = [3.0, 2.3, 2.9, 2.3, 2.9, 2.4]
CASE_WIDTHS_CM = [3.6, 12.2]
BLANK_ROW_CM = 1.2  # a blank form's row: room for a line of handwriting, 附件2 still on one A4 page
LETTER_TABLE_HEADERS = ["推荐排序", "众创空间名称", "运营主体", "主管部门", "申报编号"]
# The letters' text width is 15.6 cm (GB/T 9704 margins); 申报编号 fits whole on its line.
LETTER_TABLE_WIDTHS_CM = [1.8, 4.1, 3.9, 2.9, 2.9]


def basic_info_rows(space_name: str, info: dict) -> list[list[Cell]]:
    """附件2 row by row as the notice lays it out on six columns. Both the .docx and the PDF are
    drawn from this one list, so the two can never disagree."""
    i = info
    return [
        [
            label("众创空间名称"),
            value(space_name, 2),
            label("成立时间"),
            value(_date_or_blank(i["founded_on"]), 2),
        ],
        [label("运营主体名称"), value(f"{i['operator_name'] or ''}（盖章）", 5)],
        [label("运营主体性质"), value(nature_text(i["operator_nature"]), 5)],
        [
            label("法人代表"),
            value(i["legal_representative"], 2),
            label("联系电话"),
            value(i["legal_phone"], 2),
        ],
        [
            label("负责人"),
            value(i["person_in_charge"], 2),
            label("联系手机"),
            value(i["person_in_charge_mobile"], 2),
        ],
        [label("联系人"), value(i["contact_name"], 2), label("联系手机"), value(i["contact_mobile"], 2)],
        [label("单位地址"), value(i["address"], 2), label("Email"), value(i["email"], 2)],
        [
            label("是否由高新技术企业或龙头骨干企业建立："),
            value(yes_no(i["built_by_enterprise"], i["builder_enterprise_name"]), 2),
            label("是否由高校建立："),
            value(yes_no(i["built_by_university"], i["builder_university_name"]), 2),
        ],
        [
            label("是否由科研院所建立："),
            value(yes_no(i["built_by_institute"], i["builder_institute_name"]), 5),
        ],
        [
            label("主要专业方向（如互联网、新材料、生物医药、新能源等）", 2),
            value(i["professional_direction"], 4),
        ],
        [
            label("管理团队人员总数"),
            value(number_text(i["team_size"])),
            label("其中大专以上人数"),
            value(number_text(i["team_college_count"])),
            label("创业导师数"),
            value(number_text(i["mentor_count"])),
        ],
        [
            label("自主支配场地建筑面积（平方米）"),
            value(number_text(i["floor_area"])),
            label("公共办公与服务场地面积（平方米）"),
            value(number_text(i["public_area"])),
            label("天使投资（种子）基金（资金）规模（万元）"),
            value(number_text(i["angel_fund"])),
        ],
        [
            label("入驻项目数"),
            value(number_text(i["resident_projects"])),
            label("入驻企业数"),
            value(number_text(i["resident_enterprises"])),
            label("举办创新创业活动次数"),
            value(number_text(i["events_held"])),
        ],
        [
            label("是否建有线上服务平台", 2),
            value(yes_no(i["has_online_platform"], i["online_platform_name"]), 4),
        ],
        [
            label("是否建有公共技术服务平台", 2),
            value(yes_no(i["has_tech_platform"], i["tech_platform_name"]), 4),
        ],
        [label("管理制度"), value(management_text(i), 5)],
    ]


def _date_or_blank(raw) -> str:
    return chinese_date(raw) if raw else ""


# Every label of 附件2 as the notice prints it (the tests look for each in every rendering).
BASIC_INFO_LABELS = [
    "众创空间名称",
    "成立时间",
    "运营主体名称",
    "运营主体性质",
    "法人代表",
    "联系电话",
    "负责人",
    "联系手机",
    "联系人",
    "单位地址",
    "Email",
    "是否由高新技术企业或龙头骨干企业建立",
    "是否由高校建立",
    "是否由科研院所建立",
    "主要专业方向",
    "管理团队人员总数",
    "其中大专以上人数",
    "创业导师数",
    "自主支配场地建筑面积（平方米）",
    "公共办公与服务场地面积（平方米）",
    "天使投资（种子）基金（资金）规模（万元）",
    "入驻项目数",
    "入驻企业数",
    "举办创新创业活动次数",
    "是否建有线上服务平台",
    "是否建有公共技术服务平台",
    "管理制度",
    "入驻标准",
    "退出条件",
    "在孵项目或企业数据库",
]

# 附件3: the outline of the notice, chapter by chapter; (heading, report field or None).
REPORT_OUTLINE = [
    (
        "一、专业化众创空间介绍",
        [("1. 建设主体基本情况", "builder_overview"), ("2. 专业化众创空间现状", "space_status")],
    ),
    ("二、取得成效", [("1. 总体成效", "overall_results"), ("2. 3-5个成功案例", None)]),
    ("三、发展目标和重点任务", [("", "goals_and_tasks")]),
    ("四、组织与保障", [("", "organisation_and_support")]),
]
CASE_FIELDS = [
    ("enterprise_name", "企业（团队）名称"),
    ("field", "所属领域"),
    ("joined_on", "入驻时间"),
    ("services", "空间提供的服务"),
    ("results", "取得的成效"),
]

APPLICANT_COMMITMENT = {
    "title": "申报单位信用承诺书",
    "intro": (
        "本单位承诺所提供的国家专业化众创空间申报数据真实、准确，提供的申报资料规范、齐全，且不存在任何弄虚作假行为。"
        "如有失实或失信行为，愿意根据相关规定，承担以下责任："
    ),
    "clauses": [
        "1、取消推荐资格；",
        "2、作为失信单位记入不良科技信用记录，并报送至省公共信用信息平台，列入社会信用记录，接受相应处理；",
        "3、应当由本单位承担的其它相关法律责任等。",
    ],
}
SUPERVISOR_COMMITMENT = {
    "title": "主管部门信用承诺书",
    "intro": "按照相关要求，我们对该单位国家专业化众创空间申报材料进行了认真审查，现承诺如下：",
    "clauses": [
        "1、该申报单位提交的国家级专业化众创空间申报资料完整齐全、真实有效，该申报单位无不良信用记录，且符合申报资格要求；",
        "2、本主管部门在审查推荐过程中，无违规推荐、审查不严等失信行为；",
        "3、按照相关管理规定，切实履行了主管部门管理职责，如有失实或失信行为，本部门将追究相关人员责任，"
        "并按照《江苏省科技计划项目相关责任主体信用管理办法》等相关规定，承担相关责任。",
    ],
}


def applicant_signature_lines(data: dict) -> list[str]:
    """附件4 is signed and dated by hand: the signature and the date are left blank to write in
    (the name signed online is recorded in the system, not printed where the pen goes)."""
    return [
        f"运营主体法人（签字或盖章）：{'　' * 8}",
        f"主营主体（公章）：{data['organisation']['name'] or '　' * 8}",
        BLANK_DATE,
    ]


GUIDELINE = "《专业化众创空间建设工作指引》（国科发高〔2016〕231号）"


def _empty_basic_info() -> dict:
    return {
        f.name: None
        for f in BasicInfo._meta.concrete_fields
        if f.name not in {"id", "application", "updated_at"}
    } | {name: "" for name in ("operator_name", "mgmt_other_text")}


@in_chinese
def application_content(application: Application, version: ApplicationVersion | None) -> dict:
    """The data of one application's documents: a frozen version, or the live draft when None."""
    from makerspace.applications.services import application_snapshot

    data = version.data if version is not None else application_snapshot(application)
    info = _empty_basic_info() | data["basic_info"]
    supervisor_signed = None
    if version is not None:
        forward = (
            ApplicationEvent.objects.filter(
                application=application, transition="forward", version_number=version.number
            )
            .order_by("at")
            .first()
        )
        supervisor_signed = forward.at.isoformat() if forward else None
    return {
        "sealed_scans": _supervisor_scans(application, version),
        "number": data["number"],
        "space": data["space"],
        "organisation": data["organisation"],
        "batch_title": data["batch"]["title"],
        "recommending_unit": data["recommending_unit"],
        "supervisor": data["supervisor"],
        "basic_info": info,
        "report": data["report"],
        "success_cases": data["success_cases"],
        "attachments": data["attachments"],
        "commitment": data["commitment"],
        "supervisor_signed_at": supervisor_signed,
        "version": version.number if version is not None else None,
        "submitted_at": version.submitted_at.isoformat() if version is not None else None,
        "data_sha256": version.data_sha256 if version is not None else None,
    }


def _supervisor_scans(application: Application, version: ApplicationVersion | None) -> list[dict]:
    """The supervisor's sealed 附件5 scan of this version: uploaded after the version was submitted
    and before the next one was (an upload retires the one before it, so the latest counts)."""
    from makerspace.applications.models import Attachment

    if version is None:
        return []
    scans = Attachment.objects.filter(
        application=application,
        kind=Attachment.Kind.SUPERVISOR_COMMITMENT,
        uploaded_at__gte=version.submitted_at,
    )
    later = application.versions.filter(number__gt=version.number).order_by("number").first()
    if later is not None:
        scans = scans.filter(uploaded_at__lt=later.submitted_at)
    scan = scans.order_by("-uploaded_at", "-pk").first()
    if scan is None:
        return []
    return [
        {
            "id": scan.pk,
            "kind": scan.kind,
            "title": scan.title,
            "original_name": scan.original_name,
            "content_type": scan.content_type,
            "sha256": scan.sha256,
        }
    ]


@in_chinese
def blank_content() -> dict:
    """An empty form: what the public downloads to fill in by hand."""
    return {
        "number": "",
        "space": "",
        "organisation": {"name": "", "credit_code": ""},
        "batch_title": "",
        "recommending_unit": "",
        "supervisor": "",
        "basic_info": _empty_basic_info(),
        "report": {field: "" for _, items in REPORT_OUTLINE for _, field in items if field},
        "success_cases": [],
        "attachments": [],
        "sealed_scans": [],
        "commitment": {"signatory": "", "signed_at": None},
        "supervisor_signed_at": None,
        "version": None,
        "submitted_at": None,
        "data_sha256": None,
    }


# Letters --------------------------------------------------------------------------------------

# An application stays on a recommending unit's letter once recommended, whatever happens later.
RECOMMENDED_STATES = [
    State.RECOMMENDED,
    State.DELIVERED,
    State.RECEIVED,
    State.FORMAL_PASSED,
    State.FORMAL_FAILED,
    State.RECOMMENDED_TO_MINISTRY,
    State.NOT_RECOMMENDED,
    State.FILED,
    State.NOT_FILED,
    State.PUBLISHED,
]
SELECTED_STATES = [State.RECOMMENDED_TO_MINISTRY, State.FILED, State.NOT_FILED, State.PUBLISHED]
# While any application of the batch is here, the province has not finished choosing.
PROVINCE_PENDING_STATES = [State.DELIVERED, State.RECEIVED, State.FORMAL_PASSED]


PROVINCE = "江苏省科学技术厅"


def _letter_settings(batch, unit) -> dict:
    """The letter's own 文号, 联系人, 电话 and 抄送 (LetterSettings), and the notice it cites: the
    batch's notice title (the batch's name until one is set) with the batch's 文号."""
    from .models import LetterSettings

    rows = {s.recommending_unit_id: s for s in LetterSettings.objects.filter(batch=batch)}
    own = rows.get(unit.pk if unit is not None else None)
    province = rows.get(None)
    return {
        "notice_title": (province.notice_title if province else "") or batch.title,
        "notice_number": batch.document_number,
        "letter_number": own.letter_number if own else "",
        "contact_name": own.contact_name if own else "",
        "contact_phone": own.contact_phone if own else "",
        "cc": own.cc if own else "",
    }


def _letter_rows(applications) -> list[dict]:
    return [
        {
            "number": a.number,
            "space": a.space.name,
            "organisation": a.space.organisation.name,
            "supervisor": a.supervisor.name if a.supervisor else "—",
            "recommending_unit": a.recommending_unit.name,
            "version": a.current_version,
            "recommender_rank": a.recommender_rank,
            "province_rank": a.province_rank,
        }
        for a in applications
    ]


@in_chinese
def recommendation_letter_content(unit, batch) -> dict:
    """The city's (or high-tech zone's) 推荐函, its list in the unit's ranking order."""
    from django.db.models import F

    applications = list(
        Application.objects.filter(recommending_unit=unit, batch=batch, state__in=RECOMMENDED_STATES)
        .select_related("space__organisation", "supervisor", "recommending_unit")
        .order_by(F("recommender_rank").asc(nulls_last=True), "number")
    )
    final = bool(applications) and all(a.state != State.RECOMMENDED for a in applications)
    delivered_on = None
    if final:
        event = (
            ApplicationEvent.objects.filter(application__in=applications, transition="deliver")
            .order_by("-at")
            .first()
        )
        delivered_on = event.at.isoformat() if event else None
    return {
        "unit": unit.name,
        "unit_kind": unit.get_kind_display(),
        "batch_title": batch.title,
        "batch_year": batch.year,
        "document_number": batch.document_number,
        "rows": _letter_rows(applications),
        "final": final,
        "signed_at": delivered_on,
        **_letter_settings(batch, unit),
    }


@in_chinese
def province_letter_content(batch) -> dict:
    """The province's letter to 科技部, its list in the province's ranking order."""
    from django.db.models import F

    applications = list(
        Application.objects.filter(batch=batch, state__in=SELECTED_STATES)
        .select_related("space__organisation", "supervisor", "recommending_unit")
        .order_by(F("province_rank").asc(nulls_last=True), "number")
    )
    pending = Application.objects.filter(batch=batch, state__in=PROVINCE_PENDING_STATES).exists()
    final = bool(applications) and not pending
    signed = None
    if final:
        event = (
            ApplicationEvent.objects.filter(application__in=applications, transition="select")
            .order_by("-at")
            .first()
        )
        signed = event.at.isoformat() if event else None
    return {
        "batch_title": batch.title,
        "batch_year": batch.year,
        "document_number": batch.document_number,
        "rows": _letter_rows(applications),
        "final": final,
        "signed_at": signed,
        **_letter_settings(batch, None),
    }


def _cited_notice(data: dict) -> str:
    number = f"（{data['notice_number']}）" if data["notice_number"] else ""
    return f"《{data['notice_title']}》{number}"


def _letter_common(data: dict, organ: str) -> dict:
    """The parts of GB/T 9704-2012 every letter has: the issuing organ's mark, the letter's own
    文号, the title in two lines (the organ and 关于推荐, then the subject: a title is broken
    between words, never inside one), the 附件 list, the 附注 with 联系人 and 电话, and 抄送."""
    subject = f"{data['batch_year']}年国家专业化众创空间备案的函"
    contact = [
        part
        for part in (
            f"联系人：{data['contact_name']}" if data["contact_name"] else "",
            f"电话：{data['contact_phone']}" if data["contact_phone"] else "",
        )
        if part
    ]
    return {
        "organ": organ,
        "letter_number": data["letter_number"],
        "title": f"{organ}关于推荐{subject}",
        "title_lines": [f"{organ}关于推荐", subject],
        "attachments": [
            f"{data['batch_year']}年国家专业化众创空间推荐汇总表",
            f"推荐众创空间申报材料（{len(data['rows'])}份）",
        ],
        "note": f"（{'，'.join(contact)}）" if contact else "",
        "cc": f"抄送：{data['cc']}。" if data["cc"] else "",
        "signer": organ,
        "signed_at": data["signed_at"],
        "rows": data["rows"],
    }


def recommendation_letter_text(data: dict) -> dict:
    count = len(data["rows"])
    return {
        **_letter_common(data, data["unit"]),
        "addressee": f"{PROVINCE}：",
        "body": [
            f"根据{_cited_notice(data)}要求，我单位组织开展了本地区国家专业化众创空间备案推荐工作。"
            "经对申报材料逐项严格审核，现推荐以下" + f"{count}家专业化众创空间（按推荐顺序排列）：",
        ],
        "rank_key": "recommender_rank",
        "closing": (
            "我单位已对上述申报材料的真实性、准确性和完整性进行了审核把关，纸质材料一式两份及电子档随函报送。"
            "特此推荐。"
        ),
    }


def province_letter_text(data: dict) -> dict:
    count = len(data["rows"])
    return {
        **_letter_common(data, PROVINCE),
        "addressee": "科学技术部：",
        "body": [
            f"根据科技部{GUIDELINE}要求，我厅印发{_cited_notice(data)}，组织开展了江苏省国家专业化众创空间备案推荐工作。"
            "经各设区市科技局（科委）、国家高新区管委会审核推荐，我厅进行形式审查后择优，"
            + f"现推荐以下{count}家专业化众创空间（按推荐顺序排列）：",
        ],
        "rank_key": "province_rank",
        "closing": "请予审核备案。",
    }
