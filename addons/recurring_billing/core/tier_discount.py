"""The tier discount of an invoice period: the partner's tier in force on the period's first day.

A partner's tier changes are logged (``partner.tier.history``).  The discount of the wholesale
price list is the discount of the tier in force on the first day of the billing period an invoice
line belongs to; it is never applied retroactively:

- the last change on or before that day gives the tier (a change on the period's first day counts:
  it applies from that day);
- a change in the middle of a period applies from the next period (the period already started at
  the old tier's price; no pro rata split);
- before the first recorded change, the first change's old tier when it had one (the partner was
  already in the program at that tier), else no tier: a partner that joined after the period
  started gets no discount for it;
- without any recorded change, no tier either (nothing says since when the tier holds).

Invoices already created keep the discount they were created with: nothing here rewrites them.
The discount in force for a subscription on a day (what its margin counts) is the discount of the
billing period containing that day, by the same rule.
"""

from . import periods


def tier_at(changes, day):
    """Tier key in force on ``day`` (``None`` if none), from ``changes``:
    ``[(day of the change, old tier key or None, new tier key or None)]`` in any order (changes of
    the same day keep their given order: the last one wins)."""
    ordered = [change for _i, change in sorted(enumerate(changes), key=lambda c: (c[1][0], c[0]))]
    if not ordered:
        return None
    before = [change for change in ordered if change[0] <= day]
    if before:
        return before[-1][2]
    return ordered[0][1]


def discount_at(changes, day, discounts):
    """Discount percentage (0-100) on ``day``: ``discounts`` maps a tier key to its percentage."""
    tier = tier_at(changes, day)
    return float(discounts.get(tier, 0.0)) if tier is not None else 0.0


def discount_in_force(changes, discounts, anchor, periodicity, day):
    """Discount percentage of the billing period containing ``day`` of a subscription whose
    periods start on ``anchor`` every ``periodicity`` (its first period before it starts): the
    tier in force on that period's first day, as its invoice takes it.

    >>> from datetime import date
    >>> changes = [(date(2026, 2, 15), "silver", "gold")]
    >>> rates = {"silver": 5.0, "gold": 12.5}
    >>> discount_in_force(changes, rates, date(2026, 1, 1), "monthly", date(2026, 2, 20))
    5.0
    >>> discount_in_force(changes, rates, date(2026, 1, 1), "monthly", date(2026, 3, 1))
    12.5
    """
    start = anchor if day < anchor else periods.period_containing(anchor, periodicity, day)[1]
    return discount_at(changes, start, discounts)


def check_percent(value):
    """None when ``value`` is a valid discount percentage, else why not."""
    if value is None or value != value:  # NaN
        return "missing"
    if value < 0 or value > 100:
        return "range"
    return None


def net_amount(amount, percent):
    """``amount`` after a discount of ``percent`` (the arithmetic of ``account.move.line``)."""
    return amount * (1.0 - percent / 100.0)
