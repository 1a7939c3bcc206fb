"""{% countdown %} and |minute print what the `date` filter prints for the same value, in either
language, for aware datetimes (with and without microseconds, on either side of midnight locally),
naive ones and nothing; a date is refused alike (the format holds the time)."""

from datetime import UTC, date, datetime

import pytest
from django.template import engines
from django.utils import translation

TEMPLATE = """{% load dates %}{% countdown value %}|{{ value|minute }}"""
DJANGO = (
    """<time data-countdown datetime="{{ value|date:'c' }}" class="countdown">"""
    """{{ value|date:"Y年n月j日 H:i" }}</time>\n|{{ value|date:"Y-m-d H:i" }}"""
)

VALUES = [
    datetime(2026, 12, 2, 15, 59, tzinfo=UTC),  # 23:59 in Shanghai
    datetime(2026, 12, 2, 16, 0, tzinfo=UTC),  # the next day there
    datetime(2026, 1, 5, 1, 2, 3, 456789, tzinfo=UTC),
    datetime(999, 3, 4, 5, 6, tzinfo=UTC),
    datetime(2026, 7, 8, 9, 10),  # naive
    None,
    "",
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("value", VALUES)
def test_dates_print_what_the_date_filter_prints(value, language):
    engine = engines["django"]
    with translation.override(language):
        assert engine.from_string(TEMPLATE).render({"value": value}) == engine.from_string(DJANGO).render(
            {"value": value}
        )


def test_a_date_is_refused_as_the_date_filter_refuses_it():
    engine = engines["django"]
    for source in (TEMPLATE, DJANGO):
        with pytest.raises(TypeError, match="time-related format specifiers"):
            engine.from_string(source).render({"value": date(2026, 7, 8)})
