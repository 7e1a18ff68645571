"""Daily proration.

The rule: a price is for one whole billing period.  A part of a period is billed as
``price * days covered ÷ days in that period``, counting calendar days, both ends inclusive, in
the period actually being billed (so one day of February is 1/28 of the monthly price, one day of
March 1/31).  A change on day *d* takes effect from *d* inclusive: the old price covers the days
before *d*, the new price the days from *d*.  Amounts are rounded only by the caller (the invoice
line carries the ratio as its quantity factor, the currency rounds the total).
"""

from datetime import date, timedelta

from .periods import period_containing


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


def split_by_period(anchor, periodicity, first_day, last_day):
    """``[(start, end, ratio)]``: the days ``first_day`` to ``last_day`` cut at the billing periods
    anchored on ``anchor``, each with its share of its period (the rule above)."""
    pieces = []
    day = first_day
    while day <= last_day:
        _index, p_start, p_end = period_containing(anchor, periodicity, day)
        end = min(p_end, last_day)
        pieces.append((day, end, prorata_ratio(day, end, p_start, p_end)))
        day = end + timedelta(days=1)
    return pieces


def change_preview(
    anchor, periodicity, change_date, invoiced_until, old_amount, new_amount, end_date=None
):
    """What a change of a line's amount per period (price x quantity) on ``change_date`` bills.

    The preview covers the days from ``change_date`` to the end of the billing period it falls in
    (or to the last day already invoiced, when later), cut at ``end_date``: the days already
    invoiced at the old amount are credited, every day of the span is charged at the new one.

    :return: ``{"start", "end", "days", "credit", "charge", "net"}`` (credit positive, net is
        charge - credit); ``None`` when the line no longer runs on ``change_date``
    """
    if end_date is not None and change_date > end_date:
        return None
    _index, _p_start, p_end = period_containing(anchor, periodicity, change_date)
    last = max(p_end, invoiced_until) if invoiced_until else p_end
    if end_date is not None:
        last = min(last, end_date)
    credit = 0.0
    if invoiced_until and invoiced_until >= change_date:
        credit = sum(
            old_amount * ratio
            for _s, _e, ratio in split_by_period(
                anchor, periodicity, change_date, min(invoiced_until, last)
            )
        )
    charge = sum(
        new_amount * ratio
        for _s, _e, ratio in split_by_period(anchor, periodicity, change_date, last)
    )
    return {
        "start": change_date,
        "end": last,
        "days": days_between(change_date, last),
        "credit": credit,
        "charge": charge,
        "net": charge - credit,
    }
