"""Customer health: four parts scored 0-100, combined into one score, a trend and a risk flag.

Seed 004: "standardize customer health scoring across adoption, support load, infrastructure
stability, and commercial expansion potential"; seed 001: "connect technical performance with
renewal risk". Every function takes plain numbers and returns a score in [0, 100] or ``None``
when nothing was measured: a part without data is left out and the other parts' weights are
scaled up (:func:`combine`), never counted as zero.

>>> adoption_score(active_users=6, expected_users=10, installed_apps=3, expected_apps=3)
72.0
>>> support_score(weighted_load=10)
50.0
>>> stability_score(uptime=0.998, slo=0.999, backups=4, failed_backups=1, breaches=0)
40.0
>>> combine({"adoption": 72.0, "support": 50.0, "stability": 40.0, "commercial": None})
54.5
"""

import math

PARTS = ("adoption", "support", "stability", "commercial")
# share of each part in the score (missing parts are left out and the others scaled up)
WEIGHTS = {"adoption": 30.0, "support": 20.0, "stability": 30.0, "commercial": 20.0}
# adoption: active users against the expected count weigh more than installed applications
USER_SHARE = 0.7
# support load: an incident weighs by its priority ("1" critical ... "4" low); the score is
# 100 without load and halves at SUPPORT_HALF_LOAD (e.g. five normal or one critical + one high)
PRIORITY_WEIGHTS = {"1": 8.0, "2": 4.0, "3": 2.0, "4": 1.0}
SUPPORT_HALF_LOAD = 10.0
# stability: points lost per failed backup and per SLA breach of the period
FAILED_BACKUP_PENALTY = 10.0
BREACH_PENALTY = 20.0
# commercial: +/- COMMERCIAL_SWING MRR change over the period moves 50 to 100 / 0; expansion
# movements add their share of the MRR (at most EXPANSION_BONUS_MAX points)
COMMERCIAL_SWING = 0.2
EXPANSION_BONUS_MAX = 20.0
# adoption at or above this is healthy (the partners' adoption-rate metric counts such tenants)
ADOPTION_HEALTHY = 70.0
# trend: a change of less than FLAT_BAND points is flat
FLAT_BAND = 2.0


def _clamp(value, low=0.0, high=100.0):
    return min(high, max(low, value))


def priority_load(priorities):
    """The weighted support load of incidents given by their priorities.

    >>> priority_load(["1", "3", "3"])
    12.0
    """
    return float(
        sum(PRIORITY_WEIGHTS.get(priority, PRIORITY_WEIGHTS["4"]) for priority in priorities)
    )


def adoption_score(active_users, expected_users, installed_apps, expected_apps):
    """Active users against the expectation (70 %) and installed applications against the
    expected count (30 %), each capped at 100 %; one measure alone counts fully; neither: None.

    >>> adoption_score(None, 10, 2, 4)
    50.0
    >>> adoption_score(None, 10, None, 4) is None
    True
    """
    ratios = []
    if active_users is not None:
        ratios.append((USER_SHARE, min(1.0, active_users / max(expected_users or 1, 1))))
    if installed_apps is not None:
        ratios.append((1 - USER_SHARE, min(1.0, installed_apps / max(expected_apps or 1, 1))))
    if not ratios:
        return None
    total = sum(weight for weight, _ratio in ratios)
    return round(100.0 * sum(weight * ratio for weight, ratio in ratios) / total, 6)


def support_score(weighted_load):
    """100 without support load, 50 at :data:`SUPPORT_HALF_LOAD`, towards 0 as it grows."""
    load = max(0.0, weighted_load or 0.0)
    return round(100.0 * SUPPORT_HALF_LOAD / (SUPPORT_HALF_LOAD + load), 6)


