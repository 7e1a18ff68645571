"""From raw metric values to 0-100 scores, domain scores and an overall score.

Missing data is a state, not a zero: a metric without a value carries ``None``. Its weight is
redistributed over the metrics of the same domain that have values; a domain with no value at all
gives its weight to the other domains. ``coverage`` is the share of the template's total weight
that had data, so a reader can tell a well-measured 70 from a guessed one.
"""

import math
from dataclasses import dataclass, field

from .numbers import finite_or_none

HIGHER = "higher"
LOWER = "lower"


def linear_score(raw, target, floor, direction=HIGHER):
    """Score ``raw`` on a line from ``floor`` (0 points) to ``target`` (100 points), clamped.

    >>> linear_score(75, target=100, floor=50)
    50.0
    >>> linear_score(10, target=5, floor=20, direction="lower")
    66.67
    >>> linear_score(None, target=1, floor=0) is None, linear_score(float("nan"), 1, 0) is None
    (True, True)
    """
    raw = finite_or_none(raw)
    if raw is None or finite_or_none(target) is None or finite_or_none(floor) is None:
        return None
    if target == floor:
        reached = raw >= target if direction == HIGHER else raw <= target
        return 100.0 if reached else 0.0
    if direction == HIGHER:
        ratio = (raw - floor) / (target - floor)
    else:
        ratio = (floor - raw) / (floor - target)
    return round(min(max(ratio, 0.0), 1.0) * 100.0, 2)


def band_score(raw, bands, direction=HIGHER):
    """Score ``raw`` by bands: ``bands`` is a list of (threshold, score).

    For ``higher`` the best band whose threshold is <= raw wins; for ``lower`` the best band whose
    threshold is >= raw. Below every band, the score is 0.

    >>> band_score(93, [(90, 100), (75, 60), (50, 20)])
    100.0
    >>> band_score(80, [(90, 100), (75, 60), (50, 20)])
    60.0
    >>> band_score(3, [(2, 100), (5, 50)], direction="lower")
    50.0
    >>> band_score(float("inf"), [(90, 100)]) is None
    True
    """
    raw = finite_or_none(raw)
    if raw is None:
        return None
    if direction == HIGHER:
        eligible = [score for threshold, score in bands if raw >= threshold]
    else:
        eligible = [score for threshold, score in bands if raw <= threshold]
    return float(max(eligible)) if eligible else 0.0


@dataclass(frozen=True)
class MetricInput:
    key: object  # whatever identifies the metric for the caller (an id)
    domain: str
    weight: float  # weight within its domain, the weights of a domain add up to 100
    score: float | None  # None: missing data


@dataclass
class MetricResult:
    key: object
    domain: str
    score: float | None
    weight: float  # nominal weight within the domain
    effective_weight: float  # share of the overall score actually carried, in percent


@dataclass
class DomainResult:
    domain: str
    weight: float  # nominal domain weight (out of 100)
    effective_weight: float
    score: float | None
    coverage: float  # percent of the domain's metric weight that had data


@dataclass
class ScorecardResult:
    overall: float | None
    coverage: float  # percent of the total weight that had data
    domains: list = field(default_factory=list)
    metrics: list = field(default_factory=list)


