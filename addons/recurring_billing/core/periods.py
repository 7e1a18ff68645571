"""Billing periods: calendar arithmetic for monthly, quarterly and yearly subscriptions.

A subscription's periods are anchored on its start date: period *n* runs from
``start + n * step`` to the day before period *n + 1*.  Pre-paid periods are invoiced on their
first day, post-paid periods on the day after their last day.  Month arithmetic clamps to the end
of the month (a subscription starting on 31 January has a period starting on 28/29 February), and
always counts from the anchor, never from the previous period, so the anchor day comes back in
longer months.
"""

import calendar
from datetime import date, timedelta
from typing import NamedTuple

MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


class Period(NamedTuple):
    start: date
    end: date  # inclusive
    invoice_date: date


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_start(anchor: date, periodicity: str, index: int) -> date:
    return add_months(anchor, MONTHS[periodicity] * index)


def period_containing(anchor: date, periodicity: str, day: date) -> tuple[int, date, date]:
    """Index, start and (inclusive) end of the period that contains ``day`` (``day >= anchor``)."""
    if day < anchor:
        raise ValueError("day is before the anchor of the periods")
    step = MONTHS[periodicity]
    index = ((day.year - anchor.year) * 12 + day.month - anchor.month) // step
    while period_start(anchor, periodicity, index) > day:
        index -= 1
    while period_start(anchor, periodicity, index + 1) <= day:
        index += 1
    start = period_start(anchor, periodicity, index)
    return index, start, period_start(anchor, periodicity, index + 1) - timedelta(days=1)


def invoice_date_of(start: date, end: date, prepaid: bool) -> date:
    return start if prepaid else end + timedelta(days=1)


def due_periods(anchor, periodicity, prepaid, invoiced_until, reference_date, end_date=None):
    """Every period not yet invoiced whose invoice date is on or before ``reference_date``.

    ``invoiced_until`` is the high-water mark: the last day already invoiced (``None`` when
    nothing was).  Periods are cut at ``end_date`` (inclusive) when the subscription ends; the last
    period is then a partial one.  A backlog of several missed periods comes back whole, oldest
    first, so one run catches up.
    """
    first_day = anchor if invoiced_until is None else invoiced_until + timedelta(days=1)
    if end_date is not None and first_day > end_date:
        return []
    index, start, end = period_containing(anchor, periodicity, first_day)
    result = []
    while True:
        start = max(start, first_day)
        if end_date is not None and end > end_date:
            end = end_date
        invoice_date = invoice_date_of(start, end, prepaid)
        if invoice_date > reference_date:
            break
        result.append(Period(start, end, invoice_date))
        if end_date is not None and end >= end_date:
            break
        index += 1
        start = period_start(anchor, periodicity, index)
        end = period_start(anchor, periodicity, index + 1) - timedelta(days=1)
    return result


def next_invoice_date(anchor, periodicity, prepaid, invoiced_until, end_date=None):
    """Invoice date of the first period after the high-water mark, ``None`` when none is left."""
    first_day = anchor if invoiced_until is None else invoiced_until + timedelta(days=1)
    if end_date is not None and first_day > end_date:
        return None
    _index, start, end = period_containing(anchor, periodicity, first_day)
    if end_date is not None:
        end = min(end, end_date)
    return invoice_date_of(max(start, first_day), end, prepaid)
