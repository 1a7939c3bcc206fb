"""The batch pages' rows written in Python (reviews/templatetags/batch_rows.py) are the markup the
templates wrote for the same rows, byte for byte apart from the CSRF tokens (masked once per
section now, once per form before): ranked and unranked rows, divergent and missing scores, 推荐
disabled or not, the selection open or closed, names that need escaping, empty sections, in both
languages."""

import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from makerspace.applications.workflow import State
from makerspace.reviews.forms import RanksForm
from makerspace.scoring.aggregate import summarise

# The loops of templates/reviews/province_batch.html and ministry_batch.html before, one per section.
BEFORE = Path(__file__).with_name("batch_rows_before.html").read_text().split("\n", 1)[1]
TEMPLATE_ROWS = dict(re.findall(r"\{# (\w+) #\}\n(.*?)\n(?=\{# |\Z)", BEFORE, re.S))
TAG_ROWS = {
    "received": """<tbody>
    {% received_rows received %}
    </tbody>""",
    "ranks": """<tbody>
    {% rank_rows ranks_form %}
    </tbody>""",
    "passed": """<tbody>
    {% passed_rows passed select_reasons open_now no_rank_reason %}
    </tbody>""",
    "selected": """<ol>{% selected_items selected %}</ol>""",
    "closed": """<ul>{% closed_items closed %}</ul>""",
    "pending": """<tbody>
    {% pending_rows pending %}
    </tbody>""",
    "filed": """<p>{% space_names filed %}</p>""",
    "not_filed": """<ul>{% space_items not_filed %}</ul>""",
}

LOAD = "{% load batch_rows rows %}"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _row(pk, *, rank=None, unit_rank=None, totals=(), assigned=0, state=State.FORMAL_PASSED, name=None):
    return SimpleNamespace(
        pk=pk,
        number=f"ZC2026{pk:06d}",
        state=state,
        province_rank=rank,
        recommender_rank=unit_rank,
        space=SimpleNamespace(
            name=name or f"第{pk}号专业化众创空间",
            organisation=SimpleNamespace(name=f"运营主体{pk}<有限公司>"),
        ),
        recommending_unit=SimpleNamespace(name=f"单位{pk} <&>", short_name=f"简称{pk}'\"", city=f"城市{pk}&"),
        score=summarise([Decimal(t) for t in totals], assigned),
    )


ROWS = [
    _row(1, rank=1, unit_rank=2, totals=["85.50", "86.00", "84.25"], assigned=3),
    _row(2, rank=None, unit_rank=None, totals=[], assigned=2),
    _row(3, rank=7, unit_rank=1, totals=["60", "95", "90"], assigned=3, name="<b>一</b>&“二”专业化众创空间"),
    _row(4, rank=12, totals=["0"], assigned=1, state=State.NOT_RECOMMENDED),
    _row(999999, rank=3, unit_rank=9999, totals=["100.00", "99.99"], assigned=5, state=State.FORMAL_FAILED),
]


def _render(sources, context, request):
    engine = engines["django"]
    return {
        key: CSRF.sub("CSRF", engine.from_string(LOAD + source).render(context, request))
        for key, source in sources.items()
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], []], ids=["five", "one", "none"])
@pytest.mark.parametrize(("open_now", "select_reasons"), [(True, []), (False, ["截止"]), (True, ["名额"])])
def test_rows_are_the_templates_markup(language, rows, open_now, select_reasons):
    request = RequestFactory().get("/")
    data = {"rank_1": "2", "rank_2": "x", "rank_3": "10000"} if rows else None
    ranks_form = RanksForm(data, applications=rows, attr="province_rank")
    if len(rows) > 1:
        assert not ranks_form.is_valid()  # the rows' errors are shown
    context = {
        "received": rows,
        "passed": rows,
        "selected": rows,
        "closed": rows,
        "pending": rows,
        "filed": rows,
        "not_filed": rows,
        "ranks_form": ranks_form,
        "open_now": open_now,
        "select_reasons": select_reasons,
        "no_rank_reason": "择优推荐须先对形式审查通过的申报排序，请先填写省级排序。",
    }
    with translation.override(language):
        ours, theirs = _render(TAG_ROWS, context, request), _render(TEMPLATE_ROWS, context, request)
    assert set(ours) == set(theirs) == set(TAG_ROWS)
    assert ours == theirs
    if len(rows) > 1:  # the cases above are among the rows compared
        assert 'class="flagged"' in ours["passed"] and "&lt;b&gt;一&lt;/b&gt;" in ours["received"]