def stability_score(uptime, slo, backups, failed_backups, breaches):
    """Uptime against the SLO, less penalties for failed backups and SLA breaches.

    Within the error budget (1 - SLO) the uptime counts 100; beyond it, 100 divided by the
    budget consumed (twice the budget: 50). Without uptime samples the backups and breaches
    still count (from 100); without samples, backups and breaches: None.

    >>> stability_score(None, 0.999, 0, 0, 0) is None
    True
    >>> stability_score(0.9995, 0.999, 2, 0, 1)
    80.0
    """
    if uptime is None and not backups and not breaches:
        return None
    base = 100.0
    if uptime is not None:
        budget = max(1.0 - slo, 1e-9)
        consumed = (1.0 - uptime) / budget
        base = 100.0 if consumed <= 1.0 else 100.0 / consumed
    penalty = FAILED_BACKUP_PENALTY * (failed_backups or 0) + BREACH_PENALTY * (breaches or 0)
    return round(_clamp(base - penalty), 6)


def commercial_score(mrr, mrr_before, expansion):
    """Expansion potential from billing: 50 for a flat MRR, 100 at +20 % over the period, 0 at
    -20 %, plus the expansion movements' share of the MRR (at most 20 points). No billing: None.

    >>> commercial_score(1100.0, 1000.0, 0.0)
    75.0
    >>> commercial_score(1000.0, 1000.0, 100.0)
    60.0
    >>> commercial_score(None, None, 0.0) is None
    True
    """
    if mrr is None:
        return None
    before = mrr_before or 0.0
    # no MRR before: a first subscription is growth, none at all is flat
    growth_from_nothing = COMMERCIAL_SWING if mrr > 0 else 0.0
    change = (mrr - before) / before if before > 0 else growth_from_nothing
    base = 50.0 + 50.0 * _clamp(change / COMMERCIAL_SWING, -1.0, 1.0)
    bonus = 0.0
    if expansion and expansion > 0:
        bonus = min(EXPANSION_BONUS_MAX, 100.0 * expansion / max(mrr, before, 1.0))
    return round(_clamp(base + bonus), 6)


def combine(parts, weights=None):
    """The weighted mean of the parts that have a value; None when none has.

    >>> combine({"adoption": None, "support": None, "stability": None, "commercial": None}) is None
    True
    """
    weights = weights or WEIGHTS
    present = [(weights[name], value) for name, value in parts.items() if value is not None]
    total = sum(weight for weight, _value in present)
    if not present or total <= 0:
        return None
    return round(_clamp(sum(weight * value for weight, value in present) / total), 6)


def trend(score, score_before, band=FLAT_BAND):
    """ "up", "down" or "flat" against the score of 30 days ago; None without either.

    >>> trend(60.0, 50.0), trend(50.0, 51.0), trend(40.0, None)
    ('up', 'flat', None)
    """
    if score is None or score_before is None:
        return None
    if score - score_before >= band:
        return "up"
    if score_before - score >= band:
        return "down"
    return "flat"


def renewal_risk(score, score_before, renewal_days, threshold, fast_drop, horizon=90):
    """At risk when the score is below ``threshold``, or when it fell by ``fast_drop`` points or
    more over the period and a renewal is due within ``horizon`` days. No score: not flagged.

    >>> renewal_risk(45.0, 50.0, None, 50.0, 15.0)
    True
    >>> renewal_risk(60.0, 80.0, 30, 50.0, 15.0), renewal_risk(60.0, 80.0, 120, 50.0, 15.0)
    (True, False)
    """
    if score is None:
        return False
    if score < threshold:
        return True
    falling = score_before is not None and score_before - score >= fast_drop
    return bool(falling and renewal_days is not None and 0 <= renewal_days <= horizon)


def weighted_health(rows):
    """The health of an end customer over its tenants: ``rows`` of (score, mrr), weighted by
    MRR; a plain mean when no tenant has MRR; None when no tenant has a score.

    >>> weighted_health([(80.0, 300.0), (40.0, 100.0), (None, 500.0)])
    70.0
    >>> weighted_health([(80.0, 0.0), (40.0, 0.0)])
    60.0
    """
    scored = [(score, max(mrr or 0.0, 0.0)) for score, mrr in rows if score is not None]
    if not scored:
        return None
    total = sum(mrr for _score, mrr in scored)
    if total <= 0 or not math.isfinite(total):
        return round(sum(score for score, _mrr in scored) / len(scored), 6)
    # each tenant's share of the MRR first: no underflow with tiny amounts
    return round(sum(score * (mrr / total) for score, mrr in scored), 6)
