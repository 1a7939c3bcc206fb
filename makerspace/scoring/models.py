"""Expert scoring (择优, R9/R10): experts invited by the province, their declared conflicts of
interest, per-batch weights of the scoring sheet, and one assignment (with its score sheet) per
expert and application. Nothing here is deleted: a submitted sheet is frozen."""

from django.conf import settings
from django.db import models


class ExpertProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="专家账号",
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    organisation_name = models.CharField("工作单位", max_length=200)
    city = models.CharField("所在设区市", max_length=20, blank=True, help_text="省外专家留空")
    specialty = models.CharField("专业领域", max_length=200, blank=True)
    title = models.CharField("职称或职务", max_length=100, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField("邀请时间", auto_now_add=True)

    class Meta:
        verbose_name = "评审专家"
        verbose_name_plural = "评审专家"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.user}（{self.organisation_name}）"


class ConflictDeclaration(models.Model):
    """A conflict of interest the expert states by hand: with one application, or with a body by
    name (an operating entity or a builder). Same organisation, same builder and same city are
    found without being declared (scoring/conflicts.py)."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="专家",
        on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="申报",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation_name = models.CharField("相关单位名称", max_length=200, blank=True)
    reason = models.TextField("回避理由")
    declared_at = models.DateTimeField("声明时间", auto_now_add=True)

    class Meta:
        verbose_name = "利益冲突声明"
        verbose_name_plural = "利益冲突声明"
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False) | ~models.Q(organisation_name=""),
                name="conflict_names_application_or_body",
                violation_error_message="请选择申报或填写相关单位名称。",
            )
        ]


class BatchWeights(models.Model):
    """The weights of the three parts of the 工作指引 in one batch's scoring sheet (sum 100)."""

    DEFAULTS = {"basic": 40, "features": 30, "tasks": 30}

    batch = models.OneToOneField(
        "batches.Batch", verbose_name="申报批次", on_delete=models.PROTECT, related_name="+"
    )
    basic = models.PositiveSmallIntegerField("基本条件权重（%）", default=DEFAULTS["basic"])
    features = models.PositiveSmallIntegerField("主要特征权重（%）", default=DEFAULTS["features"])
    tasks = models.PositiveSmallIntegerField("主要任务权重（%）", default=DEFAULTS["tasks"])
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "评分权重"
        verbose_name_plural = "评分权重"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(basic__lte=100, features__lte=100, tasks__lte=100),
                name="weights_at_most_100",
            )
        ]


class Assignment(models.Model):
    """One expert's assignment to one application, and the expert's score sheet for it."""

    class Method(models.TextChoices):
        AUTO = "auto", "自动分配"
        MANUAL = "manual", "手工指定"

    application = models.ForeignKey(
        "applications.Application",
        verbose_name="申报",
        on_delete=models.PROTECT,
        related_name="expert_assignments",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="专家",
        on_delete=models.PROTECT,
        related_name="expert_assignments",
    )
    method = models.CharField("分配方式", max_length=10, choices=Method.choices)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("分配时间", auto_now_add=True)
    scores = models.JSONField("逐项评分", default=dict)
    comment = models.TextField("评审意见", blank=True)
    saved_at = models.DateTimeField("保存时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    total = models.DecimalField("加权总分", max_digits=5, decimal_places=2, null=True, blank=True)
    weights = models.JSONField("计分所用权重", default=dict)

    class Meta:
        verbose_name = "专家评审任务"
        verbose_name_plural = "专家评审任务"
        ordering = ["application_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="one_assignment_per_expert_application"
            )
        ]

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
