"""Reading an .xlsx in the 汇总表 / 附件2 column layout into draft applications.

Who may import, and what it creates (decided here, and said on the import page): a recommending
unit imports for organisations of its own city or zone; the province imports for any unit and
names it in the 推荐单位 column. Each row becomes a draft application of the chosen open batch for
the organisation with that 统一社会信用代码; an organisation that does not exist yet is created
(as an operating entity of the unit) only when its code passes the GB 32100 check. The applicant
still fills in 附件3, signs 附件4 and submits.

Parsing writes nothing: it returns the valid rows and, for each bad row, its row number, column
and reason. `services.import_confirm` writes the valid rows after the importer has seen them.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from makerspace.accounts.credit_code import normalise, problem
from makerspace.accounts.models import Nature, Organisation, RecommendingUnit, Role
from makerspace.applications.models import Application, BasicInfo, MakerSpace, ProvincialFiling
from makerspace.applications.validators import validate_space_name
from makerspace.core.i18n import in_chinese
from makerspace.core.spreadsheets import (
    ImportFileError,
    ParseResult,
    RowError,
    cell_text,
    formula_errors,
    open_sheet,
)

from .columns import BASIC_FIELDS

CREDIT_CODE, SPACE, UNIT, SUPERVISOR, FILING = (
    "统一社会信用代码",
    "众创空间名称",
    "推荐单位",
    "主管部门",
    "省级众创空间备案情况",
)
REQUIRED_HEADERS = [CREDIT_CODE, SPACE, SUPERVISOR, "运营主体名称"]
MAX_ROWS = 5000
YES, NO = {"是", "☑", "√", "✓", "Y", "YES", "TRUE", "1"}, {"否", "☐", "×", "N", "NO", "FALSE", "0"}
# Headers and choice labels are matched in Chinese, the sheets' language, whatever the user reads.
with translation.override(settings.LANGUAGE_CODE):
    FIELD_BY_HEADER = {str(f.verbose_name): f for f in BASIC_FIELDS}
    NATURE_BY_TEXT = (
        {str(label): value for value, label in Nature.choices}
        | {value: value for value, _ in Nature.choices}
        | {
            "国有企业": Nature.STATE_ENTERPRISE,
            "民营企业": Nature.PRIVATE_ENTERPRISE,
            "其他社会组织": Nature.OTHER,
        }
    )
    # The choice labels are lazy translations: made text here, once, in Chinese.
    NATURE_CHOICES = "应为：" + "、".join(str(label) for _, label in Nature.choices) + "。"
    FILING_CHOICES = "应为：" + "、".join(str(label) for _, label in ProvincialFiling.choices) + "。"
    FILING_BY_TEXT = {str(label): value for value, label in ProvincialFiling.choices} | {
        "已纳入": ProvincialFiling.FILED,
        "申请中": ProvincialFiling.APPLYING,
    }


def _convert(model_field: models.Field, raw):
    """A cell as the model field's Python value; ValueError carries the reason for the user."""
    text = cell_text(raw)
    if isinstance(model_field, models.BooleanField):
        if text.upper() in YES:
            return True
        if text.upper() in NO:
            return False
        if not text:
            return None if model_field.null else False
        raise ValueError("请填写“是”或“否”。")
    if not text:
        return None if model_field.null else ""
    if isinstance(model_field, models.DateField):
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError("日期格式应为2016-05-18或2016年5月18日。")
    if isinstance(model_field, models.DecimalField):
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError("请填写数字。") from None
    if isinstance(model_field, models.PositiveIntegerField):
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError("请填写整数。") from None
        if number != number.to_integral_value():
            raise ValueError("请填写整数。")
        return int(number)
    if model_field.name == "operator_nature":
        if text not in NATURE_BY_TEXT:
            raise ValueError(NATURE_CHOICES)
        return NATURE_BY_TEXT[text]
    return text


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class RowChecker:
    """Checks rows against the database and against each other, for one importer and batch."""

    def __init__(self, *, user, batch):
        self.user = user
        self.batch = batch
        self.own_unit_id = user.organisation.recommending_unit_id if user.role == Role.RECOMMENDER else None
        self.seen_spaces: set[str] = set()
        # A row names a unit of the batch's own province: another province's units are unknown here.
        units = list(RecommendingUnit.objects.filter(province=batch.province))
        self.units = {u.name: u for u in units} | {u.short_name: u for u in units}

    def check(self, number: int, cells: dict[str, tuple[str, object]]) -> tuple[dict | None, list[RowError]]:
        """`cells` maps a header to (column letter, raw value). Returns (valid row, errors)."""
        errors: list[RowError] = []

        def fail(header: str, message: str) -> None:
            column = cells.get(header, ("", None))[0]
            errors.append(RowError(number, column, header, message))

        def raw(header: str):
            return cells.get(header, ("", None))[1]

        unit = self._unit(raw, fail)
        code = normalise(cell_text(raw(CREDIT_CODE)))
        organisation = None
        if not code:
            fail(CREDIT_CODE, "请填写统一社会信用代码。")
        elif problem(code):
            fail(CREDIT_CODE, problem(code))
        else:
            organisation = Organisation.objects.filter(credit_code=code).first()
            if organisation is not None:
                if organisation.kind != Role.APPLICANT:
                    fail(CREDIT_CODE, "该信用代码属于主管部门或管理单位，不是运营主体。")
                elif unit is not None and organisation.recommending_unit_id not in (None, unit.pk):
                    fail(CREDIT_CODE, f"该单位属于“{organisation.recommending_unit}”，不能由本单位导入。")
        operator_name = cell_text(raw("运营主体名称"))
        if not operator_name:
            fail("运营主体名称", "请填写运营主体名称。")

        space_name = cell_text(raw(SPACE))
        try:
            validate_space_name(space_name)
        except ValidationError as error:
            fail(SPACE, error.messages[0])
        else:
            if space_name in self.seen_spaces:
                fail(SPACE, "与本表前面的行重复。")
            self.seen_spaces.add(space_name)
            space = MakerSpace.objects.filter(name=space_name).select_related("organisation").first()
            if space is not None:
                if space.organisation.credit_code != code:
                    fail(SPACE, "该名称已被其他运营主体使用。")
                elif Application.objects.filter(space=space, batch=self.batch).exists():
                    fail(SPACE, "该众创空间在本批次已有申报。")

        supervisor = self._supervisor(cell_text(raw(SUPERVISOR)), unit, fail)
        filing = cell_text(raw(FILING))
        if filing and filing not in FILING_BY_TEXT:
            fail(FILING, FILING_CHOICES)

        basic = self._basic_info(raw, fail)
        basic.setdefault("operator_name", operator_name)
        if errors:
            return None, errors
        return {
            "row": number,
            "credit_code": code,
            "organisation_name": operator_name,
            "space": space_name,
            "unit_id": unit.pk,
            "supervisor_id": supervisor.pk,
            "provincial_filing": FILING_BY_TEXT.get(filing, ""),
            "basic_info": {name: _json(value) for name, value in basic.items()},
        }, []

    def _unit(self, raw, fail):
        name = cell_text(raw(UNIT))
        if self.own_unit_id is not None:
            unit = RecommendingUnit.objects.get(pk=self.own_unit_id)
            if name and self.units.get(name) != unit:
                fail(UNIT, f"推荐单位只能是本单位（{unit.name}）。")
            return unit
        if not name:
            fail(UNIT, "省级导入须填写推荐单位。")
            return None
        if name not in self.units:
            fail(UNIT, f"没有名为“{name}”的推荐单位。")
            return None
        return self.units[name]

    def _supervisor(self, name: str, unit, fail):
        if not name:
            fail(SUPERVISOR, "请填写主管部门名称。")
            return None
        candidates = Organisation.objects.filter(name=name, kind=Role.SUPERVISOR)
        if unit is not None:
            candidates = candidates.filter(recommending_unit=unit)
        supervisor = candidates.first()
        if supervisor is None:
            fail(SUPERVISOR, f"在{unit or '系统'}下没有名为“{name}”的主管部门。")
        return supervisor

    def _basic_info(self, raw, fail) -> dict:
        values: dict = {}
        for header, model_field in FIELD_BY_HEADER.items():
            try:
                values[model_field.name] = _convert(model_field, raw(header))
            except ValueError as error:
                fail(header, str(error))
        clean = {k: v for k, v in values.items() if v is not None}
        info = BasicInfo(**clean)
        try:
            info.full_clean(exclude=["application"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name == "__all__":
                    for message in messages:
                        fail(_constraint_header(message), message)
                else:
                    fail(str(BasicInfo._meta.get_field(name).verbose_name), messages[0])
        return clean


def _constraint_header(message: str) -> str:
    if "大专以上" in message:
        return str(BasicInfo._meta.get_field("team_college_count").verbose_name)
    if "公共办公" in message:
        return str(BasicInfo._meta.get_field("public_area").verbose_name)
    return ""


@in_chinese
def parse_workbook(handle, *, user, batch) -> ParseResult:
    """Read an uploaded .xlsx (a file object). Writes nothing."""
    headers, rows = open_sheet(
        handle, REQUIRED_HEADERS, expected="按汇总表格式填写的 .xlsx 文件", header_hint="（与汇总表相同）"
    )
    checker = RowChecker(user=user, batch=batch)
    result = ParseResult()
    for number, values in enumerate(rows, start=2):
        if not any(cell_text(v) for v in values):
            continue
        result.total += 1
        if result.total > MAX_ROWS:
            raise ImportFileError(f"一次最多导入{MAX_ROWS}行，请分批导入。")
        cells = {
            header: (letter, values[index] if index < len(values) else None)
            for header, (letter, index) in headers.items()
        }
        errors = formula_errors(number, cells)
        valid, errors = (None, errors) if errors else checker.check(number, cells)
        if valid is not None:
            result.rows.append(valid)
        result.errors.extend(errors)
    return result
