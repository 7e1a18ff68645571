"""The partner's margin on a subscription: its own resale price against the wholesale MRR.

The partner owns its resale price (partner-first pricing): it shares it per subscription, per
month, and the margin is what is left of it once the platform's wholesale MRR is paid. What the
partner pays is the wholesale price after its tier discount in force (``core.tier_discount``),
as its invoices take it. Nothing here rounds: amounts are rounded to the currency where they are
stored.
"""

import math
from collections import namedtuple

Margin = namedtuple("Margin", "resale wholesale margin rate")


class ResalePriceError(ValueError):
    """A resale price that cannot be stored; ``code`` says why (empty, not_a_number,
    not_finite, negative, too_large)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


# a monthly price above this is a typing error, not a price (and would overflow numeric columns)
MAX_RESALE_PRICE = 1e12


def parse_resale_price(text):
    """The monthly resale price typed by the partner, as a float, or ResalePriceError.

    Accepts ``1200``, ``1200.50``, `` 1,200.50 `` (thousands separators), refuses an empty
    text, a non-number, ``nan``/``inf`` and a negative price.

    >>> parse_resale_price(" 1,250.5 ")
    1250.5
    >>> try:
    ...     parse_resale_price("-1")
    ... except ResalePriceError as error:
    ...     error.code
    'negative'
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        value = float(text)
    else:
        cleaned = (text or "").strip().replace(",", "").replace(" ", "")
        if not cleaned:
            raise ResalePriceError("empty")
        try:
            value = float(cleaned)
        except ValueError:
            raise ResalePriceError("not_a_number") from None
    if not math.isfinite(value):
        raise ResalePriceError("not_finite")
    if value < 0:
        raise ResalePriceError("negative")
    if value > MAX_RESALE_PRICE:
        raise ResalePriceError("too_large")
    return value


def paid_wholesale(wholesale, discount=0.0):
    """The wholesale price after a tier discount of ``discount`` percent (what the partner pays).

    >>> paid_wholesale(700.0, 12.5)
    612.5
    """
    return wholesale * (1.0 - (discount or 0.0) / 100.0)


def margin(resale, wholesale, discount=0.0):
    """``Margin(resale, wholesale, margin, rate)``: the monthly margin and its share of the
    resale price (``None`` when the resale price is zero: no rate of nothing). ``wholesale`` is
    the list price, ``discount`` the partner's tier discount in percent; the Margin's wholesale
    is what the partner pays.

    >>> margin(1500.0, 1200.0)
    Margin(resale=1500.0, wholesale=1200.0, margin=300.0, rate=0.2)
    >>> margin(1500.0, 1200.0, discount=12.5)
    Margin(resale=1500.0, wholesale=1050.0, margin=450.0, rate=0.3)
    """
    paid = paid_wholesale(wholesale, discount)
    value = resale - paid
    rate = value / resale if resale else None
    return Margin(resale, paid, value, rate)


def line_margin(resale_price, price_unit, quantity, discount=0.0):
    """Margin of a subscription line per billing period: its resale price less the wholesale
    price the partner pays, times the quantity; 0 when the partner shares no resale price.

    >>> line_margin(800.0, 500.0, 1.0, discount=12.5)
    362.5
    >>> line_margin(0.0, 500.0, 1.0)
    0.0
    """
    if not resale_price:
        return 0.0
    return (resale_price - paid_wholesale(price_unit, discount)) * quantity


def running_wholesale(lines):
    """Monthly wholesale of a subscription's lines that run on to its end: ``lines`` are
    ``(mrr, recurring, date_end)`` (no end: None or False); a line ended before another (replaced by a price change)
    no longer counts, one-time lines never do. No date is needed: it is the subscription's
    price as it stands, whether it started yet or not.

    >>> from datetime import date
    >>> running_wholesale([(100.0, True, date(2026, 1, 31)), (120.0, True, None),
    ...                    (5000.0, False, None)])
    120.0
    """
    recurring = [(mrr, end) for mrr, is_recurring, end in lines if is_recurring]
    if not recurring:
        return 0.0
    if any(not end for _mrr, end in recurring):
        return sum(mrr for mrr, end in recurring if not end)
    last = max(end for _mrr, end in recurring)
    return sum(mrr for mrr, end in recurring if end == last)


def portfolio(rows):
    """Totals of ``rows`` of ``(resale, wholesale)``: one Margin over every shared price."""
    resale = sum(r for r, _w in rows)
    wholesale = sum(w for _r, w in rows)
    return margin(resale, wholesale)
