import doctest
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ...core import drill
from ...core.drill import drill_is_overdue, drill_owed_at, grace_ends_at, next_drill_at

moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1))
intervals = st.integers(min_value=1, max_value=730)


def test_docstring_examples():
    assert doctest.testmod(drill).failed == 0


def test_first_drill_owed_one_interval_after_go_live_hand_computed():
    live = datetime(2026, 1, 31, 23, 30)
    # 90 days after 31 January 23:30 is 1 May 23:30 (28 + 31 + 30 + 1 days)
    assert drill_owed_at(None, live, 90) == datetime(2026, 5, 1, 23, 30)
    assert not drill_is_overdue(datetime(2026, 5, 1, 23, 30), None, live, 90)
    assert drill_is_overdue(datetime(2026, 5, 1, 23, 31), None, live, 90)
    # a passed drill restarts the period, whatever the go-live
    assert not drill_is_overdue(datetime(2026, 7, 1), datetime(2026, 6, 1), live, 90)


@given(now=moments, passed=st.one_of(st.none(), moments), live=moments, days=intervals)
def test_overdue_matches_counting_days(now, passed, live, days):
    """Reference: step a day at a time from the last passed drill (or go-live)."""
    start = passed or live
    deadline = start
    for _day in range(days):
        deadline += timedelta(days=1)
    assert drill_is_overdue(now, passed, live, days) == (now > deadline)
    scheduled = next_drill_at(now, passed, live, days)
    assert scheduled == max(now, deadline)


@given(switched=moments, days=st.integers(min_value=0, max_value=365))
def test_grace_end_is_whole_days_after_switch(switched, days):
    end = grace_ends_at(switched, days)
    assert end - switched == timedelta(days=days)
    assert end.time() == switched.time()


@pytest.mark.parametrize("days", [-1, 1.5, True, None])
def test_grace_days_must_be_whole_and_not_negative(days):
    with pytest.raises(ValueError, match="grace period"):
        grace_ends_at(datetime(2026, 1, 1), days)
