import pytest

from ...core.reliability import error_budget, format_share, mean, ratio, uptime


def test_uptime_and_missing():
    assert uptime(999, 1000) == pytest.approx(0.999)
    assert uptime(0, 0) is None
    assert ratio(3, 4) == 0.75


def test_error_budget_closed_period():
    # 99.9% SLO over 10,000 samples: 10 failures allowed; 5 failed -> half the budget left
    figures = error_budget(0.999, 9995, 10000)
    assert figures["budget"] == pytest.approx(0.001)
    assert figures["consumed"] == pytest.approx(0.5)
    assert figures["burn_rate"] == pytest.approx(0.5)


def test_error_budget_mid_period_burn_rate():
    # 1,000 of the 10,000 samples of the month taken, 4 failed: 40% of the month's budget spent,
    # burning four times faster than sustainable
    figures = error_budget(0.999, 996, 1000, expected_samples=10000)
    assert figures["consumed"] == pytest.approx(0.4)
    assert figures["burn_rate"] == pytest.approx(4.0)


def test_error_budget_overspent_and_invalid():
    # 99 % SLO, 100 of 1,000 probes failed: ten times the budget, burnt ten times too fast
    overspent = error_budget(0.99, 900, 1000)
    assert overspent["consumed"] == pytest.approx(10.0)
    assert overspent["burn_rate"] == pytest.approx(10.0)
    assert "left" not in overspent
    assert error_budget(0.99, 0, 0) == {
        "budget": pytest.approx(0.01),
        "consumed": None,
        "burn_rate": None,
    }
    with pytest.raises(ValueError):
        error_budget(1.0, 1, 1)


def test_missing_share_is_not_formatted_as_zero():
    assert format_share(None) is None
    assert format_share(0.0) == "0.0 %"
    assert format_share(0.99953, 3) == "99.953 %"
    assert format_share(24.388) == "2438.8 %"


def test_mean_ignores_missing():
    assert mean([1, None, 3]) == 2
    assert mean([]) is None
