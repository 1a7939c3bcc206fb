"""The form renderer (settings.FORM_RENDERER): Django's own, except that the widgets every page
repeats (text, number, date and file inputs, textareas, radio buttons, check boxes, selects) are
written here in Python instead of through a template each. A review checklist renders 17 radio
groups and 17 textareas, a ranking page one number input per row: through the template engine each
of them costs an include chain (input_option → input → attrs). The output is the same markup,
byte for byte, as Django's templates for those widgets (makerspace/core/tests/test_widgets.py
compares the two); any other template (a form's layout, error lists, the admin's widgets) is
rendered by Django's templates as before."""

from html import escape

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"
# Widget templates that are only `{% include "django/forms/widgets/input.html" %}` and a newline.
_INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
}
_OPTIONS = {f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html"}
_SELECT_OPTION = f"{WIDGETS}select_option.html"
_MULTIPLE = {f"{WIDGETS}radio.html", f"{WIDGETS}checkbox_select.html", f"{WIDGETS}multiple_input.html"}


def conditional_escape(value) -> str:
    """django.utils.html.conditional_escape, without the lazy-string wrapper that cost about 60
    calls per value: a value with markup (a widget, a marked-safe label) as it is, anything else
    escaped. A form renders a dozen values per field."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe string's safety."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _text(value) -> str:
    """`{{ value }}` in a template: localised, then escaped unless already safe."""
    if isinstance(value, str):
        return conditional_escape(value)  # a string is shown as it is: nothing to localise
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html, without its final newline."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _input_option(widget: dict) -> str:
    """django/forms/widgets/input_option.html, without its final newline."""
    if not widget.get("wrap_label"):
        return _input(widget) + "\n"
    element_id = widget["attrs"].get("id")
    label_for = f' for="{_text(element_id)}"' if element_id else ""
    return f"<label{label_for}>{_input(widget)}\n {_text(widget['label'])}</label>"


def _option(widget: dict) -> str:
    """A radio or check box option as its own template renders it, final newlines included."""
    return _input_option(widget) + "\n\n"


def _grouped(widget: dict, *, opening: str, closing: str, option, templates) -> str | None:
    """A choice widget's options, each group's between its opening (formatted with the group's
    label) and its closing markup; None when an option has a template not written here."""
    parts = []
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(opening.format(_text(group)))
        for choice in options:
            if choice["template_name"] not in templates:
                return None
            parts.append(option(choice))
        if group:
            parts.append(closing)
    return "".join(parts)


def _multiple(widget: dict) -> str:
    """django/forms/widgets/multiple_input.html (radio.html, checkbox_select.html), final newline
    dropped."""
    element_id = widget["attrs"].get("id")
    css = widget["attrs"].get("class")
    options = _grouped(
        widget,
        opening="\n  <div><label>{}</label>",
        closing="\n  </div>",
        option=lambda choice: f"<div>\n    {_option(choice)}</div>",
        templates=_OPTIONS,
    )
    if options is None:
        return ""
    element_id = f' id="{_text(element_id)}"' if element_id else ""
    css = f' class="{_text(css)}"' if css else ""
    return f"<div{element_id}{css}>{options}\n</div>"


def _select_option(option: dict) -> str:
    """django/forms/widgets/select_option.html, without its final newline."""
    value = _formatted(option["value"])
    return f'<option value="{value}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>'


def _select(widget: dict) -> str:
    """django/forms/widgets/select.html with select_option.html, final newline dropped."""
    options = _grouped(
        widget,
        opening='\n  <optgroup label="{}">',
        closing="\n  </optgroup>",
        option=lambda choice: f"\n  {_select_option(choice)}\n",
        templates={_SELECT_OPTION},
    )
    if options is None:
        return ""
    return f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>{options}\n</select>'


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


class WidgetRenderer(DjangoTemplates):
    """Django's template renderer, with the common widgets written directly (same markup)."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) and len(context) == 1 else None
        if isinstance(widget, dict):
            html = self._direct(template_name, widget)
            if html:
                return mark_safe(html)
        return super().render(template_name, context, request=request)

    @staticmethod
    def _direct(template_name: str, widget: dict) -> str:
        """The widget's markup, or "" to leave it to the template (any template not known here)."""
        if template_name in _INPUTS or template_name == f"{WIDGETS}input.html":
            return _input(widget)
        if template_name in _OPTIONS:
            return _input_option(widget).strip()
        if template_name in _MULTIPLE:
            return _multiple(widget)
        if template_name == f"{WIDGETS}select.html":
            return _select(widget)
        if template_name == _SELECT_OPTION:
            return _select_option(widget)
        if template_name == f"{WIDGETS}textarea.html":
            return _textarea(widget)
        return ""
