"""The checklist form and the ranking forms write their rows' inputs themselves (JudgementsForm.rows,
RanksForm.rows): the markup must be what Django's widgets make of the same fields, byte for byte,
in every state a page shows them (blank, with saved values, posted back with errors)."""

from types import SimpleNamespace

import pytest
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

from makerspace.core.widgets import WidgetRenderer
from makerspace.reviews.checklists import Stage, Verdict, checklist
from makerspace.reviews.forms import MAX_RANK, JudgementsForm, RanksForm


def _django_rows(form) -> list[tuple[str, str, list]]:
    """What review.html drew through the bound fields before: each button's tag and label, the
    comment's widget and its errors."""
    rows = []
    for item in form.items:
        verdict, comment = form[f"{item.code}_verdict"], form[f"{item.code}_comment"]
        buttons = "".join(
            f"<label>{radio.tag()} {conditional_escape(radio.choice_label)}</label><br>" for radio in verdict
        )
        rows.append((buttons, str(comment), list(comment.errors)))
    return rows


def _rows(form) -> list[tuple[str, str, list]]:
    return [(row.verdict, row.comment, list(row.errors)) for row in form.rows()]


def _judged(stage: str) -> dict:
    verdicts = [Verdict.MEETS, Verdict.MOSTLY_MEETS, Verdict.FAILS]
    return {
        item.code: SimpleNamespace(verdict=verdicts[n % 3], comment=f'第{n}项 <核查> & "引号"\n第二行')
        for n, item in enumerate(checklist(stage))
    }


def _posted(stage: str) -> dict:
    data = {}
    for n, item in enumerate(checklist(stage)):
        if n % 4 == 0:
            data[f"{item.code}_verdict"] = "not-a-verdict<>"  # an invalid choice: the field has errors
        elif n % 4 == 1:
            data[f"{item.code}_verdict"] = Verdict.FAILS
            data[f"{item.code}_comment"] = "<b>不符合</b>"
        elif n % 4 == 2:
            data[f"{item.code}_comment"] = ""
    return data


def _forms(stage: str, **kwargs):
    for renderer in (DjangoTemplates(), WidgetRenderer()):
        yield JudgementsForm(stage=stage, renderer=renderer, **kwargs)


@pytest.mark.parametrize("stage", list(Stage))
def test_rows_are_djangos_markup_blank_and_with_saved_judgements(stage):
    for form in [*_forms(stage, judged={}), *_forms(stage, judged=_judged(stage))]:
        assert _rows(form) == _django_rows(form)


@pytest.mark.parametrize("stage", list(Stage))
def test_rows_are_djangos_markup_posted_back_with_errors(stage):
    for form in _forms(stage, data=_posted(stage), judged={}):
        assert not form.is_valid()  # the invalid verdicts
        for n, item in enumerate(form.items):
            if n % 4 == 1:  # as the view does with the service's refusal beside the comment
                form.add_error(f"{item.code}_comment", "不符合的要点须写明理由。")
        assert any(errors for _, _, errors in _rows(form))
        assert _rows(form) == _django_rows(form)


def test_rows_without_ids_are_djangos_markup():
    stage = Stage.RECOMMENDER
    for form in _forms(stage, data=_posted(stage), judged={}, auto_id=False):
        form.is_valid()
        form.add_error(f"{form.items[1].code}_comment", "理由")
        assert _rows(form) == _django_rows(form)


def _applications():
    ranks = [None, 1, 2, MAX_RANK, None]
    return [
        SimpleNamespace(pk=pk, space=SimpleNamespace(name=f"空间{pk}"), province_rank=rank)
        for pk, rank in zip(range(7, 12), ranks, strict=True)
    ]


def _django_ranks(form) -> list:
    return [(a, str(form[f"rank_{a.pk}"]), list(form[f"rank_{a.pk}"].errors)) for a in form.applications]


def _ranks(form) -> list:
    return [(a, field, list(errors)) for a, field, errors in form.rows()]


@pytest.mark.parametrize("renderer", [DjangoTemplates(), WidgetRenderer()])
def test_rank_inputs_are_djangos_markup_shown_and_posted_back_with_errors(renderer):
    applications = _applications()
    shown = RanksForm(applications=applications, attr="province_rank", renderer=renderer)
    assert _ranks(shown) == _django_ranks(shown)
    posted = {"rank_7": "3", "rank_8": "abc<>", "rank_9": "0", "rank_10": str(MAX_RANK + 1), "rank_11": ""}
    for auto_id in ("id_%s", False):
        form = RanksForm(
            posted, applications=applications, attr="province_rank", renderer=renderer, auto_id=auto_id
        )
        assert not form.is_valid()
        form.add_error("rank_7", "名次 3（ZC1）已用于其他页的申报。")  # as the service's refusal
        assert sum(bool(errors) for _, _, errors in _ranks(form)) == 4
        assert _ranks(form) == _django_ranks(form)
