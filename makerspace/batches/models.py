from django.conf import settings
from django.db import models

from makerspace.core.prepared import Prepared, related_rows
from makerspace.core.reference_data import PROVINCE_CHOICES, site_province


class Kind(models.TextChoices):
    """The kinds of step a batch's chain is built from. The code provides each kind's rules (the
    conditions of its transitions in `applications.workflow`); a batch orders them (`Step`)."""

    ATTEST = "attest", "主管部门审核并出具信用承诺书（附件5）"
    UNIT_REVIEW = "unit_review", "推荐单位逐项审核、排序并出具推荐函"
    RECEIPT = "receipt", "受理电子材料并登记纸质材料一式两份"
    FORMAL_REVIEW = "formal_review", "形式审查"
    SELECTION = "selection", "专家评审、公示与择优推荐"
    FILING = "filing", "科技部备案并公布名单"


class Level(models.TextChoices):
    """What a deadline closes (R5): the applicants' submission, or one step of the chain."""

    APPLICANT = "applicant", "申报单位提交"
    ATTEST = Kind.ATTEST.value, "主管部门审核"
    UNIT_REVIEW = Kind.UNIT_REVIEW.value, "推荐单位报送"
    RECEIPT = Kind.RECEIPT.value, "材料受理"
    FORMAL_REVIEW = Kind.FORMAL_REVIEW.value, "形式审查"
    SELECTION = Kind.SELECTION.value, "省科技厅择优推荐"
    FILING = Kind.FILING.value, "科技部备案"


# The integrity pledge every reviewer signs before its first decision in a batch, from the notice
# (三.2); a batch may carry its own text.
DEFAULT_REVIEWER_PLEDGE = (
    "本人承诺：认真落实中央八项规定精神，严格执行全省科技管理系统“六项承诺”和“八个严禁”规定；"
    "对申报材料内容严格把关、逐项审核，不走过场、不流于形式；与所审申报存在利益冲突时主动声明并回避；"
    "不泄露审核信息，不接受申报单位的任何馈赠和宴请。如有违反，愿按相关规定接受处理。"
)


def batch_label(year: int, title: str) -> str:
    """ "2026年 <title>", or the title alone where it begins with its year (the usual case:
    "2026年国家专业化众创空间备案推荐"), so that no list reads "2026年 2026年…"."""
    return title if title.startswith(f"{year}年") else f"{year}年 {title}"


def step_after(chain: list, kind: str | None):
    """The step after the step of `kind` in `chain` (the first step for None); None when the chain
    ends there or has no step of that kind. Shared by every chain model (batches, annual rounds)."""
    if kind is None:
        return chain[0] if chain else None
    kinds = [step.kind for step in chain]
    if kind not in kinds or kinds.index(kind) + 1 >= len(chain):
        return None
    return chain[kinds.index(kind) + 1]


