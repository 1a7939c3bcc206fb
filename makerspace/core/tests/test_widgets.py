"""The form renderer writes the common widgets in Python: its markup must be Django's templates'
markup, byte for byte, for every kind of value, attribute, choice group and error."""

import importlib
import inspect
from datetime import date
from unittest import mock

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe

from makerspace.core.widgets import WidgetRenderer

GROUPED = [("东部", [("nj", "南京<市>"), ("sz", "苏州")]), ("wx", "无锡 & 周边"), (3, 3)]


class Everything(forms.Form):
    name = forms.CharField(max_length=20, help_text="说明")
    optional = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"class": "wide", "data-x": '"q"', "readonly": True})
    )
    count = forms.IntegerField(min_value=1, max_value=99, required=False)
    amount = forms.DecimalField(max_digits=6, decimal_places=2, required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False)
    at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), required=False)
    email = forms.EmailField(required=False)
    link = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    agree = forms.BooleanField(required=False)
    flag = forms.NullBooleanField(required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    city = forms.ChoiceField(choices=GROUPED, required=False)
    cities = forms.MultipleChoiceField(choices=GROUPED, required=False)
    verdict = forms.ChoiceField(choices=GROUPED, widget=forms.RadioSelect, required=False)
    marks = forms.MultipleChoiceField(
        choices=GROUPED, widget=forms.CheckboxSelectMultiple(attrs={"class": "cols"}), required=False
    )
    plain = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect)
    off = forms.CharField(disabled=True, required=False, initial="不可改")
    scan = forms.FileField(required=False)
    clearable = forms.FileField(required=False, widget=forms.ClearableFileInput)


VALUES = [
    {},
    {
        "name": "A<b>&\"'",
        "optional": mark_safe("<i>safe</i>"),
        "count": "0",
        "amount": "12.5",
        "when": "2026-02-30",
        "at": "2026-12-02T10:00",
        "email": "not-an-email",
        "link": "javascript:alert(1)",
        "secret": 'x"y',
        "hidden": "<h>",
        "agree": "on",
        "flag": "true",
        "text": "第一行\n<script>",
        "city": "sz",
        "cities": ["nj", "3"],
        "verdict": "wx",
        "marks": ["sz", "wx"],
        "plain": "c",
    },
    {"name": "好", "count": "5", "when": "2026-12-02", "verdict": "3", "plain": "a", "text": ""},
]


def _pairs(form_class, **kwargs):
    """The same form rendered by Django's renderer and by ours."""
    return form_class(renderer=DjangoTemplates(), **kwargs), form_class(renderer=WidgetRenderer(), **kwargs)


def _every_rendering(form) -> list[str]:
    """Each field alone, each choice alone (as a template loop over a radio group shows it), and the
    whole form through its layout template."""
    out = [form.as_div()]
    for bound in form:
        out.append(str(bound))
        out.extend(str(widget) for widget in bound.subwidgets)
        out.extend(widget.tag() for widget in bound.subwidgets)
    return out


def test_the_project_renders_its_forms_with_this_renderer():
    assert isinstance(get_default_renderer(), WidgetRenderer)
    assert settings.FORM_RENDERER == "makerspace.core.widgets.WidgetRenderer"


@pytest.mark.parametrize("data", VALUES, ids=["unbound", "invalid", "valid"])
def test_every_widget_renders_as_djangos_templates_do(data):
    bound = {"data": data} if data else {"initial": {"when": date(2026, 12, 2), "agree": True, "count": 3}}
    theirs, ours = _pairs(Everything, **bound)
    if data:
        theirs.is_valid(), ours.is_valid()
    assert _every_rendering(ours) == _every_rendering(theirs)


def test_only_the_widgets_not_written_here_go_through_templates():
    ours = Everything(renderer=WidgetRenderer(), data=VALUES[1])
    ours.is_valid()
    original = DjangoTemplates.render
    with mock.patch.object(DjangoTemplates, "render", autospec=True, side_effect=original) as templated:
        _every_rendering(ours)
    widgets = {c.args[1] for c in templated.call_args_list if c.args[1].startswith("django/forms/widgets/")}
    assert widgets == {"django/forms/widgets/clearable_file_input.html"}


def _project_forms():
    """Every form class of the project's apps that can be built without arguments."""
    for app in apps.get_app_configs():
        if not app.name.startswith("makerspace."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


@pytest.mark.django_db
def test_the_projects_forms_render_as_with_djangos_templates():
    compared = 0
    for cls in _project_forms():
        for kwargs in ({}, {"data": {}}):
            try:
                theirs, ours = _pairs(cls, **kwargs)
            except TypeError:
                continue  # a form that needs its object or its stage
            again = cls(renderer=DjangoTemplates(), **kwargs)
            if kwargs:
                theirs.is_valid(), ours.is_valid(), again.is_valid()
            expected = _every_rendering(theirs)
            if _every_rendering(again) != expected:
                continue  # a form with a fresh challenge each time it is built
            assert _every_rendering(ours) == expected, cls
            compared += 1
    assert compared > 20
