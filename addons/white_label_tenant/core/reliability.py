"""Reliability figures (SRE definitions), without any Odoo import."""


def ratio(part, whole):
    """``part / whole`` or ``None`` when nothing was measured (missing, never zero)."""
    return part / whole if whole else None


def uptime(successes, samples):
    """Share of successful probes, ``None`` without samples."""
    return ratio(successes, samples)


def error_budget(slo, successes, samples, expected_samples=None):
    """Error budget of an availability SLO over a period (SRE definitions).

    The budget is ``1 - slo``: the share of the period's samples allowed to fail.
    ``expected_samples`` is how many samples the whole period will hold (defaults to ``samples``,
    i.e. a closed period). Returns a dict with ``budget`` (allowed failure share), ``consumed``
    (share of the period's budget already spent by failures: above 1.0 the SLO is missed, which
    a "budget left" would show as a meaningless large negative) and ``burn_rate`` (observed
    failure share / budget: 1.0 spends exactly the budget by the end of the period, 2.0 spends it
    in half the period).
    """
    if not 0 < slo < 1:
        raise ValueError("An availability SLO must lie strictly between 0 and 1 (e.g. 0.999).")
    budget = 1 - slo
    if not samples:
        return {"budget": budget, "consumed": None, "burn_rate": None}
    failures = samples - successes
    allowed = budget * max(expected_samples or samples, samples)
    consumed = failures / allowed
    return {
        "budget": budget,
        "consumed": consumed,
        "burn_rate": (failures / samples) / budget,
    }


def format_share(share, digits=1):
    """``0.9995`` as ``"99.95 %"`` with ``digits`` decimals; ``None`` (missing) stays ``None`` so the
    caller says "no data" instead of printing 0 %."""
    if share is None:
        return None
    return f"{100.0 * share:.{digits}f} %"


def mean(values):
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None