class Batch(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "筹备中"
        OPEN = "open", "受理中"
        CLOSED = "closed", "已结束"

    year = models.PositiveIntegerField("年度")
    title = models.CharField("批次名称", max_length=200)
    document_number = models.CharField("文号", max_length=50, blank=True)
    province = models.CharField(
        "省份",
        max_length=20,
        choices=PROVINCE_CHOICES,
        default=site_province,
        help_text="组织本批次申报的省级科技主管部门所在省份；该批次的申报及备案众创空间均按此省份统计",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    applicant_deadline = models.DateTimeField("申报单位提交截止时间")
    quota = models.PositiveIntegerField(
        "推荐名额", null=True, blank=True, help_text="省科技厅择优推荐的总数上限"
    )
    regional_quota_percent = models.DecimalField(
        "地区推荐比例上限（%）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    revoked_by = models.CharField(
        "撤销备案的部门",
        max_length=20,
        choices=[("ministry", "科技部"), ("province", "省科技厅")],
        default="ministry",
        help_text="已备案众创空间被撤销备案时，由哪一方作出决定",
    )
    reviewer_pledge = models.TextField(
        "审核人员诚信承诺",
        default=DEFAULT_REVIEWER_PLEDGE,
        help_text="各级审核人员在本批次作出第一个审核结论前签署的承诺内容",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def year_label(self) -> str:
        """The batch as lists and charts name it: its title, led by its year unless it says it."""
        return batch_label(self.year, self.title)

    def chain(self) -> list["Step"]:
        """The batch's steps in order, read once per instance (a page asks many times)."""
        cache = getattr(self, "_chain_cache", None)
        if cache is None:
            cache = related_rows(self, "steps", _STEPS)
            cache.sort(key=lambda step: step.position)
            self._chain_cache = cache
        return cache

    def step(self, kind: str) -> "Step | None":
        return next((step for step in self.chain() if step.kind == kind), None)

    def step_after(self, kind: str | None) -> "Step | None":
        return step_after(self.chain(), kind)

    @property
    def delivery_deadline(self):
        """When the recommending units deliver (the notice's 2018-07-15), if the chain has them."""
        return self.base_deadline(Level.UNIT_REVIEW)

    def base_deadline(self, level: str):
        if level == Level.APPLICANT:
            return self.applicant_deadline
        step = self.step(level)
        return step.deadline if step is not None else None


class Step(models.Model):
    """One step of a batch's chain: a kind the code provides, the party that acts, its deadline and
    how it delivers. Each kind stands at most once in a chain, so an application's state names its
    step (see `applications.workflow`)."""

    class Party(models.TextChoices):
        SUPERVISOR = "supervisor", "主管部门"
        RECOMMENDER = "recommender", "推荐单位"
        ACCEPTANCE = "acceptance", "受理单位"
        PROVINCE = "province", "省科技厅"
        MINISTRY = "ministry", "科技部"

    batch = models.ForeignKey(Batch, verbose_name="申报批次", on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("顺序")
    kind = models.CharField("环节类型", max_length=20, choices=Kind.choices)
    party = models.CharField("办理方", max_length=20, choices=Party.choices)
    title = models.CharField("环节名称", max_length=100, blank=True)
    deadline = models.DateTimeField("截止时间")
    delivers_as_batch = models.BooleanField(
        "整批报送", default=False, help_text="推荐单位审核环节：推荐的申报随推荐函整批报送下一环节"
    )
    with_scoring = models.BooleanField("专家评审", default=False)
    with_publicity = models.BooleanField("公示", default=False)

    class Meta:
        verbose_name = "审核环节"
        verbose_name_plural = "审核环节"
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="one_step_per_position"),
            models.UniqueConstraint(fields=["batch", "kind"], name="one_step_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.label}"

    @property
    def label(self) -> str:
        return self.title or Kind(self.kind).label

    def clean(self):
        from django.core.exceptions import ValidationError

        from .chain import PARTIES

        allowed = PARTIES[self.kind]
        if self.party not in allowed:
            names = "、".join(Step.Party(p).label for p in allowed)
            raise ValidationError({"party": f"“{Kind(self.kind).label}”只能由{names}办理。"})


def _steps_of(batch_id):
    # Sorted by Batch.chain: the steps' default ordering (batch, position) would join the batch to
    # sort by its own ordering, for the steps of one batch.
    return Step.objects.filter(batch_id=batch_id).order_by()


# Nearly every page reads one batch's chain: compiled once (makerspace.core.prepared).
_STEPS = Prepared(_steps_of, int)


class DeadlineExtension(models.Model):
    """A deadline moved by the province, with its reason (R5). Never edited, only added."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="extensions")
    level = models.CharField("环节", max_length=20, choices=Level.choices)
    recommending_unit = models.ForeignKey(
        "accounts.RecommendingUnit",
        verbose_name="推荐单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="留空表示对该环节全部单位延期",
    )
    new_deadline = models.DateTimeField("延期至")
    reason = models.TextField("延期理由")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    granted_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = "截止时间延期"
        verbose_name_plural = "截止时间延期"
        ordering = ["-granted_at"]
