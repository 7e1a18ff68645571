"""Probe latency baselines and sustained degradation, without any Odoo import.

The baseline of an environment is the median (and the 95th percentile, for the form) of its
successful probes' latency over the last days. A degradation is *sustained* when each of the last
``sustained`` successful probes took more than ``factor`` times the baseline: one slow probe (a
garbage collection, a cold cache) flags nothing, a slow hour does. Failed probes are the uptime's
business and are left out: their latency is the timeout, not the service's speed.

>>> b = baseline([100, 120, 80, 110, 90])
>>> b.median, b.p95
(100, 120)
>>> is_degraded([260, 250, 240], b.median, factor=2.0, sustained=3)
True
>>> is_degraded([260, 150, 240], b.median, factor=2.0, sustained=3)
False
"""

import math
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Baseline:
    median: float
    p95: float
    count: int


def percentile(values, share):
    """Nearest-rank percentile: the smallest value with at least ``share`` of them at or below
    it (``None`` without values)."""
    if not 0 < share <= 1:
        raise ValueError(f"A percentile share lies in (0, 1], not {share!r}.")
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def baseline(values, min_samples=1):
    """The :class:`Baseline` of these latencies, ``None`` with fewer than ``min_samples``."""
    values = [v for v in values if v is not None and math.isfinite(v)]
    if not values or len(values) < min_samples:
        return None
    return Baseline(statistics.median(values), percentile(values, 0.95), len(values))


def check_settings(factor, sustained):
    if not math.isfinite(factor) or factor <= 1:
        raise ValueError(f"The degradation factor must be a finite number above 1, not {factor!r}.")
    if not isinstance(sustained, int) or sustained < 1:
        raise ValueError(
            f"The sustained probe count must be a whole number of 1 or more, not {sustained!r}."
        )


def is_degraded(recent, baseline_ms, factor, sustained):
    """Whether the last ``sustained`` latencies (``recent``, newest first) all exceed
    ``factor`` x ``baseline_ms``; ``False`` without a baseline or with too few probes."""
    check_settings(factor, sustained)
    if not baseline_ms or len(recent) < sustained:
        return False
    limit = baseline_ms * factor
    return all(value > limit for value in recent[:sustained])
