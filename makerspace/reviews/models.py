"""What the parties after the applicant record. Nothing here is ever deleted (R6): reviews,
judgements, document opens, paper receipts and material checks are kept with who and when."""

import uuid

from django.conf import settings
from django.db import models

from .checklists import Stage, Verdict


class Review(models.Model):
    """One reviewer's itemised review of one submitted version at one stage (R6, R9)."""

    class Decision(models.TextChoices):
        FORWARD = "forward", "审核通过"
        RECOMMEND = "recommend", "同意推荐"
        RETURN = "return", "退回修改"
        DECLINE = "decline", "不予推荐"
        PASS = "pass", "形式审查通过"
        FAIL = "fail", "形式审查不通过"

    application = models.ForeignKey(
        "applications.Application", verbose_name="申报", on_delete=models.PROTECT, related_name="reviews"
    )
    version_number = models.PositiveIntegerField("审核版本")
    stage = models.CharField("审核环节", max_length=20, choices=Stage.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+"
    )
    organisation_name = models.CharField("审核单位", max_length=200, blank=True)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    decision = models.CharField("审核结论", max_length=20, choices=Decision.choices, blank=True)
    decision_comment = models.TextField("审核意见", blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "version_number", "stage", "reviewer"], name="one_review_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} 第{self.version_number}版 {self.reviewer}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)


class Judgement(models.Model):
    """The reviewer's judgement and comment on one checklist item."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="judgements")
    item_code = models.CharField("审核要点", max_length=10)
    verdict = models.CharField("判断", max_length=10, choices=Verdict.choices)
    comment = models.TextField("意见")
    judged_at = models.DateTimeField("判断时间", auto_now=True)

    class Meta:
        verbose_name = "逐项审核意见"
        verbose_name_plural = "逐项审核意见"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["review", "item_code"], name="one_judgement_per_item")]


class DocumentOpen(models.Model):
    """A reviewer opened a document (R6: no decision before every document has been opened)."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document_key = models.CharField("文件标识", max_length=120)
    title = models.CharField("文件名称", max_length=200)
    opened_at = models.DateTimeField("打开时间", auto_now_add=True)

    class Meta:
        verbose_name = "材料查阅记录"
        verbose_name_plural = "材料查阅记录"
        indexes = [models.Index(fields=["reviewer", "document_key"])]


def letter_path(instance: "UnitSubmission", filename: str) -> str:
    return f"letters/{instance.batch_id}/{uuid.uuid4().hex}"


class UnitSubmission(models.Model):
    """A recommending unit's delivery of one batch: its 推荐函, what it delivered and the moment it
    was sent (R3, R5). The first delivery is number 1; an application returned and resubmitted after
    it reaches the next level in a supplementary delivery (补报, number 2, …) with its own letter."""

    batch = models.ForeignKey("batches.Batch", verbose_name="申报批次", on_delete=models.PROTECT)
    recommending_unit = models.ForeignKey(
        "accounts.RecommendingUnit", verbose_name="推荐单位", on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveSmallIntegerField("报送批次", default=1)
    applications = models.ManyToManyField(
        "applications.Application", verbose_name="报送的申报", related_name="deliveries", blank=True
    )
    letter = models.FileField("推荐函（盖章扫描件）", upload_to=letter_path, blank=True)
    letter_original_name = models.CharField("原文件名", max_length=255, blank=True)
    letter_content_type = models.CharField("文件类型", max_length=100, blank=True)
    letter_size = models.PositiveBigIntegerField("大小（字节）", null=True, blank=True)
    letter_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    letter_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    letter_uploaded_at = models.DateTimeField("推荐函上传时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "推荐单位报送"
        verbose_name_plural = "推荐单位报送"
        ordering = ["-submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "recommending_unit", "sequence"],
                name="one_submission_per_unit_batch_sequence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommending_unit} · {self.batch}{self.sequence_label}"

    @property
    def sequence_label(self) -> str:
        return "" if self.sequence == 1 else f"（第{self.sequence - 1}次补报）"

    @property
    def has_letter(self) -> bool:
        return bool(self.letter_sha256)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def letter_key(self) -> str:
        return f"letter:{self.pk}:{self.letter_sha256[:16]}"


class MaterialCheck(models.Model):
    """The acceptance unit's confirmation of one application's electronic set (R3)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="material_checks"
    )
    missing = models.JSONField("缺少或不合格的材料", default=list)
    note = models.TextField("说明", blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("核对时间", auto_now_add=True)
    # The flag goes back to the recommending unit as a task; its answer is kept here for the
    # receiving party to read.
    answer = models.TextField("推荐单位答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "电子材料核对"
        verbose_name_plural = "电子材料核对"
        ordering = ["-checked_at", "-id"]

    @property
    def complete(self) -> bool:
        return not self.missing


class PaperReceipt(models.Model):
    """Paper copies of one application registered by the acceptance unit (纸质一式两份)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="paper_receipts"
    )
    copies = models.PositiveSmallIntegerField("份数")
    received_on = models.DateField("收到日期")
    receiver = models.CharField("接收人", max_length=50)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "纸质材料登记"
        verbose_name_plural = "纸质材料登记"
        ordering = ["registered_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(copies__gte=1), name="paper_receipt_at_least_one_copy")
        ]


class Publication(models.Model):
    """The ministry's publication of a batch's filing list (R10)."""

    batch = models.ForeignKey("batches.Batch", on_delete=models.PROTECT, related_name="publications")
    title = models.CharField("名单标题", max_length=200)
    document_number = models.CharField("文号", max_length=50, blank=True)
    applications = models.ManyToManyField(
        "applications.Application", verbose_name="备案名单", related_name="publications"
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("公布时间", auto_now_add=True)

    class Meta:
        verbose_name = "备案名单公布"
        verbose_name_plural = "备案名单公布"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


# The reviewers' own integrity (the notice, 三.2: 六项承诺, 八个严禁, no 审核走过场) -----------------


class ReviewerPledge(models.Model):
    """A reviewer's signed integrity pledge for one batch, before its first decision in it. The
    text signed is kept as it read that day."""

    batch = models.ForeignKey(
        "batches.Batch", verbose_name="申报批次", on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人员", on_delete=models.PROTECT, related_name="+"
    )
    organisation_name = models.CharField("审核单位", max_length=200, blank=True)
    text = models.TextField("承诺内容")
    signed_at = models.DateTimeField("签署时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核诚信承诺"
        verbose_name_plural = "审核诚信承诺"
        ordering = ["batch", "signed_at"]
        constraints = [models.UniqueConstraint(fields=["batch", "reviewer"], name="one_pledge_per_reviewer")]


class ReviewerConflict(models.Model):
    """A conflict of interest a reviewer declares with one application: the reviewer may not decide
    it, and another reviewer of the same unit must."""

    class Kind(models.TextChoices):
        OWN_ORGANISATION = "own_organisation", "本人所在单位"
        FAMILY = "family", "近亲属任职或持股"
        FORMER_EMPLOYER = "former_employer", "近三年曾任职"
        INTEREST = "interest", "其他利害关系"

    application = models.ForeignKey(
        "applications.Application", verbose_name="申报", on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人员", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("利益冲突类型", max_length=20, choices=Kind.choices)
    detail = models.CharField("说明", max_length=500)
    declared_at = models.DateTimeField("声明时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核利益冲突声明"
        verbose_name_plural = "审核利益冲突声明"
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_conflict_per_reviewer")
        ]
