"""Numbers that are not numbers never reach a score (issue 11: "Every number checked")."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ...core import metric_import, numbers, scoring

ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)


@settings(derandomize=True, max_examples=300)
@given(ANY_FLOAT, st.booleans())
def test_an_accepted_number_is_finite_and_in_range(value, allow_negative):
    if numbers.number_problem(value, allow_negative=allow_negative) is None:
        assert math.isfinite(value)
        assert abs(value) <= numbers.MAX_ABS_VALUE
        assert allow_negative or value >= 0


@settings(derandomize=True, max_examples=300)
@given(st.lists(st.tuples(st.sampled_from(["sales", "ops"]), ANY_FLOAT), min_size=1, max_size=6))
def test_scores_are_never_nan_whatever_the_raw_values(raws):
    metrics = [
        scoring.MetricInput(index, domain, 50.0, scoring.linear_score(raw, target=100.0, floor=0.0))
        for index, (domain, raw) in enumerate(raws)
    ]
    result = scoring.aggregate(metrics, {"sales": 60.0, "ops": 40.0})
    assert result.overall is None or 0.0 <= result.overall <= 100.0
    assert 0.0 <= result.coverage <= 100.0
    for domain in result.domains:
        assert domain.score is None or 0.0 <= domain.score <= 100.0
    for _domain, raw in raws:  # a non-finite raw value counts as missing, not as a score
        if not math.isfinite(raw):
            assert scoring.linear_score(raw, 100.0, 0.0) is None
            assert scoring.band_score(raw, [(50.0, 100.0)]) is None


def test_weights_that_are_not_numbers_are_refused():
    assert scoring.check_weights([("sales", math.inf)], {"sales": 100.0})[0][0] == "not_finite"
    assert scoring.check_weights([("sales", 100.0)], {"sales": math.nan})[0][0] == "not_finite"


def test_import_refuses_nan_inf_overflow_and_negative_values():
    text = (
        "partner,metric,period,value\n"
        "A,csat,Q,nan\n"
        "A,csat,Q,inf\n"
        "A,csat,Q,1e400\n"
        "A,csat,Q,-5\n"
        "A,csat,Q,1e300\n"
        "A,nps,Q,-5\n"
    )
    rows, errors = metric_import.parse(
        text, {"A": 1}, {"csat": 2, "nps": 3}, {"Q": 4}, signed={"nps"}
    )
    assert errors == [
        (2, "value 'nan' is not a finite number"),
        (3, "value 'inf' is not a finite number"),
        (4, "value '1e400' is not a finite number"),
        (5, "value '-5' is negative: metric 'csat' does not allow negative values"),
        (6, "value '1e300' is above 1e+15"),
    ]
    assert [row["value"] for row in rows] == [-5.0]  # NPS may be negative
