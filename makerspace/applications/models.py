import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from makerspace.accounts.models import Nature

from .validators import validate_mobile, validate_not_future, validate_phone, validate_space_name
from .workflow import EDITABLE, ApplicationWorkflow, Level, State, state_label, step_of


class MakerSpace(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("运营主体"), on_delete=models.PROTECT, related_name="spaces"
    )
    name = models.CharField(_("众创空间名称"), max_length=100, unique=True, validators=[validate_space_name])
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("众创空间")
        verbose_name_plural = _("众创空间")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProvincialFiling(models.TextChoices):
    """R1: the space is already in, or is applying for, the provincial maker-space filing."""

    FILED = "filed", _("已纳入省级众创空间备案管理")
    APPLYING = "applying", _("正在申请纳入省级众创空间备案管理")
    NONE = "none", _("尚未纳入也未申请")


class Application(ApplicationWorkflow):
    number = models.CharField(_("申报编号"), max_length=30, unique=True, null=True, blank=True)
    space = models.ForeignKey(
        MakerSpace, verbose_name=_("众创空间"), on_delete=models.PROTECT, related_name="applications"
    )
    batch = models.ForeignKey(
        "batches.Batch", verbose_name=_("申报批次"), on_delete=models.PROTECT, related_name="applications"
    )
    recommending_unit = models.ForeignKey(
        "accounts.RecommendingUnit",
        verbose_name=_("推荐单位"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # The recommending unit's sort_order, kept here so that one index serves the batch pages' order
    # (province rank, the unit's order, the unit's rank): kept in step by the services that set an
    # application's unit (applications.services) and a unit's order (accounts.services).
    unit_sort_order = models.PositiveIntegerField(_("推荐单位排序"), default=0, editable=False)
    supervisor = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        related_name="supervised_applications",
        null=True,
        blank=True,
        help_text=_("审核链有主管部门环节时必填；列表中没有的主管部门由推荐单位添加。"),
    )
    provincial_filing = models.CharField(
        _("省级众创空间备案情况"), max_length=20, choices=ProvincialFiling.choices, blank=True
    )
    commitment_signed_at = models.DateTimeField(_("信用承诺书签署时间"), null=True, blank=True)
    commitment_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("信用承诺书签署人账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    commitment_signatory = models.CharField(_("运营主体法人（签字）"), max_length=50, blank=True)
    current_version = models.PositiveIntegerField(_("当前版本"), default=0)
    reached_level = models.PositiveSmallIntegerField(
        _("已到达环节"), choices=Level.choices, default=Level.APPLICANT
    )
    recommender_rank = models.PositiveIntegerField(_("推荐排序"), null=True, blank=True)
    province_rank = models.PositiveIntegerField(_("省级排序"), null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["space", "batch"], name="one_application_per_space_per_batch")
        ]
        indexes = [
            # The queues, oldest submission first (reviews.selectors.supervisor_queue and
            # recommender_queue): one page is read in the index's order and the rows are joined for
            # that page alone, instead of every waiting row joined and sorted
            # (docs/benchmarks.md, "The list pages' SQL at 100,000").
            models.Index(
                fields=["recommending_unit", "state", "batch", "submitted_at", "id"],
                name="application_unit_queue",
            ),
            models.Index(
                fields=["supervisor", "state", "submitted_at", "id"], name="application_supervisor_queue"
            ),
            # The unit's batch page (its rows ranked first: PostgreSQL's ASC puts NULLs last, as the
            # page's order does), its ranking and its counts. On PostgreSQL it carries reached_level,
            # which the unit's visibility filters on, so the counts per batch and state are read
            # from the index alone (docs/benchmarks.md, EXPLAIN at 100,000).
            models.Index(
                fields=["recommending_unit", "batch", "recommender_rank", "state", "id"],
                include=["reached_level"],
                name="application_unit_batch_rank",
            ),
            # The supervisor's handled list, newest first: read backwards, no sort.
            models.Index(fields=["supervisor", "updated_at"], name="application_supervisor_updated"),
            # A batch's section by state, in the batch pages' order (province rank, the unit's order,
            # the unit's rank; PostgreSQL's ASC puts NULLs last, as the order does): one page of a
            # section is read from the index in order, whatever the section's size, instead of its
            # thousands of rows joined to their units and sorted (reviews.selectors.batch_page). On
            # PostgreSQL it carries reached_level, which the visibility filters on, so the section's
            # counts and keys are read from the index alone (docs/benchmarks.md).
            models.Index(
                fields=["batch", "state", "province_rank", "unit_sort_order", "recommender_rank", "id"],
                include=["reached_level", "recommending_unit"],
                name="application_batch_state_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.space.name}"

    @staticmethod
    def make_number(year: int, pk: int) -> str:
        """The application number shown on screen and printed on every document."""
        return f"ZC{year}{pk:06d}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE

    def get_state_display(self) -> str:
        return state_label(self)

    @property
    def step(self):
        """The step of its batch's chain the application stands at (None outside the chain)."""
        return step_of(self)

    @property
    def is_signed(self) -> bool:
        return self.commitment_signed_at is not None


class BasicInfo(models.Model):
    """附件2 国家专业化众创空间基础信息表: every field typed, labelled with the form's own words."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="basic_info")
    founded_on = models.DateField(_("成立时间"), null=True, blank=True, validators=[validate_not_future])
    operator_name = models.CharField(_("运营主体名称"), max_length=200, blank=True)
    operator_nature = models.CharField(_("运营主体性质"), max_length=30, choices=Nature.choices, blank=True)
    legal_representative = models.CharField(_("法人代表"), max_length=50, blank=True)
    legal_phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    person_in_charge = models.CharField(_("负责人"), max_length=50, blank=True)
    person_in_charge_mobile = models.CharField(
        _("负责人联系手机"), max_length=20, blank=True, validators=[validate_mobile]
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_mobile = models.CharField(
        _("联系人联系手机"), max_length=20, blank=True, validators=[validate_mobile]
    )
    address = models.CharField(_("单位地址"), max_length=200, blank=True)
    email = models.EmailField("Email", blank=True)
    built_by_enterprise = models.BooleanField(
        _("是否由高新技术企业或龙头骨干企业建立"), null=True, blank=True
    )
    builder_enterprise_name = models.CharField(_("建设企业详细名称"), max_length=200, blank=True)
    built_by_university = models.BooleanField(_("是否由高校建立"), null=True, blank=True)
    builder_university_name = models.CharField(_("建设高校详细名称"), max_length=200, blank=True)
    built_by_institute = models.BooleanField(_("是否由科研院所建立"), null=True, blank=True)
    builder_institute_name = models.CharField(_("建设科研院所详细名称"), max_length=200, blank=True)
    professional_direction = models.CharField(
        _("主要专业方向"), max_length=200, blank=True, help_text=_("如互联网、新材料、生物医药、新能源等")
    )
    team_size = models.PositiveIntegerField(_("管理团队人员总数"), null=True, blank=True)
    team_college_count = models.PositiveIntegerField(_("其中大专以上人数"), null=True, blank=True)
    mentor_count = models.PositiveIntegerField(_("创业导师数"), null=True, blank=True)
    floor_area = models.DecimalField(
        _("自主支配场地建筑面积（平方米）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    public_area = models.DecimalField(
        _("公共办公与服务场地面积（平方米）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    angel_fund = models.DecimalField(
        _("天使投资（种子）基金（资金）规模（万元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    resident_projects = models.PositiveIntegerField(_("入驻项目数"), null=True, blank=True)
    resident_enterprises = models.PositiveIntegerField(_("入驻企业数"), null=True, blank=True)
    events_held = models.PositiveIntegerField(_("举办创新创业活动次数"), null=True, blank=True)
    has_online_platform = models.BooleanField(_("是否建有线上服务平台"), null=True, blank=True)
    online_platform_name = models.CharField(_("线上服务平台名称"), max_length=200, blank=True)
    has_tech_platform = models.BooleanField(_("是否建有公共技术服务平台"), null=True, blank=True)
    tech_platform_name = models.CharField(_("公共技术服务平台名称"), max_length=200, blank=True)
    mgmt_entry_standard = models.BooleanField(_("入驻标准"), default=False)
    mgmt_exit_conditions = models.BooleanField(_("退出条件"), default=False)
    mgmt_incubation_database = models.BooleanField(_("在孵项目或企业数据库"), default=False)
    mgmt_other = models.BooleanField(_("其他"), default=False)
    mgmt_other_text = models.CharField(_("其他管理制度"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("基础信息表")
        verbose_name_plural = _("基础信息表")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team_college_count__lte=models.F("team_size"))
                | models.Q(team_college_count__isnull=True)
                | models.Q(team_size__isnull=True),
                name="college_count_within_team",
                violation_error_message=_("大专以上人数不能超过管理团队人员总数。"),
            ),
            models.CheckConstraint(
                condition=models.Q(public_area__lte=models.F("floor_area"))
                | models.Q(public_area__isnull=True)
                | models.Q(floor_area__isnull=True),
                name="public_area_within_floor_area",
                violation_error_message=_("公共办公与服务场地面积不能超过自主支配场地建筑面积。"),
            ),
        ]


class Report(models.Model):
    """附件3 国家专业化众创空间备案申报书: the outline's four chapters."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="report")
    builder_overview = models.TextField(_("建设主体基本情况"), blank=True)
    space_status = models.TextField(_("专业化众创空间现状"), blank=True)
    overall_results = models.TextField(_("总体成效"), blank=True)
    goals_and_tasks = models.TextField(_("发展目标和重点任务"), blank=True)
    organisation_and_support = models.TextField(_("组织与保障"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("申报书")
        verbose_name_plural = _("申报书")


class SuccessCase(models.Model):
    """One of the 3–5 成功案例 of 附件3 chapter 二."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="success_cases")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("案例名称"), max_length=100)
    enterprise_name = models.CharField(_("企业（团队）名称"), max_length=200)
    field = models.CharField(_("所属领域"), max_length=100, blank=True)
    joined_on = models.DateField(_("入驻时间"), null=True, blank=True, validators=[validate_not_future])
    services = models.TextField(_("空间提供的服务"))
    results = models.TextField(_("取得的成效"))

    class Meta:
        verbose_name = _("成功案例")
        verbose_name_plural = _("成功案例")
        ordering = ["position", "id"]


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The user's file name is never used as a path: it is kept only as a label.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        APPLICANT_COMMITMENT = "applicant_commitment", _("申报单位信用承诺书（签字盖章扫描件）")
        SUPERVISOR_COMMITMENT = "supervisor_commitment", _("主管部门信用承诺书（盖章扫描件）")
        EVIDENCE = "evidence", _("证明材料")

    # The kinds the applicant itself uploads and may remove (附件5 is the supervising department's).
    APPLICANT_KINDS = frozenset({Kind.APPLICANT_COMMITMENT, Kind.EVIDENCE})

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("材料类型"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # A file a frozen version refers to is never deleted, only retired from the current set.
    retired_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("附件材料")
        verbose_name_plural = _("附件材料")
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.title


class ApplicationVersion(models.Model):
    """The frozen, numbered copy of an application made at each submission. Never changed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    data = models.JSONField(_("申报数据"))
    data_sha256 = models.CharField(_("数据摘要"), max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报版本")
        verbose_name_plural = _("申报版本")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"第{self.number}版"


class ApplicationEvent(models.Model):
    """One fired transition: who, in which role, when, from, to, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("操作"), max_length=40)
    source = models.CharField(_("原状态"), max_length=30, choices=State.choices)
    target = models.CharField(_("新状态"), max_length=30, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT)
    role = models.CharField(_("角色"), max_length=20)
    organisation_name = models.CharField(_("单位"), max_length=200, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    version_number = models.PositiveIntegerField(_("版本号"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["-at", "-id"]


class SectionDraft(models.Model):
    """What the applicant typed in a section that did not validate yet: kept so nothing is lost."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="section_drafts")
    section = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "section"], name="one_draft_per_section")
        ]
