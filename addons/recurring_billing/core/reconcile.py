"""Reconciliation of the MRR ledger with what was invoiced.

Over a window of days, the ledger says what recurring revenue should have been billed: on each
day, the MRR of that day converted to a daily amount of the billing period the day falls in
(``MRR * months per period / days in that period``, the same daily rule the invoices are prorated
with).  The invoices say what was billed: each billed period's amount spread evenly over its days.
The two agree to the cent when every change went through the ledger and every period was billed;
any difference is listed.
"""

from datetime import date, timedelta


def _overlap(start, end, window_start, window_end):
    return max((min(end, window_end) - max(start, window_start)).days + 1, 0)


def expected_revenue(movements, periods, window_start: date, window_end: date):
    """Recurring revenue the ledger expects over the window.

    :param movements: ``[(date, mrr change)]`` of one subscription
    :param periods: ``[(start, end, months)]``: the subscription's billing periods (full periods,
        ``months`` per period) covering the window
    """
    movements = sorted(movements)
    total = 0.0
    for p_start, p_end, months in periods:
        start, end = max(p_start, window_start), min(p_end, window_end)
        if end < start:
            continue
        daily_factor = months / ((p_end - p_start).days + 1)
        # piecewise constant MRR between movement dates
        mrr = sum(amount for day, amount in movements if day <= start)
        cursor = start
        for day, amount in movements:
            if day <= start:
                continue
            if day > end:
                break
            total += mrr * daily_factor * (day - cursor).days
            mrr += amount
            cursor = day
        total += mrr * daily_factor * ((end - cursor).days + 1)
    return total


def invoiced_revenue(billed, window_start: date, window_end: date):
    """Recurring revenue invoiced over the window: ``billed`` is ``[(start, end, amount)]``,
    each amount spread evenly over its days."""
    total = 0.0
    for start, end, amount in billed:
        days = (end - start).days + 1
        if days > 0:
            total += amount * _overlap(start, end, window_start, window_end) / days
    return total


def day_before(day: date) -> date:
    return day - timedelta(days=1)
