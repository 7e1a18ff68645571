import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ...core import latency
from ...core.latency import baseline, is_degraded, percentile


def test_docstring_examples():
    assert doctest.testmod(latency).failed == 0


def test_hand_computed_baseline_and_degradation():
    """A week of probes at 100 ms but every twentieth at 400 ms: median 100, p95 400 when more
    than 5 % are slow. Three slow probes in a row above 2 x 100 flag; two do not."""
    values = [100.0] * 95 + [400.0] * 5
    b = baseline(values)
    assert (b.median, b.p95, b.count) == (100.0, 100.0, 100)
    assert baseline([100.0] * 94 + [400.0] * 6).p95 == 400.0
    assert is_degraded([250.0, 300.0, 201.0], 100.0, 2.0, 3)
    assert not is_degraded([250.0, 300.0], 100.0, 2.0, 3)
    assert not is_degraded([250.0, 300.0, 200.0], 100.0, 2.0, 3)  # 200 is not above 2 x 100
    assert not is_degraded([500.0] * 3, None, 2.0, 3)
    assert baseline([], min_samples=1) is None
    assert baseline([1.0, 2.0], min_samples=3) is None


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError, match="factor"):
        is_degraded([1.0], 1.0, 1.0, 1)
    with pytest.raises(ValueError, match="sustained"):
        is_degraded([1.0], 1.0, 2.0, 0)


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=200), st.integers(1, 100))
def test_percentile_matches_a_brute_force_reference(values, percent):
    """The smallest value with at least ``percent`` % of the values at or below it."""
    result = percentile(values, percent / 100)
    expected = min(
        v for v in values if sum(1 for w in values if w <= v) * 100 >= percent * len(values)
    )
    assert result == expected
