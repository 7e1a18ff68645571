import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ...core import burn_rate
from ...core.burn_rate import SRE_WORKBOOK_RULES, AlertRule, firing_rules, windows


def test_docstring_examples():
    assert doctest.testmod(burn_rate).failed == 0


def test_hand_computed_windows_of_the_workbook_table():
    """SLO 99.9 %, probes every 5 minutes. Budget 0.001.

    - 2 bad of the hour's 12 probes (16.7 %, burn 166.7) and the last probe bad: the 14.4x page
      fires, and so does 6x if the 6 h window burns: 2 of 72 (2.8 %, burn 27.8), the last 30 min
      1 of 6 (burn 166.7);
    - the same hour with the last probe good: no short window burning, no page;
    - 3 days of 864 probes with 2 bad (burn 2.3) and 1 of the last 6 h's 72 (burn 13.9): the 1x
      ticket only.
    """
    rules = SRE_WORKBOOK_RULES
    assert windows(rules) == [5, 30, 60, 360, 4320]
    hour_down = {5: (1, 1), 30: (1, 6), 60: (2, 12), 360: (2, 72), 4320: (2, 864)}
    assert [r.key for r in firing_rules(rules, hour_down, 0.999)] == [
        "page_1h",
        "page_6h",
        "ticket_3d",
    ]
    recovered = {**hour_down, 5: (0, 1), 30: (0, 6)}
    assert [r.key for r in firing_rules(rules, recovered, 0.999)] == ["ticket_3d"]
    slow_leak = {5: (0, 1), 30: (0, 6), 60: (0, 12), 360: (1, 72), 4320: (2, 864)}
    assert [r.key for r in firing_rules(rules, slow_leak, 0.999)] == ["ticket_3d"]
    assert round(burn_rate.burn_rate(2, 864, 0.999), 2) == 2.31


def test_exactly_at_the_factor_does_not_fire_and_no_samples_is_no_burn():
    # 1 bad in 1000 at 99.9 %: burn 1.0 exactly (not above the 1x factor)
    rule = AlertRule("t", "ticket", 1.0, 60, 5)
    assert firing_rules([rule], {60: (1, 1000), 5: (1, 1000)}, 0.999) == []
    assert firing_rules([rule], {60: (2, 1000), 5: (2, 1000)}, 0.999) == [rule]
    assert burn_rate.burn_rate(0, 0, 0.999) is None
    assert firing_rules([rule], {60: (5, 5)}, 0.999) == []  # short window empty


@pytest.mark.parametrize(
    "rule, message",
    [
        (AlertRule("x", "email", 1, 60, 5), "Severity"),
        (AlertRule("x", "page", 0, 60, 5), "factor"),
        (AlertRule("x", "page", 2, 60, 60), "short window"),
    ],
)
def test_invalid_rules_are_refused(rule, message):
    with pytest.raises(ValueError, match=message):
        firing_rules([rule], {}, 0.999)
    with pytest.raises(ValueError, match="SLO"):
        burn_rate.burn_rate(1, 2, 1.0)


@given(
    slo_per_mille=st.integers(900, 999),
    bad=st.integers(0, 500),
    extra=st.integers(0, 5000),
    factor_tenths=st.integers(1, 200),
)
def test_burn_rate_matches_a_naive_integer_reference(slo_per_mille, bad, extra, factor_tenths):
    """Burn rate > factor  <=>  bad / total > factor x (1 - slo), in integers:
    bad x 1000 x 10 > factor_tenths x (1000 - slo_per_mille) x total."""
    total = bad + extra
    slo = slo_per_mille / 1000
    factor = factor_tenths / 10
    rule = AlertRule("r", "page", factor, 60, 5)
    counts = {60: (bad, total), 5: (bad, total)}
    expected = bool(total) and bad * 10000 > factor_tenths * (1000 - slo_per_mille) * total
    assert bool(firing_rules([rule], counts, slo)) == expected
    if total:
        naive = (bad / total) / ((1000 - slo_per_mille) / 1000)
        assert burn_rate.burn_rate(bad, total, slo) == pytest.approx(naive)
