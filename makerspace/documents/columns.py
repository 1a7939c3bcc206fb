"""The 汇总表 columns, shared by the export and the import: one row per application, the headers
being the notice's labels (the models' verbose names), so an exported sheet can be imported back."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from makerspace.applications.models import Application, BasicInfo

BASIC_FIELDS = [
    f for f in BasicInfo._meta.concrete_fields if f.name not in {"id", "application", "updated_at"}
]


@dataclass(frozen=True)
class Column:
    path: str  # the values_list() path from Application
    header: str
    width: int = 16


def _verbose(model, name: str) -> str:
    """The notice's label, in Chinese whatever language the user reads the site in."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(model._meta.get_field(name).verbose_name)


IDENTITY_COLUMNS = [
    Column("number", _verbose(Application, "number"), 15),
    Column("space__name", "众创空间名称", 30),
    Column("space__organisation__credit_code", "统一社会信用代码", 21),
    Column("batch__title", _verbose(Application, "batch"), 30),
    Column("recommending_unit__name", _verbose(Application, "recommending_unit"), 24),
    Column("supervisor__name", _verbose(Application, "supervisor"), 24),
    Column("provincial_filing", _verbose(Application, "provincial_filing"), 24),
]
BASIC_COLUMNS = [Column(f"basic_info__{f.name}", _verbose(BasicInfo, f.name), 18) for f in BASIC_FIELDS]
STATUS_COLUMNS = [
    Column("state", _verbose(Application, "state"), 16),
    Column("reached_level", _verbose(Application, "reached_level"), 12),
    Column("recommender_rank", _verbose(Application, "recommender_rank"), 10),
    Column("province_rank", _verbose(Application, "province_rank"), 10),
    Column("current_version", _verbose(Application, "current_version"), 10),
]
SUMMARY_COLUMNS = IDENTITY_COLUMNS + BASIC_COLUMNS + STATUS_COLUMNS


@dataclass(frozen=True)
class PrintColumn:
    """A column of the 汇总表's print sheet: one data column (`path`), or several joined (`join`),
    read from a row already written to the data sheet (labels and 是/否 in place)."""

    header: str
    width: int
    path: str = ""
    # One line per (prefix, path, answer): the path's value, when the answer's column says 是.
    join: tuple[tuple[str, str, str], ...] = ()
    numeric: bool = False

    def value(self, row: dict):
        if self.path:
            return row[self.path]
        lines = [
            f"{prefix}{row[path]}"
            for prefix, path, answer in self.join
            if row[path] and (not answer or row[answer] == "是")
        ]
        return "\n".join(lines) or None


# What an official checks on paper, in the order of 附件2: who applies, who recommends and
# supervises, the field, who built it (R1), its size and its residents, the unit's rank, whom to call.
# A narrow column's label breaks where it reads well, not where the column ends.
PRINT_COLUMNS = [
    PrintColumn("序号", 5, numeric=True),
    PrintColumn("众创空间名称", 20, "space__name"),
    PrintColumn("申报单位（运营主体）", 18, "basic_info__operator_name"),
    PrintColumn("推荐单位", 14, "recommending_unit__name"),
    PrintColumn("主管部门", 14, "supervisor__name"),
    PrintColumn("主要专业方向", 11, "basic_info__professional_direction"),
    PrintColumn(
        "建设主体",
        18,
        join=(
            ("企业：", "basic_info__builder_enterprise_name", "basic_info__built_by_enterprise"),
            ("高校：", "basic_info__builder_university_name", "basic_info__built_by_university"),
            ("科研院所：", "basic_info__builder_institute_name", "basic_info__built_by_institute"),
        ),
    ),
    PrintColumn("场地面积\n（平方米）", 9, "basic_info__floor_area", numeric=True),
    PrintColumn("创业\n导师数", 6, "basic_info__mentor_count", numeric=True),
    PrintColumn("入驻\n项目数", 6, "basic_info__resident_projects", numeric=True),
    PrintColumn("入驻\n企业数", 6, "basic_info__resident_enterprises", numeric=True),
    PrintColumn("推荐\n排序", 6, "recommender_rank", numeric=True),
    PrintColumn(
        "联系人及手机",
        13,
        join=(("", "basic_info__contact_name", ""), ("", "basic_info__contact_mobile", "")),
    ),
]
