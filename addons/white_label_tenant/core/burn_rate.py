"""Multiwindow, multi-burn-rate alerts on an availability SLO, without any Odoo import.

The SRE workbook (chapter 5, "Alerting on SLOs"): the error budget is ``1 - SLO``; the burn rate
over a window is the window's error ratio divided by the budget (1.0 spends the budget exactly by
the end of the SLO period, 14.4 spends 2 % of a 30-day budget in one hour). A rule fires when
the burn rate exceeds its factor over a long window *and* a short one (a twelfth of it): the long
window says the budget is really burning, the short one that it still is, so the alert stops soon
after the problem does.

Error ratios are compared as exact fractions (``1 - 0.999`` is not ``0.001`` in floating point):
the SLO is read from its decimal text, so a window exactly at the factor does not fire, as in the
workbook's ``>``.

>>> rule = AlertRule("page_fast", "page", 14.4, 60, 5)
>>> counts = {60: (2, 12), 5: (1, 1)}  # 2 bad of 12 five-minute probes, the last one bad
>>> round(burn_rate(*counts[60], 0.999), 1)
166.7
>>> [r.key for r in firing_rules([rule], counts, 0.999)]
['page_fast']
"""

from dataclasses import dataclass
from fractions import Fraction

SEVERITIES = ("page", "ticket")


@dataclass(frozen=True)
class AlertRule:
    """``factor`` times the budget over both ``long_minutes`` and ``short_minutes``."""

    key: object
    severity: str
    factor: float
    long_minutes: int
    short_minutes: int


# The workbook's recommended table for a 30-day SLO (its "Table 5-8"): two paging rules, one
# ticket. White-label tenant ships them as data records (tenant.slo.alert.rule) with these values.
SRE_WORKBOOK_RULES = (
    AlertRule("page_1h", "page", 14.4, 60, 5),
    AlertRule("page_6h", "page", 6.0, 360, 30),
    AlertRule("ticket_3d", "ticket", 1.0, 3 * 24 * 60, 360),
)


def _exact(value):
    """A float or decimal text as the exact fraction its decimal text says (0.999 -> 999/1000)."""
    if isinstance(value, Fraction):
        return value
    return Fraction(str(value))


def check_slo(slo):
    if not isinstance(slo, int | float | Fraction) or not 0 < slo < 1:
        raise ValueError(
            f"An availability SLO lies strictly between 0 and 1 (e.g. 0.999), not {slo!r}."
        )


def check_rule(rule):
    if rule.severity not in SEVERITIES:
        raise ValueError(f"Severity must be one of {SEVERITIES}, not {rule.severity!r}.")
    if not 0 < rule.factor < float("inf"):
        raise ValueError(f"A burn-rate factor must be positive, not {rule.factor!r}.")
    if not 0 < rule.short_minutes < rule.long_minutes:
        raise ValueError(
            "The short window must be positive and shorter than the long one, not "
            f"{rule.short_minutes!r} and {rule.long_minutes!r} minutes."
        )


def burn_rate(bad, total, slo):
    """How fast a window burns the budget: its error ratio over ``1 - slo``; ``None`` without
    samples (nothing measured is no burn, not a zero one)."""
    check_slo(slo)
    if not total:
        return None
    return float(Fraction(bad, total) / (1 - _exact(slo)))


def _burning(bad, total, slo, factor):
    return bool(total) and Fraction(bad, total) > _exact(factor) * (1 - _exact(slo))


def windows(rules):
    """Every window the rules look at, in minutes, sorted."""
    return sorted({m for rule in rules for m in (rule.long_minutes, rule.short_minutes)})


def firing_rules(rules, counts, slo):
    """The rules that fire, most urgent first (pages before tickets, then the higher factor).

    ``counts``: ``{window_minutes: (bad, total)}`` of one environment's samples in each window
    ending now; a window without samples never fires.
    """
    check_slo(slo)
    fired = []
    for rule in rules:
        check_rule(rule)
        long_bad, long_total = counts.get(rule.long_minutes, (0, 0))
        short_bad, short_total = counts.get(rule.short_minutes, (0, 0))
        if _burning(long_bad, long_total, slo, rule.factor) and _burning(
            short_bad, short_total, slo, rule.factor
        ):
            fired.append(rule)
    fired.sort(key=lambda r: (SEVERITIES.index(r.severity), -r.factor))
    return fired
