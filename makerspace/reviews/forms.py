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
        for item in self.items:
            existing = judged.get(item.code)
            self.fields[f"{item.code}_verdict"] = forms.ChoiceField(
                label=f"{item.code} 判断",
                choices=Verdict.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=existing.verdict if existing else None,
            )
            self.fields[f"{item.code}_comment"] = forms.CharField(
                label=f"{item.code} 意见",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=existing.comment if existing else "",
            )

    def entries(self) -> dict[str, tuple[str, str]]:
        return {
            item.code: (self.cleaned_data[f"{item.code}_verdict"], self.cleaned_data[f"{item.code}_comment"])
            for item in self.items
        }

    def rows(self):
        """Each item with its verdict's radio buttons and its comment's textarea, as markup, and the
        comment's errors. The markup is what Django's widgets make of the two fields, written here
        in one pass instead of a widget context and a render per button (a checklist is 17 items
        of 3 buttons and a textarea); tests/test_row_forms.py compares the two."""
        for item in self.items:
            verdict = self[f"{item.code}_verdict"]
            comment = self[f"{item.code}_comment"]
            yield JudgementRow(
                item,
                _radios(verdict.html_name, verdict.auto_id, verdict.value(), bool(verdict.errors)),
                _textarea(comment.html_name, comment.auto_id, comment.value(), comment.errors),
                comment.errors,
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
    buttons = []
    for index, (option, escaped, label) in enumerate(_VERDICTS):
        ident = f' id="{conditional_escape(auto_id)}_{index}"' if auto_id else ""
        checked = " checked" if option == chosen else ""
        buttons.append(
            f'<label><input type="radio" name="{name}" value="{escaped}"{ident}{invalid}{checked}> '
            f"{label}</label><br>"
        )
    return mark_safe("".join(buttons))


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
