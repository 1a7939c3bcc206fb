"""A filed space's life after the ministry files it (DESIGN §3a): its record and status history,
the yearly reporting rounds with their chain and reports, evaluation rounds, change requests, spot
checks, rectification and revocation."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from makerspace.applications.validators import validate_space_name
from makerspace.batches.models import step_after

from .chain import ReportKind, ReportParty
from .workflow import EDITABLE, ReportState, ReportWorkflow


class Status(models.TextChoices):
    ACTIVE = "active", "在册"
    RECTIFYING = "rectifying", "整改中"
    REVOKED = "revoked", "撤销"
    CANCELLED = "cancelled", "注销"


# A space in either of these is managed: it reports every year and is evaluated.
MANAGED = [Status.ACTIVE, Status.RECTIFYING]


class FiledSpace(models.Model):
    """备案众创空间: created when the ministry files an application (`file`), never deleted."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name="备案申报",
        on_delete=models.PROTECT,
        related_name="filed_space",
    )
    space = models.ForeignKey(
        "applications.MakerSpace", verbose_name="众创空间", on_delete=models.PROTECT, related_name="filings"
    )
    batch = models.ForeignKey(
        "batches.Batch", verbose_name="备案批次", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField("备案编号", max_length=30, unique=True)
    year = models.PositiveIntegerField("备案年度")
    name = models.CharField("众创空间名称", max_length=100, validators=[validate_space_name])
    operator = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="运营主体",
        on_delete=models.PROTECT,
        related_name="filed_spaces",
    )
    operator_name = models.CharField("运营主体名称", max_length=200)
    field = models.CharField("专业方向", max_length=200, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    recommending_unit = models.ForeignKey(
        "accounts.RecommendingUnit",
        verbose_name="推荐单位",
        on_delete=models.PROTECT,
        related_name="filed_spaces",
    )
    city = models.CharField("所在城市", max_length=20)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    filed_at = models.DateTimeField("备案时间")

    class Meta:
        verbose_name = "备案众创空间"
        verbose_name_plural = "备案众创空间"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_revoked(self) -> bool:
        return self.status == Status.REVOKED

    @staticmethod
    def make_number(year: int, pk: int) -> str:
        return f"BA{year}{pk:05d}"


class StatusChange(models.Model):
    """One line of a filed space's history; never edited."""

    filed_space = models.ForeignKey(FiledSpace, on_delete=models.CASCADE, related_name="history")
    source = models.CharField("原状态", max_length=20, choices=Status.choices, blank=True)
    target = models.CharField("新状态", max_length=20, choices=Status.choices)
    rule = models.CharField("依据规则", max_length=40, blank=True)
    reason = models.TextField("理由", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["at", "pk"]


# Annual report -------------------------------------------------------------------------------


class ReportRound(models.Model):
    """A year's reporting round opened by the province, with its chain of steps."""

    year = models.PositiveIntegerField("报告年度", unique=True)
    title = models.CharField("名称", max_length=200)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField("发布时间", auto_now_add=True)
    closed_at = models.DateTimeField("截止统计时间", null=True, blank=True)

    class Meta:
        verbose_name = "年度报告工作"
        verbose_name_plural = "年度报告工作"
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def chain(self) -> list["RoundStep"]:
        cache = getattr(self, "_chain_cache", None)
        if cache is None:
            cache = sorted(self.steps.all(), key=lambda step: step.position)
            self._chain_cache = cache
        return cache

    def step(self, kind: str) -> "RoundStep | None":
        return next((step for step in self.chain() if step.kind == kind), None)

    def step_after(self, kind: str | None) -> "RoundStep | None":
        return step_after(self.chain(), kind)

    @property
    def deadline(self):
        step = self.step(ReportKind.REPORT)
        return step.deadline if step else None


class RoundStep(models.Model):
    round = models.ForeignKey(ReportRound, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("顺序")
    kind = models.CharField("环节类型", max_length=20, choices=ReportKind.choices)
    party = models.CharField("办理方", max_length=20, choices=ReportParty.choices)
    deadline = models.DateTimeField("截止时间")

    class Meta:
        verbose_name = "年度报告环节"
        verbose_name_plural = "年度报告环节"
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="one_report_step_per_position"),
            models.UniqueConstraint(fields=["round", "kind"], name="one_report_step_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_kind_display()}"


def _count(label: str):
    return models.PositiveIntegerField(label, null=True, blank=True)


def _amount(label: str, unit: str = "万元"):
    return models.DecimalField(
        f"{label}（{unit}）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )


def sealed_copy_path(instance, filename: str) -> str:
    return f"annual_reports/{instance.round.year}/{instance.filed_space_id}/sealed"


class AnnualReport(ReportWorkflow):
    """年度报告: the year's figures of one filed space, signed, sealed and carried up its chain."""

    FIGURES = [
        "team_size",
        "team_college_count",
        "mentor_count",
        "floor_area",
        "public_area",
        "resident_projects",
        "resident_enterprises",
        "events_held",
        "incubated_enterprises",
        "graduated_enterprises",
        "financing",
        "revenue",
        "jobs",
        "ip_count",
        "invention_patents",
    ]

    round = models.ForeignKey(
        ReportRound, verbose_name="年度报告工作", on_delete=models.PROTECT, related_name="reports"
    )
    filed_space = models.ForeignKey(
        FiledSpace, verbose_name="备案众创空间", on_delete=models.PROTECT, related_name="reports"
    )
    team_size = _count("管理团队人员总数")
    team_college_count = _count("其中大专以上人数")
    mentor_count = _count("创业导师数")
    floor_area = _amount("自主支配场地面积", "平方米")
    public_area = _amount("其中公共办公和服务面积", "平方米")
    resident_projects = _count("当年入驻项目数")
    resident_enterprises = _count("当年入驻企业数")
    events_held = _count("举办创新创业活动次数")
    incubated_enterprises = _count("在孵企业数")
    graduated_enterprises = _count("当年毕业企业数")
    financing = _amount("入驻团队和企业当年获得融资")
    revenue = _amount("空间运营收入")
    jobs = _count("带动就业人数")
    ip_count = _count("当年知识产权数")
    invention_patents = _count("其中发明专利数")
    signatory = models.CharField("运营主体法人（签字）", max_length=50, blank=True)
    signed_at = models.DateTimeField("签署时间", null=True, blank=True)
    sealed_copy = models.FileField("盖章扫描件", upload_to=sealed_copy_path, blank=True)
    sealed_copy_sha256 = models.CharField("盖章件摘要", max_length=64, blank=True)
    sealed_copy_type = models.CharField("盖章件类型", max_length=100, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["round", "filed_space__number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "filed_space"], name="one_report_per_space_per_round")
        ]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self) -> str:
        return f"{self.round.year}年度报告 {self.filed_space.name}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE

    @property
    def step(self):
        from .workflow import KIND_OF_STATE

        kind = KIND_OF_STATE.get(self.state)
        return self.round.step(kind) if kind else None

    def figures(self) -> dict:
        return {name: getattr(self, name) for name in self.FIGURES}

    def figure_problems(self) -> list[str]:
        """Every figure filled, and the cross-field checks of 附件2 applied to the year's figures."""
        problems = []
        missing = [
            self._meta.get_field(name).verbose_name for name in self.FIGURES if getattr(self, name) is None
        ]
        if missing:
            problems.append(f"请填写：{'、'.join(map(str, missing))}。")
        for part, whole, message in CROSS_CHECKS:
            a, b = getattr(self, part), getattr(self, whole)
            if a is not None and b is not None and a > b:
                problems.append(message)
        return problems


# (part, whole, message): the part never exceeds the whole.
CROSS_CHECKS = [
    ("team_college_count", "team_size", "大专以上人数不能超过管理团队人员总数。"),
    ("public_area", "floor_area", "公共办公和服务面积不能超过自主支配场地面积。"),
    ("graduated_enterprises", "incubated_enterprises", "当年毕业企业数不能超过在孵企业数。"),
    ("invention_patents", "ip_count", "发明专利数不能超过知识产权总数。"),
    ("resident_enterprises", "incubated_enterprises", "当年入驻企业数不能超过在孵企业数。"),
]


class ReportEvent(models.Model):
    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField("操作", max_length=40)
    source = models.CharField("原状态", max_length=20, choices=ReportState.choices)
    target = models.CharField("新状态", max_length=20, choices=ReportState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    organisation_name = models.CharField("单位", max_length=200, blank=True)
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class ReminderSent(models.Model):
    """A reminder of a report's deadline sent at one threshold (days before); once only."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField("提前天数")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "days_before"], name="one_report_reminder_per_threshold"
            )
        ]


# Revocation ----------------------------------------------------------------------------------


class RevocationRule(models.TextChoices):
    """The rules by which a filed space leaves the list (see `filed.rules`)."""

    TWO_MISSING_REPORTS = "two_missing_reports", "连续两年未报送年度报告"
    TWO_D_GRADES = "two_d_grades", "连续两年绩效评价为D"
    FRAUD = "fraud", "弄虚作假"
    VOLUNTARY_EXIT = "voluntary_exit", "主动申请退出"
    MINISTRY = "revoke", "科技部撤销备案"


class RevocationProposal(models.Model):
    """A revocation a rule proposes and the province decides (revoke or keep), with the reason."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待决定"
        REVOKED = "revoked", "同意撤销或注销"
        KEPT = "kept", "不予撤销"

    filed_space = models.ForeignKey(FiledSpace, on_delete=models.PROTECT, related_name="revocation_proposals")
    rule = models.CharField("依据规则", max_length=40, choices=RevocationRule.choices)
    reason = models.TextField("理由")
    decision = models.CharField("决定", max_length=20, choices=Decision.choices, default=Decision.PENDING)
    proposed_at = models.DateTimeField("提出时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_comment = models.TextField("决定意见", blank=True)

    class Meta:
        verbose_name = "撤销建议"
        verbose_name_plural = "撤销建议"
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["filed_space", "rule"],
                condition=models.Q(decision="pending"),
                name="one_pending_proposal_per_rule",
            )
        ]

    @property
    def is_pending(self) -> bool:
        return self.decision == self.Decision.PENDING


# Performance evaluation (绩效评价) ------------------------------------------------------------


class Grade(models.TextChoices):
    A = "A", "A（优秀）"
    B = "B", "B（良好）"
    C = "C", "C（合格）"
    D = "D", "D（不合格）"


class EvaluationRound(models.Model):
    """A year's evaluation of the filed spaces from their annual reports and the experts, graded
    by the province's thresholds, published, open to appeal, then final."""

    year = models.PositiveIntegerField("评价年度", unique=True)
    title = models.CharField("名称", max_length=200)
    report_round = models.OneToOneField(
        ReportRound, verbose_name="依据的年度报告", on_delete=models.PROTECT, related_name="evaluation_round"
    )
    grade_a_min = models.DecimalField("A档最低分", max_digits=5, decimal_places=2, default=Decimal("85"))
    grade_b_min = models.DecimalField("B档最低分", max_digits=5, decimal_places=2, default=Decimal("70"))
    grade_c_min = models.DecimalField("C档最低分", max_digits=5, decimal_places=2, default=Decimal("60"))
    appeal_days = models.PositiveSmallIntegerField("申诉期（天）", default=10)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    graded_at = models.DateTimeField("评定时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    appeal_until = models.DateTimeField("申诉截止", null=True, blank=True)
    finalised_at = models.DateTimeField("结果确定时间", null=True, blank=True)

    class Meta:
        verbose_name = "绩效评价"
        verbose_name_plural = "绩效评价"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade_a_min__gte=models.F("grade_b_min"))
                & models.Q(grade_b_min__gte=models.F("grade_c_min")),
                name="grade_thresholds_descend",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def grade_of(self, score: Decimal) -> str:
        if score >= self.grade_a_min:
            return Grade.A
        if score >= self.grade_b_min:
            return Grade.B
        if score >= self.grade_c_min:
            return Grade.C
        return Grade.D


EXPERT = "expert"


class Indicator(models.Model):
    """One line of the round's indicator sheet: computed from a figure of the report (full marks
    at `full_at`), or scored by the experts."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField("序号")
    name = models.CharField("指标", max_length=100)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    source = models.CharField(
        "计分来源",
        max_length=40,
        choices=[(EXPERT, "专家评分"), *[(name, name) for name in AnnualReport.FIGURES]],
    )
    full_at = models.DecimalField("满分对应数值", max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="one_indicator_per_position")
        ]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="evaluations")
    filed_space = models.ForeignKey(FiledSpace, on_delete=models.PROTECT, related_name="evaluations")
    report = models.ForeignKey(
        AnnualReport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等级", max_length=1, choices=Grade.choices, blank=True)
    divergent = models.BooleanField("专家评分分歧较大", default=False)

    class Meta:
        verbose_name = "绩效评价结果"
        verbose_name_plural = "绩效评价结果"
        ordering = ["round", "filed_space__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "filed_space"], name="one_evaluation_per_space_per_round"
            )
        ]


class ExpertScore(models.Model):
    """An expert's score (0–100) of a space's expert-scored indicators; conflicts are refused."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="expert_scores")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(
        "专家评分",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    comment = models.TextField("评语", blank=True)
    scored_at = models.DateTimeField("评分时间", auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["evaluation", "expert"], name="one_score_per_expert")]


class Appeal(models.Model):
    """申诉: the operating entity disputes its grade within the window; the province decides."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待处理"
        UPHELD = "upheld", "申诉成立"
        REJECTED = "rejected", "申诉不成立"

    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="appeal")
    reason = models.TextField("申诉理由")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField("申诉时间", auto_now_add=True)
    decision = models.CharField("处理结果", max_length=20, choices=Decision.choices, default=Decision.PENDING)
    new_grade = models.CharField("调整后等级", max_length=1, choices=Grade.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    comment = models.TextField("处理意见", blank=True)

    @property
    def is_pending(self) -> bool:
        return self.decision == self.Decision.PENDING


# Dynamic management (动态管理): change requests, spot checks, rectification ---------------------


class ChangeRequest(models.Model):
    """A change of a filed space's name, operating entity, address or field, asked by its operating
    entity and approved up the chain (recommending unit, then province)."""

    class Field(models.TextChoices):
        NAME = "name", "名称"
        OPERATOR = "operator", "运营主体"
        ADDRESS = "address", "地址"
        FIELD = "field", "专业方向"

    class State(models.TextChoices):
        AT_RECOMMENDER = "at_recommender", "推荐单位审核中"
        AT_PROVINCE = "at_province", "省科技厅审核中"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    filed_space = models.ForeignKey(FiledSpace, on_delete=models.PROTECT, related_name="change_requests")
    field = models.CharField("变更事项", max_length=20, choices=Field.choices)
    old_value = models.CharField("变更前", max_length=200, blank=True)
    new_value = models.CharField("变更后", max_length=200)
    new_operator = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="新运营主体",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField("变更理由")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.AT_RECOMMENDER)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    comments = models.JSONField("审核意见", default=list, blank=True)

    class Meta:
        verbose_name = "变更申请"
        verbose_name_plural = "变更申请"
        ordering = ["-requested_at", "-pk"]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.field == self.Field.NAME:
            validate_space_name(self.new_value)
        if self.field == self.Field.OPERATOR and self.new_operator_id is None:
            raise ValidationError({"new_value": "请填写新运营主体的统一社会信用代码（须已在系统注册）。"})

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.AT_RECOMMENDER, self.State.AT_PROVINCE)


class SpotCheck(models.Model):
    """抽查: an on-site visit with its findings and what follows from them."""

    class Outcome(models.TextChoices):
        PASSED = "passed", "符合要求"
        RECTIFY = "rectify", "限期整改"
        FRAUD = "fraud", "发现弄虚作假"

    filed_space = models.ForeignKey(FiledSpace, on_delete=models.PROTECT, related_name="spot_checks")
    visited_on = models.DateField("现场核查日期")
    inspectors = models.CharField("核查人员", max_length=200)
    findings = models.TextField("核查发现")
    outcome = models.CharField("结论", max_length=20, choices=Outcome.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽查"
        verbose_name_plural = "抽查"
        ordering = ["-visited_on", "-pk"]


class Rectification(models.Model):
    """整改: ordered with a deadline (from a spot check), completed and verified by the province."""

    filed_space = models.ForeignKey(FiledSpace, on_delete=models.PROTECT, related_name="rectifications")
    spot_check = models.OneToOneField(
        SpotCheck, on_delete=models.PROTECT, null=True, blank=True, related_name="rectification"
    )
    requirements = models.TextField("整改要求")
    deadline = models.DateField("整改期限")
    completed_at = models.DateTimeField("整改完成确认时间", null=True, blank=True)
    completion_note = models.TextField("整改情况", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "整改"
        verbose_name_plural = "整改"
        ordering = ["-deadline", "-pk"]

    @property
    def is_open(self) -> bool:
        return self.completed_at is None
