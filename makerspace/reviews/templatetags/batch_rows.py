"""The rows of the province's ranking page and of the ministry's batch page, written in Python.

Each section shows up to 50 rows, and the template language costs hundreds of Python calls per row
(every variable looked up node by node, a `{% csrf_token %}` and an `{% if %}` or two per form,
each URL reversed): the ranking page's rows were two fifths of its calls. The markup is the one the
templates wrote, byte for byte apart from the forms' CSRF token, written once per section here
rather than masked anew for every form (tests/test_batch_rows.py renders both, in both languages).
Text is escaped as the template escaped it (html.escape, which Django's escape is); the numbers
are ints and two-place Decimals, which `localize` prints as str() does while no thousand separator
is set (settings: none) and the decimal separator is "." (zh-hans and en); `|default:"—"` is
`value or "—"`."""

from html import escape

from django import template
from django.template.backends.utils import csrf_input
from django.utils.safestring import mark_safe

from makerspace.applications.workflow import State
from makerspace.core.templatetags.rows import row_reverser

register = template.Library()

DASH = "—"
ERROR = '<p class="error">{}</p>'
FLAGGED = ' class="flagged"'
DIVERGENT = ' <span class="badge state-disqualified">分歧较大</span>'


def _or_dash(value) -> str:
    return str(value) if value else DASH


@register.simple_tag
def received_rows(rows):
    """省科技厅: the rows waiting for the formal review, or the row that says there is none."""
    if not rows:
        return mark_safe('<tr><td colspan="5" class="muted">暂无待形式审查的申报。</td></tr>')
    review = row_reverser("reviews:review")
    return mark_safe(
        "".join(
            f"<tr><td>{escape(a.number or '')}</td><td>{escape(a.space.name)}</td>"
            f"<td>{escape(a.recommending_unit.name)}</td><td>{_or_dash(a.recommender_rank)}</td>"
            f'<td><a href="{review(a.pk)}">形式审查</a></td></tr>\n    '
            for a in rows
        )
    )


@register.simple_tag
def rank_rows(ranks_form):
    """省科技厅: each formally passed row of the page with its rank's input (RanksForm.rows)."""
    return mark_safe(
        "".join(
            f"<tr><td>{escape(a.space.name)}</td><td>{escape(a.recommending_unit.short_name)}</td>"
            f"<td>{field}{''.join(ERROR.format(escape(str(e))) for e in errors)}</td></tr>"
            for a, field, errors in ranks_form.rows()
        )
    )


@register.simple_tag(takes_context=True)
def passed_rows(context, rows, select_reasons, open_now, no_rank_reason):
    """省科技厅: the formally passed rows with their scores, 推荐 (disabled with its reasons),
    不予推荐 and the link to report fraud."""
    token = csrf_input(context.request)
    not_open = "disabled" if not open_now else ""
    no_rank_reason = escape(str(no_rank_reason))
    select = row_reverser("reviews:province_select")
    not_select = row_reverser("reviews:province_not_select")
    disqualify = row_reverser("credit:disqualify")

    def row(a) -> str:
        score, pk, ranked = a.score, a.pk, a.province_rank
        divergent = score.divergent
        disabled = reason = ""
        if not ranked or select_reasons:
            no_rank = "" if ranked else f" no-rank-{pk}"
            disabled = f'disabled aria-describedby="select-reasons{no_rank}"'
        if not ranked:
            reason = f'<span class="reason" id="no-rank-{pk}">{no_rank_reason}</span>'
        return (
            f"\n      <tr{FLAGGED if divergent else ''}><td>{_or_dash(ranked)}</td>"
            f"<td>{escape(a.space.name)}</td>\n"
            f"        <td>通过</td><td>{score.submitted}/{score.assigned}</td><td>{_or_dash(score.mean)}</td>"
            f"<td>{_or_dash(score.trimmed)}"
            f"{DIVERGENT if divergent else ''}</td>\n"
            f'        <td><form method="post" action="{select(pk)}" data-once>{token}'
            f'<button type="submit" class="primary" {disabled}>推荐</button>{reason}</form></td>\n'
            f'        <td><form method="post" action="{not_select(pk)}" data-once>{token}'
            '<input type="text" name="comment" aria-label="不予推荐意见" placeholder="意见（可选）"> '
            f'<button type="submit" class="danger" {not_open}>不予推荐</button></form></td>\n'
            f'        <td><a href="{disqualify(pk)}">发现弄虚作假</a></td></tr>\n    '
        )

    return mark_safe("".join(row(a) for a in rows))


@register.simple_tag
def selected_items(rows):
    """省科技厅: the rows recommended to the ministry, as list items."""
    if not rows:
        return mark_safe('<li class="muted">暂无。</li>')
    disqualify = row_reverser("credit:disqualify")

    def item(a) -> str:
        score = a.score
        trimmed = f"，专家截尾平均{score.trimmed}" if score.submitted else ""
        return (
            f"<li>{escape(a.space.name)}（{escape(a.recommending_unit.short_name)}，省级第{a.province_rank}名"
            f'{trimmed}） · <a href="{disqualify(a.pk)}">发现弄虚作假</a></li>'
        )

    return mark_safe("".join(item(a) for a in rows))


@register.simple_tag
def closed_items(rows):
    """省科技厅: the rows that failed the formal review or were not recommended."""
    return mark_safe(
        "".join(
            f"<li>{escape(a.space.name)} · "
            f"{'形式审查未通过' if a.state == State.FORMAL_FAILED else '未列入推荐名单'}</li>"
            for a in rows
        )
    )


@register.simple_tag(takes_context=True)
def pending_rows(context, rows):
    """科技部: the recommended rows waiting for its decision, with 备案 and 不予备案."""
    if not rows:
        return mark_safe('<tr><td colspan="6" class="muted">暂无待决定的推荐。</td></tr>')
    token = csrf_input(context.request)
    detail = row_reverser("applications:detail")
    file, not_file = row_reverser("reviews:ministry_file"), row_reverser("reviews:ministry_not_file")
    return mark_safe(
        "".join(
            f"\n      <tr><td>{_or_dash(a.province_rank)}</td>"
            f'<td><a href="{detail(a.pk)}">{escape(a.space.name)}</a></td>'
            f"<td>{escape(a.space.organisation.name)}</td><td>{escape(a.recommending_unit.city)}</td>\n"
            f'        <td><form method="post" action="{file(a.pk)}" data-once>{token}'
            '<button type="submit" class="primary">备案</button></form></td>\n'
            f'        <td><form method="post" action="{not_file(a.pk)}" data-once>{token}'
            '<input type="text" name="comment" required aria-label="不予备案理由"'
            ' placeholder="理由（必填）"> '
            '<button type="submit" class="danger">不予备案</button></form></td></tr>\n    '
            for a in rows
        )
    )


@register.simple_tag
def space_names(rows, separator="、"):
    """The rows' space names, joined (科技部: the filed spaces waiting to be published)."""
    return mark_safe(separator.join(escape(a.space.name) for a in rows))


@register.simple_tag
def space_items(rows):
    """The rows' space names as list items (科技部: the spaces not filed)."""
    return mark_safe("".join(f"<li>{escape(a.space.name)}</li>" for a in rows))
