from datetime import datetime, timedelta

import pytest

from ...core.sla_clock import (
    BusinessSchedule,
    clock_deadline,
    clock_elapsed,
    clock_status,
    pick_version,
)

HOUR = 3600.0
OFFICE = {day: [(9.0, 12.0), (13.0, 17.0)] for day in range(5)}  # 7 h a day, Monday-Friday
# Christmas 2026 is a Friday; Brussels is UTC+1 in winter, so the local day is 23:00-23:00 UTC.
CHRISTMAS = (datetime(2026, 12, 24, 23, 0), datetime(2026, 12, 25, 23, 0))


@pytest.fixture
def brussels():
    return BusinessSchedule(OFFICE, "Europe/Brussels", leaves=[CHRISTMAS])


def test_elapsed_within_one_day_skips_lunch(brussels):
    # 08:00-16:00 UTC = 09:00-17:00 local: 7 working hours (one hour lunch)
    assert brussels.elapsed(datetime(2026, 12, 1, 8), datetime(2026, 12, 1, 16)) == 7 * HOUR


def test_deadline_across_holiday_and_weekend(brussels):
    opened = datetime(2026, 12, 24, 15, 0)  # Thursday 16:00 local, one working hour left
    deadline = brussels.add(opened, 4 * HOUR)
    # Friday is Christmas, then the weekend: Monday 28th, 09:00 + 3 h = 12:00 local
    assert deadline == datetime(2026, 12, 28, 11, 0)
    assert brussels.add(opened, 5 * HOUR) == datetime(2026, 12, 28, 13, 0)  # after lunch
    assert brussels.elapsed(opened, deadline) == 4 * HOUR


def test_without_the_holiday_friday_counts(brussels):
    plain = BusinessSchedule(OFFICE, "Europe/Brussels")
    assert plain.add(datetime(2026, 12, 24, 15, 0), 4 * HOUR) == datetime(2026, 12, 25, 11, 0)


def test_outside_hours_starts_next_morning(brussels):
    opened = datetime(2026, 12, 5, 10, 0)  # Saturday
    assert brussels.add(opened, HOUR) == datetime(2026, 12, 7, 9, 0)
    assert brussels.elapsed(opened, datetime(2026, 12, 7, 8, 0)) == 0


def test_daylight_saving_change_keeps_local_hours():
    schedule = BusinessSchedule(OFFICE, "Europe/Brussels")
    # Friday 27 March 2026 16:00 local (15:00 UTC, CET) + 2 h -> Monday 30 March 10:00 CEST = 08:00 UTC
    assert schedule.add(datetime(2026, 3, 27, 15, 0), 2 * HOUR) == datetime(2026, 3, 30, 8, 0)


def test_positions_are_consistent_backwards_and_forwards(brussels):
    late = datetime(2026, 12, 31, 12, 0)
    early = datetime(2026, 11, 2, 8, 0)
    assert brussels.position(late) > 0  # anchor set by the first call
    assert brussels.position(early) < brussels.position(late)
    # November 2 → December 31, 12:00 UTC, counted day by day
    total = 0.0
    day = early.date()
    while day < late.date():
        total += brussels.day_intervals(day)[1]
        day += timedelta(days=1)
    total += 3 * HOUR  # 31st: 09-12 local = 08-11 UTC, then lunch until 12 UTC
    assert brussels.elapsed(early, late) == total


def test_calendar_without_hours_refuses_deadline():
    with pytest.raises(ValueError):
        BusinessSchedule({}, "UTC").add(datetime(2026, 1, 1), HOUR)


def test_pause_is_not_counted(brussels):
    opened = datetime(2026, 12, 1, 8, 0)  # Tuesday 09:00 local
    now = datetime(2026, 12, 1, 15, 0)  # 16:00 local: 6 working hours
    # waiting on the customer from 12:00 to 14:00 local (11-13 UTC): 1 working hour (lunch excluded)
    paused = brussels.elapsed(datetime(2026, 12, 1, 11), datetime(2026, 12, 1, 13))
    assert paused == HOUR
    assert clock_elapsed(brussels, opened, now, paused_seconds=paused) == 5 * HOUR
    # still paused since 14:00 local: the running pause is excluded too
    running = clock_elapsed(brussels, opened, now, pause_started=datetime(2026, 12, 1, 13))
    assert running == 4 * HOUR
    # the deadline moves by the paused business time
    # 2 h + 1 h paused from 09:00 local = 12:00 local = 11:00 UTC
    assert clock_deadline(brussels, opened, 2 * HOUR, paused) == datetime(2026, 12, 1, 11, 0)


def test_status_warnings_and_breach():
    target = 4 * HOUR
    assert clock_status(HOUR, target) == ("running", 0)
    assert clock_status(2 * HOUR, target) == ("warning", 1)
    assert clock_status(3 * HOUR, target) == ("warning", 2)
    assert clock_status(3 * HOUR, target, thresholds=(0.9,)) == ("running", 0)
    assert clock_status(4 * HOUR, target) == ("warning", 2)
    assert clock_status(4 * HOUR + 1, target) == ("breached", 2)
    assert clock_status(3 * HOUR, target, stopped=True) == ("met", 2)
    assert clock_status(5 * HOUR, target, stopped=True) == ("breached", 2)
    with pytest.raises(ValueError):
        clock_status(HOUR, 0)


def test_versioned_policy_keeps_the_version_of_the_opening():
    versions = [("v1", datetime(2026, 1, 1)), ("v2", datetime(2026, 6, 1))]
    assert pick_version(versions, datetime(2025, 12, 31)) is None
    assert pick_version(versions, datetime(2026, 3, 1)) == "v1"
    assert pick_version(versions, datetime(2026, 6, 1)) == "v2"
    # v1 promised 8 h, v2 promises 4 h: an incident opened under v1 and resolved after 6 h met v1
    targets = {"v1": 8 * HOUR, "v2": 4 * HOUR}
    kept = pick_version(versions, datetime(2026, 5, 30))
    assert clock_status(6 * HOUR, targets[kept], stopped=True)[0] == "met"
    assert clock_status(6 * HOUR, targets["v2"], stopped=True)[0] == "breached"
