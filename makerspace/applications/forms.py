from django import forms
from django.utils.translation import gettext_lazy as _

from makerspace.accounts.models import Organisation, RecommendingUnit, Role
from makerspace.batches.models import Batch, Kind
from makerspace.security.sanitize import clean_fields

from .models import Application, Attachment, BasicInfo, MakerSpace, Report, SuccessCase

YES_NO = [(True, _("是")), (False, _("否"))]

# 附件2 split into the sections the applicant fills one at a time; the order is the form's own.
BASIC_SECTIONS: dict[str, tuple[str, list[str]]] = {
    "entity": (
        _("运营主体"),
        [
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
        ],
    ),
    "builder": (
        _("建设主体与专业方向"),
        [
            "built_by_enterprise",
            "builder_enterprise_name",
            "built_by_university",
            "builder_university_name",
            "built_by_institute",
            "builder_institute_name",
            "professional_direction",
        ],
    ),
    "scale": (
        _("团队、场地与服务"),
        [
            "team_size",
            "team_college_count",
            "mentor_count",
            "floor_area",
            "public_area",
            "angel_fund",
            "resident_projects",
            "resident_enterprises",
            "events_held",
        ],
    ),
    "platforms": (
        _("平台与管理制度"),
        [
            "has_online_platform",
            "online_platform_name",
            "has_tech_platform",
            "tech_platform_name",
            "mgmt_entry_standard",
            "mgmt_exit_conditions",
            "mgmt_incubation_database",
            "mgmt_other",
            "mgmt_other_text",
        ],
    ),
}


def section_of_field(field: str) -> str:
    for section, (_title, fields) in BASIC_SECTIONS.items():
        if field in fields:
            return section
    raise KeyError(field)


def content_changes(form: forms.ModelForm) -> list[str]:
    """The fields of its record a bound form changes. A field the form carries beside the record
    (the row version the page was shown with) is how it was shown, never content."""
    return [name for name in form.changed_data if name in form._meta.fields]


class YesNoField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(
            choices=YES_NO,
            coerce=lambda v: v in (True, "True", "true", "1"),
            widget=forms.RadioSelect,
            required=False,
            empty_value=None,
            **{k: v for k, v in kwargs.items() if k in ("label", "help_text", "initial")},
        )


