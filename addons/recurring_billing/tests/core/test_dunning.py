"""Dunning levels on hand-computed dates, and properties against a day-by-day reference."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ...core import dunning
from .. import hypothesis_settings  # noqa: F401  (loads the profile)

LEVELS = [7, 21, 35, 45]  # reminder, second reminder, suspension warning, suspension
DUE = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 31), None),  # due today
        (date(2026, 4, 6), None),  # 6 days late
        (date(2026, 4, 7), 0),  # 7 days: reminder
        (date(2026, 4, 21), 1),  # 21 days: second reminder
        (date(2026, 5, 5), 2),  # 35 days: suspension warning
        (date(2026, 5, 14), 2),  # 44 days
        (date(2026, 5, 15), 3),  # 45 days: suspension
        (date(2027, 5, 15), 3),
    ],
)
def test_reached_level_on_hand_computed_dates(day, expected):
    assert dunning.reached_level(LEVELS, DUE, day) == expected


def test_next_level_moves_forward_only_and_skips_to_the_last_reached():
    assert dunning.next_level(LEVELS, None, DUE, date(2026, 4, 7)) == 0
    assert dunning.next_level(LEVELS, 0, DUE, date(2026, 4, 8)) is None
    # runs missed: straight to the suspension warning
    assert dunning.next_level(LEVELS, 0, DUE, date(2026, 5, 5)) == 2
    assert dunning.next_level(LEVELS, 3, DUE, date(2026, 4, 7)) is None


def test_a_block_stops_before_the_suspension_level():
    day = date(2026, 5, 20)
    assert dunning.next_level(LEVELS, 1, DUE, day, suspend_from=3) == 3
    assert dunning.next_level(LEVELS, 1, DUE, day, suspend_from=3, blocked=True) == 2
    assert dunning.next_level(LEVELS, 2, DUE, day, suspend_from=3, blocked=True) is None
    assert dunning.next_level([30], None, DUE, day, suspend_from=0, blocked=True) is None


def test_level_days_are_validated():
    dunning.check_level_days([1, 2, 30])
    for wrong in ([0, 7], [7, 7], [21, 7]):
        with pytest.raises(ValueError):
            dunning.check_level_days(wrong)


level_days = st.lists(st.integers(1, 120), min_size=1, max_size=6, unique=True).map(sorted)


def reference_level(levels, due, day):
    """Walk the days after ``due`` one by one, stepping up each time a level's day comes."""
    reached, current = None, due
    while current < day:
        current += timedelta(days=1)
        passed = (current - due).days
        for index, days in enumerate(levels):
            if days == passed:
                reached = index
    return reached


@given(
    levels=level_days,
    due=st.dates(date(2024, 1, 1), date(2028, 12, 31)),
    offset=st.integers(-30, 200),
)
def test_reached_level_matches_a_day_by_day_walk(levels, due, offset):
    day = due + timedelta(days=offset)
    assert dunning.reached_level(levels, due, day) == reference_level(levels, due, day)


@given(
    levels=level_days,
    due=st.dates(date(2024, 1, 1), date(2028, 12, 31)),
    runs=st.lists(st.integers(0, 200), max_size=12).map(sorted),
    suspend_from=st.integers(0, 5),
    blocked=st.booleans(),
)
def test_runs_never_go_back_and_never_suspend_when_blocked(
    levels, due, runs, suspend_from, blocked
):
    suspend_from = min(suspend_from, len(levels) - 1)
    current = None
    for offset in runs:
        day = due + timedelta(days=offset)
        moved = dunning.next_level(levels, current, due, day, suspend_from, blocked)
        if moved is not None:
            assert current is None or moved > current
            assert moved <= dunning.reached_level(levels, due, day)
            current = moved
        if blocked:
            assert current is None or current < suspend_from
    if runs and not blocked:
        assert current == dunning.reached_level(levels, due, due + timedelta(days=runs[-1]))
