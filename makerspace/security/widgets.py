from django import forms
from django.urls import reverse
from django.utils.html import format_html


class MeteredPasswordInput(forms.PasswordInput):
    """A new password's input with, beside it, a 显示密码 switch (ASVS 2.1.12) and a meter that
    asks the server's own password validators as the user types (ASVS 2.1.8): the meter and the
    form's refusal cannot disagree, and no second list of rules is kept in the browser. Rendered
    here, not from a template, so it works under any form renderer."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "new-password", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        input_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        return format_html(
            '<span class="password-field">{}<button type="button" class="link password-toggle" '
            'data-toggle-password="{}" data-hide-label="隐藏密码" aria-controls="{}" '
            'aria-pressed="false">显示密码</button></span>'
            '<output class="password-meter" id="{}-meter" aria-live="polite" '
            'data-password-meter="{}" data-url="{}"></output>',
            field,
            input_id,
            input_id,
            input_id,
            input_id,
            reverse("security:password_check"),
        )


def meter_new_password(form, name: str) -> None:
    """Give the form's field `name` the metered input, keeping its other attributes."""
    field = form.fields[name]
    field.widget = MeteredPasswordInput(field.widget.attrs)
