"""Scorecard periods: calendar-aligned blocks of ``months`` months (a quarter by default)."""

from datetime import date, timedelta


def period_bounds(day, months=3):
    """First and last day of the period of ``months`` months that holds ``day``.

    Periods are aligned on January 1st, so ``months`` must divide 12.

    >>> period_bounds(date(2026, 8, 14))
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    >>> period_bounds(date(2026, 8, 14), months=1)
    (datetime.date(2026, 8, 1), datetime.date(2026, 8, 31))
    """
    if months not in (1, 2, 3, 4, 6, 12):
        raise ValueError(f"a period length of {months} months does not divide the year")
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return start, add_months(start, months) - timedelta(days=1)


def add_months(day, months):
    """``day`` moved by ``months`` months (day of month kept; only used on 1st of month here).

    >>> add_months(date(2026, 11, 1), 3)
    datetime.date(2027, 2, 1)
    """
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, day.day)


def period_name(start, months=3):
    """A short, sortable label: 2026-Q3 for quarters, 2026-H1, 2026 or 2026-08 otherwise.

    >>> period_name(date(2026, 7, 1)), period_name(date(2026, 8, 1), 1)
    ('2026-Q3', '2026-08')
    """
    if months == 3:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if months == 6:
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    if months == 12:
        return str(start.year)
    return f"{start.year}-{start.month:02d}"


def previous_period_start(start, months=3):
    return add_months(start, -months)
