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
