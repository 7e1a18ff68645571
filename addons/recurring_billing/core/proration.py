"""Daily proration.

The rule: a price is for one whole billing period.  A part of a period is billed as
``price * days covered ÷ days in that period``, counting calendar days, both ends inclusive, in
the period actually being billed (so one day of February is 1/28 of the monthly price, one day of
March 1/31).  A change on day *d* takes effect from *d* inclusive: the old price covers the days
before *d*, the new price the days from *d*.  Amounts are rounded only by the caller (the invoice
line carries the ratio as its quantity factor, the currency rounds the total).
"""

from datetime import date


def days_between(start: date, end: date) -> int:
    """Calendar days from ``start`` to ``end``, both inclusive (0 when ``end`` < ``start``)."""
    return max((end - start).days + 1, 0)


def prorata_ratio(covered_start, covered_end, period_start, period_end) -> float:
    """Share of the period ``[period_start, period_end]`` covered by ``[covered_start, covered_end]``."""
    total = days_between(period_start, period_end)
    if total <= 0:
        raise ValueError("empty billing period")
    covered = days_between(max(covered_start, period_start), min(covered_end, period_end))
    return covered / total


def split_for_change(period_start, period_end, change_date, old_price, new_price):
    """``(old_part, new_part)`` of a period whose price changes on ``change_date``: the old price
    prorated over the days before the change, the new price over the days from it."""
    before = prorata_ratio(
        period_start, date.fromordinal(change_date.toordinal() - 1), period_start, period_end
    )
    after = prorata_ratio(change_date, period_end, period_start, period_end)
    return old_price * before, new_price * after


def change_adjustment(period_start, period_end, change_date, old_price, new_price):
    """Amount to bill (positive) or credit (negative) for a price change on ``change_date`` when the
    period was already invoiced at ``old_price``: the difference over the remaining days."""
    ratio = prorata_ratio(change_date, period_end, period_start, period_end)
    return (new_price - old_price) * ratio, ratio
