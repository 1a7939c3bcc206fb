"""`{% form_field field %}`: one field of a form with its label, help and errors beside it.

Every form page renders each of its fields through this (templates/includes/form_fields.html); a
附件2 section has ten or more, and the template language spent about 340 Python calls per field
on the wrapper alone (each attribute of the bound field looked up node by node), a tenth of the
applicant's most requested form page. The markup is the one the template wrote."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def form_field(field):
    errors = field.errors
    css = "field" + (" has-error" if errors else "") + (" required" if field.field.required else "")
    if field.widget_type == "checkbox":
        body = format_html("<label>{} {}</label>", field, field.label)
    else:
        body = format_html('<label for="{}">{}</label>\n    {}', field.id_for_label, field.label, field)
    # Help texts are the project's own, written with markup (the template showed them `|safe`).
    help_text = field.help_text and format_html('<small class="help">{}</small>', mark_safe(field.help_text))
    shown = format_html_join("", '<p class="error" role="alert">{}</p>', ((error,) for error in errors))
    return format_html(
        '<div class="{}" id="field-{}">\n  {}\n  {}\n  {}\n</div>',
        *(css, field.html_name, body, help_text, shown),
    )
