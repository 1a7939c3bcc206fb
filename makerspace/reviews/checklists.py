"""R9: the review checklists, drawn word for word from the notice.

The recommending unit's checklist is the 《专业化众创空间建设工作指引》 (附件1 of the notice):
its seven basic conditions (基本条件), four features (主要特征) and six tasks (主要任务). The
province's formal review (形式审查) checks the set of materials of section 二 and the scope and
name rules of section 一 and 三. Every review takes its items from here and nowhere else.
"""

from dataclasses import dataclass

from django.db import models


class Verdict(models.TextChoices):
    MEETS = "meets", "符合"
    MOSTLY_MEETS = "mostly", "基本符合"
    FAILS = "fails", "不符合"


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    group: str
    text: str
    # A 不符合 on a blocking item refuses a positive decision (recommend, pass): these are the
    # conditions a space must meet, as opposed to the tasks it is expected to work on.
    blocking: bool = False


BASIC_CONDITIONS = "基本条件"
FEATURES = "主要特征"
TASKS = "主要任务"

RECOMMENDER_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "C1",
        BASIC_CONDITIONS,
        "以服务科技型创新创业为宗旨，能够紧密对接实体经济，聚焦明确的产业细分领域。",
        blocking=True,
    ),
    ChecklistItem(
        "C2",
        BASIC_CONDITIONS,
        "具备完善的专业化研究开发和产业化条件，能够提供低成本的开放式办公空间，具有专业化的研发设计、"
        "检验检测、模型加工、中试生产等研发、生产设备设施和厂房，并提供符合行业特征专业领域的技术、"
        "信息、资本、供应链、市场对接等个性化、定制化服务。",
        blocking=True,
    ),
    ChecklistItem(
        "C3",
        BASIC_CONDITIONS,
        "具有开放式的互联网线上平台，集成或整合企业、科研院所、高校等的创新资源、产业资源以及外部的"
        "创新创业等线下资源，实现共享和有效利用。",
        blocking=True,
    ),
    ChecklistItem(
        "C4",
        BASIC_CONDITIONS,
        "具有活跃的创新和创业群体，特别是已有专业化的创客及创业团队积极参与，初步形成了良好的创新创业生态。",
        blocking=True,
    ),
    ChecklistItem(
        "C5",
        BASIC_CONDITIONS,
        "具有创新导师、创业导师服务能力。由专业人士提供技术创新辅导、创业辅导、创业培训。",
        blocking=True,
    ),
    ChecklistItem(
        "C6",
        BASIC_CONDITIONS,
        "具有创业投资基金或创新基金，或与天使投资、创投机构等合作设立股权投资基金，提供创业领域投融资服务，"
        "技术创新金融支持服务。",
        blocking=True,
    ),
    ChecklistItem(
        "C7",
        BASIC_CONDITIONS,
        "专业化众创空间与建设主体之间具有良性互动机制，服务于建设主体转型升级和新业务开发、科技成果转化，"
        "并具备完善的运营管理制度，有清晰的可持续运营机制和管理模式。",
        blocking=True,
    ),
    ChecklistItem(
        "F1",
        FEATURES,
        "拥有创新源头：依托龙头骨干企业、科研院所、高校等建设，能够为创业提供有效供给，推动创新、创业并重。",
    ),
    ChecklistItem(
        "F2",
        FEATURES,
        "资源共享基础好、水平高：借助建设主体的科研与制造能力、管理与市场渠道资源，资源共享基础好，水平高。",
    ),
    ChecklistItem(
        "F3",
        FEATURES,
        "产业整合能力强：依托建设主体的行业地位，有助于形成创新创业生态和产业生态。",
    ),
    ChecklistItem(
        "F4",
        FEATURES,
        "孵化服务质量高：围绕专业领域，可为创客提供更贴合产业特点的高水平、专业化、特色化的集成式服务。",
    ),
    ChecklistItem(
        "T1",
        TASKS,
        "有效聚焦专业细分领域的创新创业：有重点地选择某一产业领域作为主要方向，提供专业化的创新创业服务，"
        "注重提升专业领域创业项目的产业集聚度。",
    ),
    ChecklistItem(
        "T2",
        TASKS,
        "积极提供结合行业特征的科研条件和配套服务：对外开放科研设备、检测设施、小试中试平台等科研研发条件，"
        "强化供应链对接、研发设计、产品推介、投融资等专业化服务能力。",
    ),
    ChecklistItem(
        "T3",
        TASKS,
        "不断加强机制体制创新：推动以市场为导向的科研立项机制、科技成果转化收益分配、科研人员离岗创业等"
        "政策落实，不断释放国有企业参与创业孵化的动能。",
    ),
    ChecklistItem(
        "T4",
        TASKS,
        "注重构筑完整的创业孵化链条：建立专业化众创空间、创业辅导、专业孵化、企业加速器等全程企业孵化"
        "培育体系，构建“创业苗圃-孵化器-加速器”的全程孵化链条。",
    ),
    ChecklistItem(
        "T5",
        TASKS,
        "大力促进建设机构业务转型升级和持续创新：建立与主营业务相关的项目筛选和考核机制，构建互联互通线上"
        "平台，开展建设主体创新任务的众包。",
    ),
    ChecklistItem(
        "T6",
        TASKS,
        "加快提升国际化发展水平：开展国际化高端链接，整合全球资源要素，吸引海外留学生、研发团队创业，"
        "集聚高端科技服务人才。",
    ),
)