class BasicInfoSectionForm(forms.ModelForm):
    """One section of 附件2. Empty fields are allowed while drafting (the readiness panel lists
    what is still missing); what is filled must be right, and the error stands by its field."""

    class Meta:
        model = BasicInfo
        fields = [name for _title, names in BASIC_SECTIONS.values() for name in names]
        widgets = {
            "founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "legal_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "person_in_charge_mobile": forms.TextInput(attrs={"inputmode": "tel"}),
            "contact_mobile": forms.TextInput(attrs={"inputmode": "tel"}),
            "operator_nature": forms.RadioSelect,
        }

    def __init__(self, *args, section_name: str, **kwargs):
        wanted = BASIC_SECTIONS[section_name][1]
        # Django deep-copies every declared field into each form: only this section's are copied.
        self.base_fields = {name: field for name, field in self.base_fields.items() if name in wanted}
        super().__init__(*args, **kwargs)
        self.section_name = section_name
        for name in wanted:
            model_field = BasicInfo._meta.get_field(name)
            if model_field.get_internal_type() == "BooleanField" and model_field.null:
                self.fields[name] = YesNoField(
                    label=model_field.verbose_name, help_text=model_field.help_text
                )
                self.fields[name].initial = getattr(self.instance, name)
            if name in self.fields:
                self.fields[name].required = False
        if "operator_nature" in self.fields:
            self.fields["operator_nature"].choices = [
                c for c in self.fields["operator_nature"].choices if c[0]
            ]

    def _post_clean(self):
        """Django asks the database for every CHECK constraint of the model (one query each) on
        every validation. A section posted back unchanged is the stored row, which the database
        already holds to them: it is validated as a model, but its constraints are not asked again.
        A real change is checked in full, its messages beside the field."""
        if content_changes(self):
            super()._post_clean()
            return
        # Django's own validation, with the instance's constraint check shadowed for this one call
        # (an attribute on the instance, removed after): nothing of Django's is copied here.
        self.instance.validate_constraints = lambda exclude=None: None
        try:
            super()._post_clean()
        finally:
            del self.instance.validate_constraints

    def clean(self):
        data = super().clean()
        pairs = [
            ("built_by_enterprise", "builder_enterprise_name", _("请填写建设企业的详细名称。")),
            ("built_by_university", "builder_university_name", _("请填写建设高校的详细名称。")),
            ("built_by_institute", "builder_institute_name", _("请填写建设科研院所的详细名称。")),
            ("has_online_platform", "online_platform_name", _("请填写线上服务平台的名称。")),
            ("has_tech_platform", "tech_platform_name", _("请填写公共技术服务平台的名称。")),
            ("mgmt_other", "mgmt_other_text", _("请注明其他管理制度。")),
        ]
        for flag, name, message in pairs:
            if flag in self.fields and data.get(flag) and not (data.get(name) or "").strip():
                self.add_error(name, message)
        team, college = data.get("team_size"), data.get("team_college_count")
        if team is not None and college is not None and college > team:
            self.add_error(
                "team_college_count",
                _("大专以上人数不能超过管理团队人员总数（{team}人）。").format(team=team),
            )
        floor, public = data.get("floor_area"), data.get("public_area")
        if floor is not None and public is not None and public > floor:
            self.add_error(
                "public_area",
                _("公共办公与服务场地面积不能超过自主支配场地建筑面积（{floor}平方米）。").format(
                    floor=floor
                ),
            )
        return data


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = [
            "builder_overview",
            "space_status",
            "overall_results",
            "goals_and_tasks",
            "organisation_and_support",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in fields}
        help_texts = {
            "builder_overview": _("一、专业化众创空间介绍 · 1. 建设主体基本情况"),
            "space_status": _("一、专业化众创空间介绍 · 2. 专业化众创空间现状"),
            "overall_results": _("二、取得成效 · 1. 总体成效（成功案例另在“成功案例”中逐个填写）"),
            "goals_and_tasks": _("三、发展目标和重点任务"),
            "organisation_and_support": _("四、组织与保障"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean(self):
        return clean_fields(super().clean(), self.Meta.fields)


class SuccessCaseForm(forms.ModelForm):
    class Meta:
        model = SuccessCase
        fields = ["title", "enterprise_name", "field", "joined_on", "services", "results"]
        widgets = {
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "services": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        return clean_fields(super().clean(), ["title", "enterprise_name", "field", "services", "results"])


class SpaceForm(forms.ModelForm):
    class Meta:
        model = MakerSpace
        fields = ["name"]
        help_texts = {"name": _("名称须规范为“XXX专业化众创空间”，XXX为空间所服务的专业细分领域。")}


def _check_supervisor_in_unit(form: forms.Form, data: dict) -> None:
    """The supervising department must lie in the recommending unit's city or zone."""
    unit, supervisor = data.get("recommending_unit"), data.get("supervisor")
    if unit and supervisor and supervisor.recommending_unit_id not in (None, unit.pk):
        form.add_error("supervisor", _("所选主管部门不属于{unit}，请重新选择。").format(unit=unit.short_name))


class ApplicationStartForm(forms.Form):
    space = forms.ModelChoiceField(label=_("众创空间"), queryset=MakerSpace.objects.none())
    batch = forms.ModelChoiceField(label=_("申报批次"), queryset=Batch.objects.none())
    recommending_unit = forms.ModelChoiceField(
        label=_("推荐单位"), queryset=RecommendingUnit.objects.filter(active=True)
    )
    supervisor = forms.ModelChoiceField(
        label=_("主管部门"),
        queryset=Organisation.objects.filter(kind=Role.SUPERVISOR).select_related("recommending_unit"),
        required=False,
    )
    supervisor_name = forms.CharField(
        label=_("列表中没有本单位的主管部门？请填写其名称"),
        max_length=200,
        required=False,
        help_text=_("推荐单位核实后添加；添加前可以填写申报材料，添加后方可提交。"),
    )
    supervisor_contact = forms.EmailField(
        label=_("主管部门联系人 Email（选填）"),
        required=False,
        help_text=_("主管部门添加后，账号开通邀请发送至此。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = MakerSpace.objects.filter(organisation_id=user.organisation_id)
        self.fields["batch"].queryset = Batch.objects.filter(status=Batch.Status.OPEN)
        if user.organisation and user.organisation.recommending_unit_id:
            self.fields["recommending_unit"].initial = user.organisation.recommending_unit_id

    def clean(self):
        data = super().clean()
        _check_supervisor_in_unit(self, data)
        batch, supervisor, name = data.get("batch"), data.get("supervisor"), data.get("supervisor_name", "")
        if supervisor and name:
            self.add_error("supervisor_name", _("已选择主管部门时无需再填写名称。"))
        elif batch is not None and batch.step(Kind.ATTEST) is not None and not supervisor and not name:
            self.add_error("supervisor", _("请选择主管部门；列表中没有时，请在下方填写其名称。"))
        return data


class ApplicationSettingsForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["provincial_filing", "recommending_unit", "supervisor"]
        widgets = {"provincial_filing": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = Organisation.objects.filter(kind=Role.SUPERVISOR)
        self.fields["recommending_unit"].queryset = RecommendingUnit.objects.filter(active=True)
        self.fields["provincial_filing"].required = False
        self.fields["provincial_filing"].choices = [
            c for c in self.fields["provincial_filing"].choices if c[0]
        ]

    def clean(self):
        data = super().clean()
        _check_supervisor_in_unit(self, data)
        return data


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("材料类型"),
        choices=[
            (Attachment.Kind.EVIDENCE, Attachment.Kind.EVIDENCE.label),
            (Attachment.Kind.APPLICANT_COMMITMENT, Attachment.Kind.APPLICANT_COMMITMENT.label),
        ],
    )
    title = forms.CharField(
        label=_("材料名称"), max_length=200, required=False, help_text=_("例如：营业执照、场地租赁合同")
    )
    file = forms.FileField(label=_("文件"), help_text=_("PDF、JPG 或 PNG，单个文件不超过 20 MB。"))


class CommitmentForm(forms.Form):
    signatory = forms.CharField(label=_("运营主体法人（签字）"), max_length=50)
    agree = forms.BooleanField(
        label=_(
            "本单位承诺所提供的国家专业化众创空间申报数据真实、准确，申报资料规范、齐全，不存在任何弄虚作假行为。"
        ),
        required=True,
        error_messages={"required": _("请阅读并勾选承诺内容。")},
    )


class ReasonForm(forms.Form):
    comment = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
