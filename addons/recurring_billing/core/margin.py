"""The partner's margin on a subscription: its own resale price against the wholesale MRR.

The partner owns its resale price (partner-first pricing): it shares it per subscription, per
month, and the margin is what is left of it once the platform's wholesale MRR is paid. Nothing
here rounds: amounts are rounded to the currency where they are stored.
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


def margin(resale, wholesale):
    """``Margin(resale, wholesale, margin, rate)``: the monthly margin and its share of the
    resale price (``None`` when the resale price is zero: no rate of nothing).

    >>> margin(1500.0, 1200.0)
    Margin(resale=1500.0, wholesale=1200.0, margin=300.0, rate=0.2)
    """
    value = resale - wholesale
    rate = value / resale if resale else None
    return Margin(resale, wholesale, value, rate)


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
