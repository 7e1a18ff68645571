import pytest

from ...core.scoring import (
    MetricInput,
    aggregate,
    band_score,
    check_weights,
    linear_score,
)


@pytest.mark.parametrize(
    ("raw", "direction", "expected"),
    [
        (100, "higher", 100.0),  # at target
        (130, "higher", 100.0),  # above target is capped
        (50, "higher", 0.0),  # at floor
        (20, "higher", 0.0),  # below floor is clamped
        (75, "higher", 50.0),  # halfway
    ],
)
def test_linear_score_higher_is_better(raw, direction, expected):
    assert linear_score(raw, target=100, floor=50, direction=direction) == expected


def test_linear_score_lower_is_better():
    # sales cycle: target 30 days, floor 90 days
    assert linear_score(30, target=30, floor=90, direction="lower") == 100.0
    assert linear_score(60, target=30, floor=90, direction="lower") == 50.0
    assert linear_score(120, target=30, floor=90, direction="lower") == 0.0


def test_linear_score_missing_is_none_not_zero():
    assert linear_score(None, target=100, floor=0) is None


def test_bands():
    bands = [(99.9, 100), (99.5, 70), (99.0, 40)]
    assert band_score(99.95, bands) == 100.0
    assert band_score(99.6, bands) == 70.0
    assert band_score(98.0, bands) == 0.0
    assert band_score(None, bands) is None


def test_aggregate_all_present_is_weighted_mean():
    result = aggregate(
        [
            MetricInput("win", "sales", 40, 50.0),
            MetricInput("pipe", "sales", 60, 100.0),
            MetricInput("up", "operations", 100, 70.0),
        ],
        {"sales": 50, "operations": 50},
    )
    # sales = 0.4*50 + 0.6*100 = 80; overall = (80 + 70) / 2
    assert [d.score for d in result.domains] == [80.0, 70.0]
    assert result.overall == 75.0
    assert result.coverage == 100.0


def test_missing_metric_weight_goes_to_its_domain_siblings():
    result = aggregate(
        [
            MetricInput("win", "sales", 40, None),
            MetricInput("pipe", "sales", 60, 90.0),
            MetricInput("up", "operations", 100, 70.0),
        ],
        {"sales": 50, "operations": 50},
    )
    assert result.domains[0].score == 90.0  # not 54: the missing metric is not a zero
    assert result.overall == 80.0
    assert result.coverage == 80.0  # 40 % of the sales half had no data
    effective = {m.key: m.effective_weight for m in result.metrics}
    assert effective == {"win": 0.0, "pipe": 50.0, "up": 50.0}


def test_missing_domain_gives_its_weight_to_other_domains():
    result = aggregate(
        [MetricInput("win", "sales", 100, None), MetricInput("up", "operations", 100, 60.0)],
        {"sales": 70, "operations": 30},
    )
    assert result.domains[0].score is None
    assert result.overall == 60.0
    assert result.coverage == 30.0
    assert result.domains[1].effective_weight == 100.0


def test_everything_missing_gives_no_score():
    result = aggregate([MetricInput("win", "sales", 100, None)], {"sales": 100})
    assert result.overall is None
    assert result.coverage == 0.0


def test_check_weights_reports_every_problem():
    problems = check_weights(
        [("sales", 50), ("sales", 30), ("operations", 100), ("customer", -5)],
        {"sales": 60, "operations": 30, "ecosystem": 5},
    )
    kinds = {(kind, domain) for kind, domain, _value in problems}
    assert ("metric_sum", "sales") in kinds
    assert ("negative_weight", "customer") in kinds
    assert ("missing_domain_weight", "customer") in kinds
    assert ("domain_without_metric", "ecosystem") in kinds
    assert ("domain_sum", None) in kinds
    assert check_weights([("sales", 100)], {"sales": 100}) == []
