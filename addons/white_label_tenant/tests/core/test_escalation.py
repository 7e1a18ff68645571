import doctest
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ...core import escalation
from ...core.business_time import BusinessSchedule
from ...core.escalation import Level, due_levels, next_due_at

OFFICE = BusinessSchedule({day: [(9, 17)] for day in range(5)}, "UTC")
FRIDAY_1630 = datetime(2026, 3, 6, 16, 30)
CHAIN = [
    Level("responsible", 1, 30),
    Level("team_lead", 2, 120),
    Level("partner", 3, 240),
    Level("duty_manager", 4, 480),
]


def test_docstring_examples():
    assert doctest.testmod(escalation).failed == 0


def test_hand_computed_friday_afternoon_chain():
    """Opened Friday 16:30 on a 9-17 calendar: 30 business minutes end Friday 17:00, 2 hours
    Monday 10:30 (half an hour on Friday, 1.5 on Monday), 4 hours Monday 12:30, 8 hours
    Monday 16:30 (Friday's half hour and 7.5 of Monday's 8)."""
    instants = {
        d.level.key: d.instant for d in due_levels(OFFICE, FRIDAY_1630, CHAIN, datetime(2027, 1, 1))
    }
    assert instants == {
        "responsible": datetime(2026, 3, 6, 17, 0),
        "team_lead": datetime(2026, 3, 9, 10, 30),
        "partner": datetime(2026, 3, 9, 12, 30),
        "duty_manager": datetime(2026, 3, 9, 16, 30),
    }
    saturday = datetime(2026, 3, 7, 12, 0)
    assert [d.level.key for d in due_levels(OFFICE, FRIDAY_1630, CHAIN, saturday)] == [
        "responsible"
    ]
    assert next_due_at(OFFICE, FRIDAY_1630, CHAIN, saturday) == datetime(2026, 3, 9, 10, 30)
    # notified levels are never due again
    monday = datetime(2026, 3, 9, 11, 0)
    due = due_levels(OFFICE, FRIDAY_1630, CHAIN, monday, notified={"responsible"})
    assert [d.level.key for d in due] == ["team_lead"]
    assert next_due_at(OFFICE, FRIDAY_1630, CHAIN, datetime(2026, 3, 11), {"x"}) is None


def test_level_at_zero_is_due_at_opening_and_negative_delay_refused():
    assert due_levels(OFFICE, FRIDAY_1630, [Level("now", 1, 0)], FRIDAY_1630)[0].instant == (
        FRIDAY_1630
    )
    with pytest.raises(ValueError, match="finite delay"):
        due_levels(OFFICE, FRIDAY_1630, [Level("bad", 1, -5)], FRIDAY_1630)


def _reference_due(opened, minutes, now):
    """Minute by minute: a level is due once ``minutes`` working minutes (Mon-Fri 9-17) lie
    between the opening and ``now``."""
    worked, moment = 0, opened
    while moment < now:
        if moment.weekday() < 5 and 9 <= moment.hour < 17:
            worked += 1
        moment += timedelta(minutes=1)
    return worked >= minutes


@settings(max_examples=60, deadline=None)
@given(
    opened_minutes=st.integers(0, 14 * 24 * 60),
    after=st.integers(0, 3 * 8 * 60),
    later=st.integers(0, 5 * 24 * 60),
)
def test_due_matches_a_minute_walk(opened_minutes, after, later):
    opened = datetime(2026, 3, 2) + timedelta(minutes=opened_minutes)
    now = opened + timedelta(minutes=later)
    due = due_levels(OFFICE, opened, [Level("x", 1, after)], now)
    assert bool(due) == _reference_due(opened, after, now)
