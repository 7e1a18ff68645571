"""The health score against hand-computed values and, with Hypothesis, its properties: every
score in [0, 100], monotone in each part and input, missing parts reweighted (never zeroed)."""

import doctest
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ...core import health
from ...core.health import (
    PARTS,
    WEIGHTS,
    adoption_score,
    combine,
    commercial_score,
    priority_load,
    renewal_risk,
    stability_score,
    support_score,
    trend,
    weighted_health,
)

LARGE = os.environ.get("HYPOTHESIS_PROFILE") == "large"
PROFILE = settings(
    max_examples=3000 if LARGE else 300,
    deadline=None,
    derandomize=not LARGE,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SCORE = st.floats(min_value=0, max_value=100, allow_nan=False)
MAYBE_SCORE = st.none() | SCORE
PART_VALUES = st.fixed_dictionaries(dict.fromkeys(PARTS, MAYBE_SCORE))
COUNT = st.integers(min_value=0, max_value=500)
MONEY = st.floats(min_value=0, max_value=1e7, allow_nan=False)


def reference_combine(parts):
    """The definition, written the long way: sum of weight x score over the parts measured,
    divided by the sum of their weights."""
    numerator = denominator = 0.0
    for name in PARTS:
        if parts[name] is not None:
            numerator += WEIGHTS[name] * parts[name]
            denominator += WEIGHTS[name]
    return numerator / denominator if denominator else None


def test_doctests():
    assert doctest.testmod(health).failed == 0


def test_hand_computed_tenant():
    # 6 of 10 expected users active, 2 of 4 apps; incidents: one critical open, two normal
    adoption = adoption_score(6, 10, 2, 4)
    assert adoption == pytest.approx(100 * (0.7 * 0.6 + 0.3 * 0.5))  # 57
    support = support_score(priority_load(["1", "3", "3"]))  # load 12
    assert support == pytest.approx(100 * 10 / 22)
    # uptime 99.7 % against 99.9 %: three budgets -> 33.3, less one failed backup
    stability = stability_score(0.997, 0.999, 30, 1, 0)
    assert stability == pytest.approx(100 / 3 - 10, abs=1e-5)
    commercial = commercial_score(900.0, 1000.0, 0.0)  # -10 % -> 25
    assert commercial == pytest.approx(25.0)
    score = combine(
        {"adoption": adoption, "support": support, "stability": stability, "commercial": commercial}
    )
    expected = (30 * 57 + 20 * 1000 / 22 + 30 * (100 / 3 - 10) + 20 * 25) / 100
    assert score == pytest.approx(expected, abs=1e-5)


def test_missing_parts_are_reweighted_not_zeroed():
    # no billing: adoption 80 and stability 60 weigh 30:30, support 100 weighs 20
    parts = {"adoption": 80.0, "support": 100.0, "stability": 60.0, "commercial": None}
    assert combine(parts) == pytest.approx((30 * 80 + 20 * 100 + 30 * 60) / 80)
    assert combine(dict.fromkeys(PARTS)) is None
    assert stability_score(None, 0.999, 0, 0, 0) is None
    assert adoption_score(None, 5, None, 3) is None


def test_trend_and_risk():
    assert trend(70, 60) == "up" and trend(60, 70) == "down" and trend(60, 61) == "flat"
    assert renewal_risk(49.9, None, None, 50, 15) is True
    assert renewal_risk(50.0, None, None, 50, 15) is False
    # falling fast counts only with a renewal within 90 days
    assert renewal_risk(60, 75, 90, 50, 15) is True
    assert renewal_risk(60, 75, 91, 50, 15) is False
    assert renewal_risk(60, 74, 10, 50, 15) is False
    assert renewal_risk(None, 90, 10, 50, 15) is False


@PROFILE
@given(PART_VALUES)
def test_combine_in_range_and_equal_to_reference(parts):
    score = combine(parts)
    reference = reference_combine(parts)
    if reference is None:
        assert score is None
    else:
        assert 0 <= score <= 100
        assert score == pytest.approx(reference, abs=1e-5)


@PROFILE
@given(PART_VALUES, st.sampled_from(PARTS), SCORE, SCORE)
def test_combine_monotone_in_each_part(parts, name, low, high):
    low, high = sorted((low, high))
    lower, higher = combine({**parts, name: low}), combine({**parts, name: high})
    assert lower <= higher + 1e-6


@PROFILE
@given(PART_VALUES, st.sampled_from(PARTS))
def test_missing_part_equals_dropping_it(parts, name):
    dropped = {key: value for key, value in parts.items() if key != name}
    weights = {key: WEIGHTS[key] for key in dropped}
    assert combine({**parts, name: None}) == combine(dropped, weights)


@PROFILE
@given(COUNT, COUNT, st.integers(1, 200), COUNT, st.integers(1, 30))
def test_adoption_monotone_and_bounded(users, more, expected, apps, expected_apps):
    low = adoption_score(users, expected, apps, expected_apps)
    high = adoption_score(users + more, expected, apps + more, expected_apps)
    assert 0 <= low <= high <= 100


@PROFILE
@given(st.floats(0, 1e6, allow_nan=False), st.floats(0, 1e6, allow_nan=False))
def test_support_decreases_with_load(load, more):
    assert 0 < support_score(load + more) <= support_score(load) <= 100


@PROFILE
@given(
    st.floats(0, 1, allow_nan=False),
    st.floats(0, 1, allow_nan=False),
    st.floats(0.9, 0.99999, allow_nan=False),
    COUNT,
    COUNT,
    st.integers(0, 20),
)
def test_stability_monotone(uptime, other, slo, backups, failed, breaches):
    low_up, high_up = sorted((uptime, other))
    failed = min(failed, backups)
    worse = stability_score(low_up, slo, backups, failed, breaches)
    better = stability_score(high_up, slo, backups, failed, breaches)
    assert 0 <= worse <= better + 1e-6 <= 100 + 1e-6
    assert stability_score(high_up, slo, backups + 1, failed + 1, breaches) <= better
    assert stability_score(high_up, slo, backups, failed, breaches + 1) <= better


@PROFILE
@given(MONEY, MONEY, MONEY, MONEY)
def test_commercial_monotone_in_mrr_and_expansion(mrr, more, before, expansion):
    low = commercial_score(mrr, before, 0.0)
    high = commercial_score(mrr + more, before, 0.0)
    assert 0 <= low <= high + 1e-6 <= 100 + 1e-6
    assert commercial_score(mrr, before, expansion) >= low - 1e-6


@PROFILE
@given(st.lists(st.tuples(MAYBE_SCORE, MONEY), max_size=8))
def test_end_customer_health_between_its_tenants(rows):
    value = weighted_health(rows)
    scores = [score for score, _mrr in rows if score is not None]
    if not scores:
        assert value is None
    else:
        assert min(scores) - 1e-6 <= value <= max(scores) + 1e-6
