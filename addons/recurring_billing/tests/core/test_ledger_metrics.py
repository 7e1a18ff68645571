import pytest

from ...core.ledger import classify
from ...core.metrics import cohort_retention, gross_mrr_churn, net_mrr_churn, retention


def test_first_subscription_is_new_business():
    assert classify(0.0, {("s1", "hosting"): 500.0, ("s1", "support"): 200.0}) == [
        (("s1", "hosting"), "new", 500.0),
        (("s1", "support"), "new", 200.0),
    ]


def test_returning_customer_is_reactivation():
    assert classify(0.0, {"s2": 300.0}, had_mrr_before=True) == [("s2", "reactivation", 300.0)]


def test_cancelling_one_of_two_subscriptions_is_contraction_not_churn():
    assert classify(700.0, {"s1": -500.0}) == [("s1", "contraction", -500.0)]


def test_cancelling_the_last_subscription_is_churn():
    assert classify(500.0, {"s1": -500.0}) == [("s1", "churn", -500.0)]


def test_mixed_change_splits_by_sign_and_zero_changes_are_dropped():
    assert classify(500.0, {"hosting": 100.0, "support": -50.0, "monitoring": 0.0}) == [
        ("hosting", "expansion", 100.0),
        ("support", "contraction", -50.0),
    ]


def test_sum_of_movements_is_mrr():
    mrr, history = 0.0, False
    for deltas in ({"a": 100.0}, {"a": 50.0}, {"a": -150.0}, {"a": 80.0}):
        moves = classify(mrr, deltas, had_mrr_before=history)
        mrr += sum(change for _key, _kind, change in moves)
        history = history or mrr > 0
    assert mrr == 80.0
    assert [kind for _k, kind, _c in classify(0.0, {"a": 80.0}, had_mrr_before=True)] == [
        "reactivation"
    ]


def test_chartmogul_worked_example():
    # start 100, churn 10, contraction 10, expansion 10
    assert gross_mrr_churn(100.0, 10.0, 10.0) == pytest.approx(0.20)
    assert net_mrr_churn(100.0, 10.0, 10.0, 10.0) == pytest.approx(0.10)
    assert gross_mrr_churn(0.0, 10.0, 0.0) is None


def test_net_mrr_churn_subtracts_reactivation():
    # ChartMogul: churned + contraction - expansion - reactivation, over MRR at the start
    assert net_mrr_churn(100.0, 10.0, 10.0, 10.0, 30.0) == pytest.approx(-0.20)


def test_grr_nrr_over_customers_active_at_start():
    start = {"a": 100.0, "b": 50.0, "c": 0.0}
    end = {"a": 120.0, "b": 30.0, "c": 500.0, "d": 999.0}  # c and d are new: not counted
    grr, nrr = retention(start, end)
    assert grr == pytest.approx((100 + 30) / 150)
    assert nrr == pytest.approx((120 + 30) / 150)
    assert retention({}, end) == (None, None)


def test_cohort_retention():
    table = cohort_retention(
        {"2026-01": 1000.0, "2026-02": 0.0},
        {("2026-01", 0): 1000.0, ("2026-01", 1): 900.0, ("2026-01", 3): 1100.0},
    )
    assert table["2026-01"] == [1.0, 0.9, 0.0, 1.1]
    assert table["2026-02"] == [None]