SCOPE = "推荐范围与名称"
MATERIALS = "申报材料"
DELIVERY = "报送要求"

FORMAL_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "S1",
        SCOPE,
        "江苏省内的专业化众创空间，依托行业龙头骨干企业、科研院所、高校等建设，且已纳入或申请纳入省级"
        "众创空间备案管理。",
        blocking=True,
    ),
    ChecklistItem(
        "S2",
        SCOPE,
        "名称规范为“XXX专业化众创空间”（XXX为空间所服务的专业细分领域）。",
        blocking=True,
    ),
    ChecklistItem(
        "M1", MATERIALS, "《国家专业化众创空间基础信息表》（附件2）填写完整、盖章。", blocking=True
    ),
    ChecklistItem(
        "M2",
        MATERIALS,
        "《国家专业化众创空间备案申报书》（附件3）按编写提纲编写，含3–5个成功案例。",
        blocking=True,
    ),
    ChecklistItem(
        "M3", MATERIALS, "申报单位信用承诺书（附件4）经运营主体法人签字并加盖公章。", blocking=True
    ),
    ChecklistItem("M4", MATERIALS, "主管部门信用承诺书（附件5）加盖主管部门公章。", blocking=True),
    ChecklistItem(
        "M5",
        MATERIALS,
        "设区市科技局（科委）或国家高新区管委会出具的推荐函加盖公章，并列明本申报。",
        blocking=True,
    ),
    ChecklistItem("D1", DELIVERY, "纸质材料一式两份，与电子档内容一致。", blocking=True),
    ChecklistItem("D2", DELIVERY, "在规定的截止时间前由推荐单位报送。", blocking=True),
)


ATTESTATION = "主管部门信用承诺（附件5）"

# The supervising department attests what 附件5 makes it promise: it checks each promise against
# the application before it signs, so the signature is not a formality either (R6 at its level).
SUPERVISOR_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "S1",
        ATTESTATION,
        "申报单位提交的国家级专业化众创空间申报资料完整齐全、真实有效。",
        blocking=True,
    ),
    ChecklistItem(
        "S2", ATTESTATION, "申报单位无不良信用记录（以系统查询信用记录的结果为准）。", blocking=True
    ),
    ChecklistItem("S3", ATTESTATION, "申报单位符合申报资格要求（申报范围与名称规则）。", blocking=True),
    ChecklistItem("S4", ATTESTATION, "本部门审查中无违规推荐、审查不严等情形。", blocking=True),
)


class Stage(models.TextChoices):
    SUPERVISOR = "supervisor", "主管部门审核"
    RECOMMENDER = "recommender", "推荐单位审核"
    FORMAL = "formal", "省科技厅形式审查"


CHECKLISTS: dict[str, tuple[ChecklistItem, ...]] = {
    Stage.SUPERVISOR: SUPERVISOR_CHECKLIST,
    Stage.RECOMMENDER: RECOMMENDER_CHECKLIST,
    Stage.FORMAL: FORMAL_CHECKLIST,
}
# The itemised review that decides an application in each state (applications.workflow).
STAGE_OF_STATE = {
    "at_supervisor": Stage.SUPERVISOR,
    "at_recommender": Stage.RECOMMENDER,
    "received": Stage.FORMAL,
}


def checklist(stage: str) -> tuple[ChecklistItem, ...]:
    return CHECKLISTS[stage]


def grouped(stage: str) -> list[tuple[str, list[ChecklistItem]]]:
    groups: dict[str, list[ChecklistItem]] = {}
    for item in checklist(stage):
        groups.setdefault(item.group, []).append(item)
    return list(groups.items())
