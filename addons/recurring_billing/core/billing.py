"""What one subscription line owes on a date: the charges and credits after its high-water mark.

A line is billed period by period from the day after its high-water mark (``last_invoiced``, the
last day already invoiced) up to its end limit (its own end, the subscription's end, or the day
before a pause). Days already invoiced beyond the end limit (a downgrade, a close, a pause in
the middle of a pre-paid period) are credited first, prorated per period; the charges follow on
the next run. A one-time line is billed whole, once, with the period its start falls in. After a
charge the mark is the charge's last day; after a credit it is the end limit.
"""

from datetime import timedelta

from . import periods as period_core
from .proration import prorata_ratio


def credit_pending(recurring, last_invoiced, end_limit):
    return bool(recurring and last_invoiced and end_limit and last_invoiced > end_limit)


def due_items(
    anchor,
    periodicity,
    prepaid,
    recurring,
    line_start,
    last_invoiced,
    end_limit,
    reference_date,
    billable=True,
):
    """``[(kind, start, end, ratio)]`` due on ``reference_date`` for one line.

    :param anchor: the subscription's start (its periods are anchored on it)
    :param line_start: the line's first day (the high-water mark is the day before until billed)
    :param end_limit: last day the line is billed (``None`` while open-ended)
    :param billable: whether charges may be billed at all (not a draft subscription)
    """
    if credit_pending(recurring, last_invoiced, end_limit):
        items = []
        day = end_limit + timedelta(days=1)
        while day <= last_invoiced:
            _i, p_start, p_end = period_core.period_containing(anchor, periodicity, day)
            chunk_end = min(p_end, last_invoiced)
            items.append(("credit", day, chunk_end, prorata_ratio(day, chunk_end, p_start, p_end)))
            day = chunk_end + timedelta(days=1)
        return items
    if not billable:
        return []
    high_water_mark = last_invoiced or line_start - timedelta(days=1)
    if not recurring:
        if last_invoiced:
            return []
        periods = period_core.due_periods(
            anchor, periodicity, True, high_water_mark, reference_date, end_limit
        )
        return [("charge", period.start, period.end, 1.0) for period in periods[:1]]
    items = []
    for period in period_core.due_periods(
        anchor, periodicity, prepaid, high_water_mark, reference_date, end_limit
    ):
        _i, p_start, p_end = period_core.period_containing(anchor, periodicity, period.start)
        items.append(
            (
                "charge",
                period.start,
                period.end,
                prorata_ratio(period.start, period.end, p_start, p_end),
            )
        )
    return items


def mark_after(kind, end, end_limit):
    """The line's high-water mark after billing an item ending on ``end``."""
    return end if kind == "charge" else end_limit
