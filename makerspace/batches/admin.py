"""Batches and their chains in the admin. Every change asks for a reason and is written to the
hash-chained audit log; once a batch is open, its chain and deadlines are read-only here (deadlines
then move only by the province's extensions, R5)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from makerspace.audit.services import audit_record

from .chain import PRESETS, chain_from_preset, ensure_sound
from .models import Batch, DeadlineExtension, Step


def _editable_chain(batch: Batch | None) -> bool:
    return batch is None or batch.pk is None or batch.status == Batch.Status.DRAFT


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    readonly_fields = ["level", "recommending_unit", "new_deadline", "reason", "granted_by", "granted_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ChainFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        steps = []
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            steps.append(
                Step(
                    **{
                        k: v
                        for k, v in form.cleaned_data.items()
                        if k in {"position", "kind", "party", "deadline"}
                    }
                )
            )
        steps.sort(key=lambda step: step.position or 0)
        try:
            ensure_sound(steps)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class StepInline(admin.TabularInline):
    model = Step
    formset = ChainFormSet
    extra = 0
    fields = [
        "position",
        "kind",
        "party",
        "title",
        "deadline",
        "delivers_as_batch",
        "with_scoring",
        "with_publicity",
    ]

    def has_add_permission(self, request, obj=None):
        return _editable_chain(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _editable_chain(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _editable_chain(obj) and super().has_delete_permission(request, obj)


class BatchAdminForm(forms.ModelForm):
    reason = forms.CharField(
        label="变更理由", widget=forms.Textarea(attrs={"rows": 2}), help_text="写入审计日志"
    )

    class Meta:
        model = Batch
        fields = [
            "year",
            "title",
            "province",
            "document_number",
            "status",
            "applicant_deadline",
            "quota",
            "regional_quota_percent",
            "revoked_by",
        ]


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    form = BatchAdminForm
    list_display = ["title", "year", "province", "document_number", "status", "applicant_deadline", "quota"]
    list_filter = ["status", "year", "province"]
    inlines = [StepInline, DeadlineExtensionInline]
    actions = ["apply_jiangsu_2018", "apply_province_receipt", "apply_county_first"]

    def get_readonly_fields(self, request, obj=None):
        return [] if _editable_chain(obj) else ["applicant_deadline"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The reason is the change's own, not a field of the batch.
        fields = [name for name in form.changed_data if name != "reason"]
        verb = "修改" if change else "创建"
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if not change:
                chain_from_preset(batch=obj, preset=PRESETS["jiangsu_2018"])
            audit_record(
                action="batch.admin_change" if change else "batch.admin_create",
                actor=request.user,
                target=obj,
                summary=f"{verb}申报批次“{obj.title}”：{'、'.join(fields) or '无字段变化'}",
                payload={"reason": form.cleaned_data["reason"], "fields": fields},
            )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Step and (
            formset.new_objects or formset.changed_objects or formset.deleted_objects
        ):
            audit_record(
                action="batch.chain_change",
                actor=request.user,
                target=form.instance,
                summary=f"修改“{form.instance.title}”的审核链",
                payload={
                    "reason": form.cleaned_data["reason"],
                    "steps": [
                        f"{s.position}:{s.kind}:{s.party}:{s.deadline.isoformat()}"
                        for s in form.instance.steps.all()
                    ],
                },
            )

    def _apply(self, request, queryset, key: str):
        for batch in queryset:
            if not _editable_chain(batch):
                self.message_user(request, f"“{batch.title}”已开始受理，审核链不能再更换。", messages.ERROR)
                continue
            with transaction.atomic():
                chain_from_preset(batch=batch, preset=PRESETS[key])
                audit_record(
                    action="batch.chain_preset",
                    actor=request.user,
                    target=batch,
                    summary=f"“{batch.title}”采用预设审核链：{PRESETS[key].label}",
                    payload={"preset": key},
                )
            self.message_user(request, f"“{batch.title}”已采用：{PRESETS[key].label}")

    @admin.action(description="采用预设审核链：2018年江苏")
    def apply_jiangsu_2018(self, request, queryset):
        self._apply(request, queryset, "jiangsu_2018")

    @admin.action(description="采用预设审核链：无主管部门，省科技厅自行受理")
    def apply_province_receipt(self, request, queryset):
        self._apply(request, queryset, "province_receipt")

    @admin.action(description="采用预设审核链：区县科技部门初审，设区市审核推荐")
    def apply_county_first(self, request, queryset):
        self._apply(request, queryset, "county_first")
