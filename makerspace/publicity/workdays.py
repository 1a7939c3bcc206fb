"""Working days of a notice period: Monday to Friday, less the holidays in the `Holiday` list."""

from datetime import date, timedelta


def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def last_working_day(start: date, working_days: int, holidays: set[date]) -> date:
    """The day on which a period of `working_days` working days starting on `start` ends; `start`
    counts when it is itself a working day."""
    day, counted = start, 0
    while True:
        if is_working_day(day, holidays):
            counted += 1
            if counted == working_days:
                return day
        day += timedelta(days=1)


def holidays_from(start: date, span_days: int = 400) -> set[date]:
    from .models import Holiday

    return set(
        Holiday.objects.filter(day__gte=start, day__lte=start + timedelta(days=span_days)).values_list(
            "day", flat=True
        )
    )
