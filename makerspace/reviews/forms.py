import copy
import functools
from dataclasses import dataclass

from django import forms
from django.forms.utils import ErrorList
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from makerspace.accounts.models import RecommendingUnit
from makerspace.batches.models import Level as DeadlineLevel

from .checklists import Stage, Verdict, checklist
from .checks import Material
from .models import Review
from .services import DECISIONS


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="退回意见",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="申报单位将看到这些意见，请写明需要修改或补充的内容。",
    )


class CommentForm(forms.Form):
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReasonForm(forms.Form):
    comment = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class ScanForm(forms.Form):
    file = forms.FileField(label="盖章扫描件", help_text="PDF、JPG 或 PNG，内容须与所选文件一致。")


class JudgementsForm(forms.Form):
    """One verdict and one comment per checklist item of the review's stage (R9)."""

    def __init__(self, *args, stage: str, judged: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = checklist(stage)
        # Each field is a shallow copy of its item's field, made once per process (_item_fields),
        # with the saved judgement as its initial: a checklist is 34 fields, and constructing them
        # anew was most of the page's form. Nothing mutates a field or its widget once made (the
        # rows are written by rows(), cleaning reads them), so the copies may share them.
        for item in self.items:
            existing = judged.get(item.code)
            verdict, comment = _item_fields(item.code)
            self.fields[f"{item.code}_verdict"] = verdict = copy.copy(verdict)
            verdict.initial = existing.verdict if existing else None
            self.fields[f"{item.code}_comment"] = comment = copy.copy(comment)
            comment.initial = existing.comment if existing else ""

    def entries(self) -> dict[str, tuple[str, str]]:
        return {
            item.code: (self.cleaned_data[f"{item.code}_verdict"], self.cleaned_data[f"{item.code}_comment"])
            for item in self.items
        }

    def rows(self):
        """Each item with its verdict's radio buttons and its comment's textarea, as markup, and the
        comment's errors. The markup is what Django's widgets make of the two fields, written here
        in one pass instead of a widget context and a render per button (a checklist is 17 items
        of 3 buttons and a textarea); tests/test_row_forms.py compares the two. A form shown
        blank (unbound: no errors, its values the initial ones) takes BoundField's name, id and
        value without making the bound fields."""
        if self.is_bound:
            for item in self.items:
                verdict = self[f"{item.code}_verdict"]
                comment = self[f"{item.code}_comment"]
                yield JudgementRow(
                    item,
                    _radios(verdict.html_name, verdict.auto_id, verdict.value(), bool(verdict.errors)),
                    _textarea(comment.html_name, comment.auto_id, comment.value(), comment.errors),
                    comment.errors,
                )
            return
        no_errors = self.error_class(renderer=self.renderer)
        for item in self.items:
            verdict = self._unbound(f"{item.code}_verdict")
            comment = self._unbound(f"{item.code}_comment")
            yield JudgementRow(item, _radios(*verdict, False), _textarea(*comment, no_errors), no_errors)

    def rows_html(self) -> SafeString:
        """The checklist table's rows, as review.html's loop over rows() wrote them (its white
        space too), written here: 17 rows of five cells, and the loop's variables and filters
        were a fifth of the page."""
        rows = []
        for row in self.rows():
            errors = "".join(f'<p class="error" role="alert">{conditional_escape(e)}</p>' for e in row.errors)
            rows.append(
                f"{_item_cells(row.item)}\n          <td>{row.verdict}</td>"
                f"\n          <td>{row.comment}{errors}</td></tr>\n      "
            )
        return mark_safe("".join(rows))

    def _unbound(self, name: str) -> tuple[str, str, object]:
        """BoundField's html_name, auto_id and value() of an unbound field of this form."""
        html_name = self.add_prefix(name)
        auto_id = self.auto_id
        if auto_id and "%s" in str(auto_id):
            auto_id = auto_id % html_name
        elif auto_id:
            auto_id = html_name
        else:
            auto_id = ""
        return html_name, auto_id, self.get_initial_for_field(self.fields[name], name)


@functools.cache
def _item_cells(item) -> str:
    """The row's start and its item's cells (code, group, text): the checklist's own words."""
    code = conditional_escape(item.code)
    return (
        f'\n        <tr id="item-{code}"><td>{code}<br><small class="muted">'
        f"{conditional_escape(item.group)}</small></td><td>{conditional_escape(item.text)}</td>"
    )


@functools.cache
def _item_fields(code: str) -> tuple[forms.ChoiceField, forms.CharField]:
    """An item's verdict and comment fields, blank: each form copies them (JudgementsForm)."""
    return (
        forms.ChoiceField(
            label=f"{code} 判断", choices=Verdict.choices, widget=forms.RadioSelect, required=False
        ),
        forms.CharField(
            label=f"{code} 意见", widget=forms.Textarea(attrs={"rows": 2}), required=False, initial=""
        ),
    )


@dataclass(frozen=True)
class JudgementRow:
    item: object
    verdict: SafeString
    comment: SafeString
    errors: ErrorList


# The verdict's buttons, their values and labels escaped once: a checklist repeats them per item.
_VERDICTS = [
    (value, conditional_escape(value), conditional_escape(label)) for value, label in Verdict.choices
]


def _radios(name: str, auto_id: str, value, invalid: bool) -> SafeString:
    """`<label>{{ radio.tag }} {{ radio.choice_label }}</label><br>` for each of the verdict's
    buttons: RadioSelect's markup, its attributes in its order (id, aria-invalid, checked)."""
    name = conditional_escape(name)
    chosen = "" if value is None else str(value)
    invalid = ' aria-invalid="true"' if invalid else ""
    ident = conditional_escape(auto_id) if auto_id else ""
    return mark_safe(
        "".join(
            f'<label><input type="radio" name="{name}" value="{escaped}"'
            + (f' id="{ident}_{index}"' if ident else "")
            + f"{invalid}{' checked' if option == chosen else ''}> {label}</label><br>"
            for index, (option, escaped, label) in enumerate(_VERDICTS)
        )
    )


def _bound_attrs(auto_id: str, errors) -> str:
    """The attributes a BoundField adds to its widget's own: aria-invalid and aria-describedby for
    a field with errors, then its id."""
    ident = conditional_escape(auto_id) if auto_id else ""
    attrs = ' aria-invalid="true"' if errors else ""
    if errors and ident:
        attrs += f' aria-describedby="{ident}_error"'
    return f'{attrs} id="{ident}"' if ident else attrs


def _textarea(name: str, auto_id: str, value, errors) -> SafeString:
    """`{{ comment }}`: the comment's Textarea (cols 40, rows 2)."""
    text = conditional_escape(value) if value else ""
    name = conditional_escape(name)
    attrs = _bound_attrs(auto_id, errors)
    return mark_safe(f'<textarea name="{name}" cols="40" rows="2"{attrs}>\n{text}</textarea>')


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审核结论", widget=forms.RadioSelect)
    comment = forms.CharField(
        label="审核意见",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="退回修改、不予推荐和形式审查不通过须写明理由。",
    )

    def __init__(self, *args, stage: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (value, Review.Decision(value).label) for value in DECISIONS[Stage(stage)]
        ]


# Above any real list; a larger number would overflow the database column (a 500, not a message).
MAX_RANK = 9999


class RanksForm(forms.Form):
    """A rank per application: 1 is the first; blank leaves it unranked."""

    def __init__(self, *args, applications, attr: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = list(applications)
        for application in self.applications:
            self.fields[f"rank_{application.pk}"] = forms.IntegerField(
                label=f"{application.space.name} 排序",
                min_value=1,
                max_value=MAX_RANK,
                error_messages={"max_value": f"排序不能超过{MAX_RANK}。"},
                required=False,
                initial=getattr(application, attr),
            )

    def ranks(self) -> dict[int, int | None]:
        return {a.pk: self.cleaned_data[f"rank_{a.pk}"] for a in self.applications}

    def rows(self):
        """Each application with its rank's number input, as markup, and the rank's errors: the
        markup Django's NumberInput gives the field, written here in one pass (a ranking page has
        one per row); tests/test_row_forms.py compares the two."""
        for application in self.applications:
            rank = self[f"rank_{application.pk}"]
            value = rank.value()
            value = "" if value is None or value == "" else f' value="{conditional_escape(str(value))}"'
            attrs = _bound_attrs(rank.auto_id, rank.errors)
            name = conditional_escape(rank.html_name)
            field = mark_safe(f'<input type="number" name="{name}"{value} min="1" max="{MAX_RANK}"{attrs}>')
            yield application, field, rank.errors


class MaterialCheckForm(forms.Form):
    missing = forms.MultipleChoiceField(
        label="缺少或不合格的材料",
        choices=Material.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="不勾选即确认电子材料齐全。勾选的项目将显示在推荐单位的页面上。",
    )
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PaperReceiptForm(forms.Form):
    copies = forms.IntegerField(label="份数", min_value=1, max_value=10, initial=2)
    received_on = forms.DateField(
        label="收到日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    receiver = forms.CharField(label="接收人", max_length=50)


class ExtensionForm(forms.Form):
    level = forms.ChoiceField(label="环节", choices=DeadlineLevel.choices)
    recommending_unit = forms.ModelChoiceField(
        label="推荐单位",
        queryset=RecommendingUnit.objects.filter(active=True),
        required=False,
        empty_label="（该环节全部单位）",
    )
    new_deadline = forms.DateTimeField(
        label="延期至",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    title = forms.CharField(label="名单标题", max_length=200)
    document_number = forms.CharField(label="文号", max_length=50, required=False)


class PledgeForm(forms.Form):
    accept = forms.BooleanField(label="本人已阅读上述承诺，并保证遵守", required=True)


class ConflictForm(forms.Form):
    from .models import ReviewerConflict as _Conflict

    kind = forms.ChoiceField(label="利益冲突类型", choices=_Conflict.Kind.choices)
    detail = forms.CharField(label="具体情况", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
