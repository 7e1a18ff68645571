"""Marketing development funds: the fund period of a day and what a claim may still take.

A partner's fund covers a calendar quarter or year (the tier's MDF periodicity).  Its budget is the
tier's MDF amount, frozen when the fund opens.  Claims consume it: approved and paid claims are
consumed, submitted ones are reserved, rejected ones give it back.  A claim is accepted only when
its amount is positive and at most the remaining budget (budget - consumed - reserved).
"""

from datetime import date, timedelta

PERIODICITIES = ("quarter", "year")


def fund_period(day, periodicity):
    """``(first day, last day)`` of the calendar quarter or year containing ``day``."""
    if periodicity == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if periodicity != "quarter":
        raise ValueError(f"unknown MDF periodicity {periodicity!r}")
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    if first_month == 10:
        end = date(day.year, 12, 31)
    else:
        end = date(day.year, first_month + 3, 1) - timedelta(days=1)
    return start, end


def consumption(claims):
    """``(consumed, reserved)`` of ``claims``: ``[(state, amount)]``."""
    consumed = sum(amount for state, amount in claims if state in ("approved", "paid"))
    reserved = sum(amount for state, amount in claims if state == "submitted")
    return consumed, reserved


def remaining(budget, claims):
    """Budget left for a new claim."""
    consumed, reserved = consumption(claims)
    return budget - consumed - reserved


def claim_problem(amount, budget, claims, rounding=0.01):
    """None when a new claim of ``amount`` fits, else ``"amount"`` (not positive) or
    ``"budget"`` (above what remains, ``rounding`` tolerated for currency rounding)."""
    if amount is None or amount != amount or amount <= 0:
        return "amount"
    if amount > remaining(budget, claims) + rounding / 2:
        return "budget"
    return None
