"""`{% form_field field %}`: one field of a form with its label, help and errors beside it.

Every form page renders each of its fields through this (templates/includes/form_fields.html); a
附件2 section has ten or more, and the template language spent about 340 Python calls per field
on the wrapper alone (each attribute of the bound field looked up node by node), a tenth of the
applicant's most requested form page. The markup is the one the template wrote."""

from django import template
from django.utils.safestring import mark_safe

from makerspace.core.widgets import conditional_escape as _escaped

register = template.Library()


@register.simple_tag
def form_field(field):
    errors = field.errors
    css = "field" + (" has-error" if errors else "") + (" required" if field.field.required else "")
    if field.widget_type == "checkbox":
        body = f"<label>{_escaped(field)} {_escaped(field.label)}</label>"
    else:
        label = f'<label for="{_escaped(field.id_for_label)}">{_escaped(field.label)}</label>'
        body = f"{label}\n    {_escaped(field)}"
    # Help texts are the project's own, written with markup (the template showed them `|safe`).
    help_text = field.help_text and f'<small class="help">{field.help_text}</small>'
    shown = "".join(f'<p class="error" role="alert">{_escaped(error)}</p>' for error in errors)
    opening = f'<div class="{_escaped(css)}" id="field-{_escaped(field.html_name)}">'
    return mark_safe(f"{opening}\n  {body}\n  {help_text}\n  {shown}\n</div>")
