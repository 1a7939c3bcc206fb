from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from makerspace.core.reference_data import PROVINCE_CHOICES, site_province

from .credit_code import normalise, validate_credit_code


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报单位")
    SUPERVISOR = "supervisor", _("主管部门")
    RECOMMENDER = "recommender", _("推荐单位")
    ACCEPTANCE = "acceptance", _("受理单位")
    PROVINCE = "province", _("省科技厅")
    EXPERT = "expert", _("评审专家")
    MINISTRY = "ministry", _("科技部")
    ADMIN = "admin", _("系统管理员")


class Nature(models.TextChoices):
    """运营主体性质, the six boxes of 附件2."""

    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("企业（国有）")
    PRIVATE_ENTERPRISE = "private_enterprise", _("企业（民营）")
    INVESTMENT = "investment", _("投资机构")
    UNIVERSITY = "university", _("高校")
    OTHER = "other", _("其它社会组织")


def _province_field(help_text) -> models.CharField:
    """The province a unit or an organisation belongs to (SITE_PROVINCE unless set)."""
    return models.CharField(
        _("所在省份"), max_length=20, choices=PROVINCE_CHOICES, default=site_province, help_text=help_text
    )


class RecommendingUnit(models.Model):
    """A 设区市科技局（科委） or a 国家高新区管委会: reference data an administrator edits."""

    class Kind(models.TextChoices):
        CITY = "city", _("设区市科技局（科委）")
        HIGH_TECH_ZONE = "zone", _("国家高新区管委会")

    name = models.CharField(_("推荐单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    city = models.CharField(_("所在设区市"), max_length=20)
    province = _province_field(
        _("推荐单位所在省份：只有该省的省科技厅和受理单位看到其报送，并统计其未报送情况。")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("推荐单位")
        verbose_name_plural = _("推荐单位")
        ordering = ["kind", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """Any body that acts in the process: an operating entity, a department, a unit, the province."""

    name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    kind = models.CharField(_("单位类型"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    nature = models.CharField(_("运营主体性质"), max_length=30, choices=Nature.choices, blank=True)
    legal_representative = models.CharField(_("法人代表"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("单位地址"), max_length=200, blank=True)
    email = models.EmailField("Email", blank=True)
    recommending_unit = models.ForeignKey(
        RecommendingUnit,
        verbose_name=_("所属推荐单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("申报单位与主管部门所在的设区市或国家高新区；推荐单位即其本身。"),
    )
    province = _province_field(
        _("省科技厅和受理单位只办理本省批次的申报、报送和备案众创空间；科技部不受省份限制。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.credit_code = normalise(self.credit_code)


class User(AbstractUser):
    """One account acts for one organisation in one role (a person may hold several accounts)."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_role(self) -> str:
        return Role(self.role).label

    def has_perm(self, perm, obj=None) -> bool:
        """The permission module's rules answer for every user, superusers included: Django's
        "an active superuser has every permission" would let an operator account publish a list or
        move a deadline. Only the admin's own model permissions (add/change/delete/view a model, asked
        without an object) keep Django's answer: the admin is for reference data."""
        import rules

        if rules.perm_exists(perm) and not (obj is None and _is_model_permission(perm)):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


def _is_model_permission(perm: str) -> bool:
    """Whether `perm` is one of Django's own add/change/delete/view permissions of an installed
    model ("reviews.view_review"), not a rule that merely begins alike ("reviews.view_supervisor_queue")."""
    from django.apps import apps

    app_label, _, codename = perm.partition(".")
    action, _, model_name = codename.partition("_")
    if action not in {"add", "change", "delete", "view"}:
        return False
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True


class Invitation(models.Model):
    """An invitation for the first user of an organisation that exists without one: created by an
    import of the 汇总表, or a 主管部门 a recommending unit added. Only the token's hash is stored;
    the link is e-mailed to the address the organisation was registered with."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("Email")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, verbose_name=_("邀请人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    accepted_at = models.DateTimeField(_("开通时间"), null=True, blank=True)
    user = models.ForeignKey(
        User, verbose_name=_("开通的账号"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("账号邀请")
        verbose_name_plural = _("账号邀请")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.email}"


class PendingRegistration(models.Model):
    """A registration waiting for its e-mail address to be confirmed. The registration form answers
    alike whether the credit code is free, already registered or created by an import (ASVS 2.x,
    account enumeration): only the mailbox that was typed learns which, and the organisation and its
    first user are created when the link in that mail is confirmed. Only the token's hash and the
    password's hash are stored."""

    email = models.EmailField("Email")
    token_hash = models.CharField(max_length=64, unique=True)
    data = models.JSONField(_("注册信息"))
    password_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    user = models.ForeignKey(
        User, verbose_name=_("开通的账号"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("待确认注册")
        verbose_name_plural = _("待确认注册")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.data.get('organisation_name', '')} · {self.email}"


class SupervisorRequest(models.Model):
    """An applicant's 主管部门 that is not yet in the system, named by the applicant and added (or
    matched to one already there) by its recommending unit or an administrator, without code."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        ADDED = "added", _("已添加")
        MATCHED = "matched", _("已对应现有主管部门")
        REJECTED = "rejected", _("未予添加")

    recommending_unit = models.ForeignKey(
        RecommendingUnit, verbose_name=_("推荐单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("主管部门名称"), max_length=200)
    contact_email = models.EmailField(_("主管部门联系人 Email"), blank=True)
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.CASCADE,
        related_name="supervisor_requests",
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    supervisor = models.ForeignKey(
        Organisation,
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_by = models.ForeignKey(
        User, verbose_name=_("处理人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("主管部门添加申请")
        verbose_name_plural = _("主管部门添加申请")
        ordering = ["status", "-requested_at"]

    def __str__(self) -> str:
        return self.name
