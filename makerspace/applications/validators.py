"""Field formats of 附件2 as Chinese practice writes them, and R2 (the space's name)."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SPACE_NAME_SUFFIX = "专业化众创空间"
R2_MESSAGE = _(
    "众创空间名称需规范为“XXX专业化众创空间”，XXX为空间所服务的专业细分领域（例如“生物医药专业化众创空间”）。"
)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# 区号-号码[-分机], e.g. 025-83232116, 0512-6868 1234, (025)83232116, or a mobile number.
PHONE_RE = re.compile(r"^(0\d{2,3}-?|\(0\d{2,3}\))?[1-9]\d{6,7}(-\d{1,6})?$")


def compact_number(value: str) -> str:
    # NFKC folds the full-width digits and brackets of a Chinese input method into ASCII.
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def validate_space_name(value: str) -> None:
    """R2: `XXX专业化众创空间`, where XXX names the specialised field (at least two characters)."""
    name = (value or "").strip()
    if not name.endswith(SPACE_NAME_SUFFIX):
        raise ValidationError(R2_MESSAGE, code="r2_name")
    field = name[: -len(SPACE_NAME_SUFFIX)].strip()
    if len(field) < 2 or field.endswith(("专业化", "众创空间")):
        raise ValidationError(R2_MESSAGE, code="r2_name")


def validate_mobile(value: str) -> None:
    if value and not MOBILE_RE.match(compact_number(value)):
        raise ValidationError(_("请输入11位手机号码，例如13812345678。"), code="mobile")


def validate_phone(value: str) -> None:
    compact = compact_number(value)
    if value and not (PHONE_RE.match(compact) or MOBILE_RE.match(compact)):
        raise ValidationError(_("请输入固定电话（如025-83232116）或11位手机号码。"), code="phone")


def validate_not_future(value) -> None:
    today = timezone.localdate()
    if value and value > today:
        raise ValidationError(
            _("日期不能晚于今天（{today}）。").format(today=f"{today:%Y-%m-%d}"), code="future_date"
        )
