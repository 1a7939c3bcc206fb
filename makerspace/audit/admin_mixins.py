"""Every change made in /admin/ writes an audit row, in the admin's own transaction.

Django's admin keeps its own LogEntry table, outside the hash chain and editable by any superuser;
it is not an audit trail. Any ModelAdmin gets the chain by listing `AuditedAdminMixin` first."""

from django.db import transaction

from .services import audit_record

# Values never copied into the audit payload: a password hash is a secret even when hashed.
SECRET_FIELDS = {"password"}


def _value(obj, name: str) -> str:
    field = obj._meta.get_field(name) if name in {f.name for f in obj._meta.get_fields()} else None
    if field is None:
        return ""
    if field.many_to_many:
        return ", ".join(sorted(str(o) for o in getattr(obj, name).all())) if obj.pk else ""
    value = getattr(obj, name, "")
    return "" if value is None else str(value)


class AuditedAdminMixin:
    def _stored(self, obj):
        if obj.pk is None:
            return None
        return type(obj)._default_manager.filter(pk=obj.pk).first()

    def save_model(self, request, obj, form, change):
        before = self._stored(obj) if change else None
        changed = [name for name in form.changed_data if name in {f.name for f in obj._meta.get_fields()}]
        old = {name: _value(before, name) for name in changed} if before is not None else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self._audit_fields = (obj, change, changed, old)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj, change, changed, old = self._audit_fields
        fields = {
            name: (
                {"old": "（已修改）", "new": "（已修改）"}
                if name in SECRET_FIELDS
                else {"old": old.get(name, ""), "new": _value(obj, name)}
            )
            for name in changed
        }
        verb = "修改" if change else "新增"
        audit_record(
            action=f"admin.{'change' if change else 'add'}",
            actor=request.user,
            target=obj,
            summary=f"后台{verb}{obj._meta.verbose_name}“{obj}”：{'、'.join(changed) or '无字段变化'}",
            payload={"model": obj._meta.label, "fields": fields},
        )

    def delete_model(self, request, obj):
        label, pk, text = obj._meta.label, obj.pk, str(obj)
        with transaction.atomic():
            super().delete_model(request, obj)
            audit_record(
                action="admin.delete",
                actor=request.user,
                summary=f"后台删除{obj._meta.verbose_name}“{text}”",
                payload={"model": label, "pk": str(pk)},
            )

    def delete_queryset(self, request, queryset):
        rows = [(o._meta.label, str(o.pk), str(o), o._meta.verbose_name) for o in queryset]
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            for label, pk, text, verbose in rows:
                audit_record(
                    action="admin.delete",
                    actor=request.user,
                    summary=f"后台删除{verbose}“{text}”",
                    payload={"model": label, "pk": pk},
                )