def aggregate(metrics, domain_weights):
    """Combine metric scores into domain and overall scores, redistributing missing weight.

    ``metrics`` is a list of :class:`MetricInput`; ``domain_weights`` maps domain -> weight (out of
    100). Returns a :class:`ScorecardResult`.

    >>> r = aggregate(
    ...     [MetricInput(1, "sales", 50, 80.0), MetricInput(2, "sales", 50, None),
    ...      MetricInput(3, "ops", 100, 40.0)],
    ...     {"sales": 60, "ops": 40},
    ... )
    >>> r.overall, r.coverage
    (64.0, 70.0)
    """
    by_domain = {}
    for metric in metrics:
        by_domain.setdefault(metric.domain, []).append(metric)

    domain_results = []
    provisional = {}
    for domain, weight in domain_weights.items():
        lines = by_domain.get(domain, [])
        present = [m for m in lines if m.score is not None]
        total = sum(m.weight for m in lines) or 0.0
        present_weight = sum(m.weight for m in present)
        score = (
            sum(m.score * m.weight for m in present) / present_weight if present_weight else None
        )
        coverage = present_weight / total * 100.0 if total else 0.0
        provisional[domain] = (score, present_weight, total)
        domain_results.append(DomainResult(domain, weight, 0.0, _round(score), round(coverage, 2)))

    measured_domain_weight = sum(
        d.weight for d in domain_results if provisional[d.domain][0] is not None
    )
    overall = None
    if measured_domain_weight:
        overall = (
            sum(d.weight * provisional[d.domain][0] for d in domain_results if d.score is not None)
            / measured_domain_weight
        )

    total_weight = sum(domain_weights.values()) or 1.0
    coverage = sum(
        d.weight * (provisional[d.domain][1] / provisional[d.domain][2])
        for d in domain_results
        if provisional[d.domain][2]
    )
    metric_results = []
    for d in domain_results:
        score, present_weight, _total = provisional[d.domain]
        if score is not None:
            d.effective_weight = round(d.weight / measured_domain_weight * 100.0, 2)
        for m in by_domain.get(d.domain, []):
            effective = 0.0
            if m.score is not None and present_weight:
                effective = round(m.weight / present_weight * d.effective_weight, 2)
            metric_results.append(MetricResult(m.key, m.domain, m.score, m.weight, effective))
    return ScorecardResult(
        overall=_round(overall),
        coverage=round(coverage / total_weight * 100.0, 2),
        domains=domain_results,
        metrics=metric_results,
    )


def _round(value):
    return None if value is None else round(value, 2)


def check_weights(lines, domain_weights):
    """Return the problems with a template's weights as (kind, domain, value) tuples.

    ``lines`` is a list of (domain, weight); ``domain_weights`` maps domain -> weight. Metric weights
    must add up to 100 within each domain, domain weights to 100 overall, and every domain with
    metrics needs a weight (and the other way round). An empty list means the template is valid.

    >>> check_weights([("sales", 60), ("sales", 40)], {"sales": 100})
    []
    >>> check_weights([("sales", 60)], {"sales": 90, "ops": 10})
    [('metric_sum', 'sales', 60.0), ('domain_without_metric', 'ops', 10)]
    >>> check_weights([("sales", 100)], {"sales": 80})
    [('domain_sum', None, 80)]
    >>> check_weights([("sales", float("nan"))], {"sales": 100})
    [('not_finite', 'sales', nan)]
    """
    invalid = [
        ("not_finite", domain, weight)
        for domain, weight in [*lines, *domain_weights.items()]
        if not math.isfinite(weight)
    ]
    if invalid:
        return invalid  # NaN compares false to everything: the sums below would pass it
    problems = []
    sums = {}
    for domain, weight in lines:
        if weight < 0:
            problems.append(("negative_weight", domain, weight))
        sums[domain] = sums.get(domain, 0.0) + weight
    for domain, total in sums.items():
        if abs(total - 100.0) > 0.01:
            problems.append(("metric_sum", domain, total))
        if domain not in domain_weights:
            problems.append(("missing_domain_weight", domain, total))
    for domain, weight in domain_weights.items():
        if weight < 0:
            problems.append(("negative_weight", domain, weight))
        if domain not in sums:
            problems.append(("domain_without_metric", domain, weight))
    total = sum(domain_weights.values())
    if domain_weights and abs(total - 100.0) > 0.01:
        problems.append(("domain_sum", None, total))
    return problems


def reweight_without(weights, removed):
    """The weights left once the keys in ``removed`` are taken out, scaled back to 100 in the
    same proportions (a template losing metrics or a whole domain when their module goes).

    ``weights`` maps a key (metric, domain) to its weight out of 100. Keys of ``removed`` that are
    not in ``weights`` are ignored. Nothing left, or only zero weights: an empty dict (the caller
    decides what an empty domain means).

    >>> reweight_without({"mrr": 25, "renewal": 15, "nrr": 60}, {"nrr"})
    {'mrr': 62.5, 'renewal': 37.5}
    >>> reweight_without({"sales": 50, "revenue": 50}, set())
    {'sales': 50.0, 'revenue': 50.0}
    >>> reweight_without({"a": 40, "b": 0}, {"a"})
    {}
    >>> reweight_without({"a": 100}, {"a"})
    {}
    """
    kept = {key: weight for key, weight in weights.items() if key not in removed}
    total = sum(kept.values())
    if total <= 0:
        return {}
    return {key: weight * 100.0 / total for key, weight in kept.items()}
