import math
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ...core.margin import (
    ResalePriceError,
    margin,
    parse_resale_price,
    portfolio,
    running_wholesale,
)
from .. import hypothesis_settings  # noqa: F401 (the module's profiles)

amounts = st.decimals(min_value=0, max_value=10**7, places=2)


@given(resale=amounts, wholesale=amounts)
def test_margin_against_decimal_reference(resale, wholesale):
    result = margin(float(resale), float(wholesale))
    assert result.margin == pytest.approx(float(resale - wholesale), abs=1e-6)
    if resale:
        assert result.rate == pytest.approx(float((resale - wholesale) / resale), abs=1e-9)
    else:
        assert result.rate is None


@given(rows=st.lists(st.tuples(amounts, amounts), max_size=30))
def test_portfolio_is_the_sum_of_the_rows(rows):
    total = portfolio([(float(r), float(w)) for r, w in rows])
    assert total.margin == pytest.approx(float(sum(r - w for r, w in rows)), abs=1e-4)
    assert total.resale == pytest.approx(float(sum(r for r, _w in rows)), abs=1e-4)


@given(value=st.floats(min_value=0, max_value=1e12, allow_nan=False))
def test_any_finite_amount_at_or_above_zero_is_kept(value):
    assert parse_resale_price(repr(value)) == value
    assert parse_resale_price(value) == value


@given(value=st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False))
def test_negative_amounts_are_refused(value):
    with pytest.raises(ResalePriceError) as error:
        parse_resale_price(repr(value))
    assert error.value.code == "negative"


@pytest.mark.parametrize(
    "typed, code",
    [
        ("", "empty"),
        ("  ", "empty"),
        (None, "empty"),
        ("nan", "not_finite"),
        ("-inf", "not_finite"),
        ("1e400", "not_finite"),
        (math.nan, "not_finite"),
        ("twelve", "not_a_number"),
        ("12,00.0.1", "not_a_number"),
        ("2e12", "too_large"),
    ],
)
def test_refused_inputs(typed, code):
    with pytest.raises(ResalePriceError) as error:
        parse_resale_price(typed)
    assert error.value.code == code


def test_thousands_separators():
    assert parse_resale_price(" 1,250.50 ") == 1250.5


line = st.tuples(
    st.decimals(min_value=0, max_value=10**5, places=2),
    st.booleans(),
    st.one_of(st.none(), st.integers(min_value=0, max_value=60)),
)


@given(lines=st.lists(line, max_size=8))
def test_running_wholesale_against_a_day_by_day_reference(lines):
    """The lines that run on to the end: those running on the day after every line with an
    end date has ended, or on the last end date when every line ends."""
    start = date(2026, 1, 1)
    rows = [
        (float(mrr), recurring, start + timedelta(days=end) if end is not None else None)
        for mrr, recurring, end in lines
    ]
    ends = [end for _m, recurring, end in rows if recurring and end]
    open_ended = any(recurring and not end for _m, recurring, end in rows)
    last_end = max(ends, default=start)
    day = last_end + timedelta(days=1) if open_ended else last_end
    expected = sum(
        Decimal(str(mrr))
        for mrr, recurring, end in rows
        if recurring and (end is None or end >= day)
    )
    assert running_wholesale(rows) == pytest.approx(float(expected), abs=1e-6)
