from datetime import datetime, timedelta

import pytest

from ...core.sla_clock import BusinessSchedule, evaluate_clock, pause_credit, pick_version

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


def test_pause_is_not_counted(brussels):
    opened = datetime(2026, 12, 1, 8, 0)  # Tuesday 09:00 local
    now = datetime(2026, 12, 1, 15, 0)  # 16:00 local: 6 working hours
    # waiting on the customer from 12:00 to 14:00 local (11-13 UTC): 1 working hour (lunch excluded)
    paused = pause_credit(
        brussels, opened, 8 * HOUR, 0.0, datetime(2026, 12, 1, 11), datetime(2026, 12, 1, 13)
    )
    assert paused == HOUR
    # 8 h + 1 h paused from Tuesday 09:00 local: Wednesday 11:00 local
    state = evaluate_clock(brussels, opened, 8 * HOUR, (0.5,), now, paused_seconds=paused)
    assert (state.status, state.level, state.deadline) == (
        "warning",
        1,
        datetime(2026, 12, 2, 10, 0),
    )
    # still paused since 14:00 local: the clock stands still, the deadline moves on
    running = evaluate_clock(
        brussels, opened, 8 * HOUR, (0.5,), now, pause_started=datetime(2026, 12, 1, 13)
    )
    assert (running.status, running.next_check) == ("paused", None)
    assert running.deadline == datetime(2026, 12, 2, 11, 0)  # 2 h waited so far


def test_pause_started_after_the_deadline_rescues_nothing(brussels):
    opened = datetime(2026, 12, 1, 8, 0)  # Tuesday 09:00 local, 2 h: deadline 11:00 local
    late = datetime(2026, 12, 1, 11, 0)
    assert pause_credit(brussels, opened, 2 * HOUR, 0.0, late, datetime(2026, 12, 2, 9)) == 0.0
    state = evaluate_clock(
        brussels, opened, 2 * HOUR, (), datetime(2026, 12, 2, 9), pause_started=late
    )
    assert (state.status, state.deadline) == ("breached", datetime(2026, 12, 1, 10, 0))


def test_target_running_out_at_the_end_of_the_day_breaches_that_evening(brussels):
    # Friday 4 December 13:00 local + 4 h: 17:00 local, the end of the working week
    opened, deadline = datetime(2026, 12, 4, 12, 0), datetime(2026, 12, 4, 16, 0)
    at_deadline = evaluate_clock(brussels, opened, 4 * HOUR, (0.5, 0.75), deadline)
    assert (at_deadline.status, at_deadline.level) == ("warning", 2)
    assert at_deadline.next_check == deadline + timedelta(seconds=1)
    for later in (deadline + timedelta(seconds=1), datetime(2026, 12, 5, 10)):
        state = evaluate_clock(brussels, opened, 4 * HOUR, (0.5, 0.75), later)
        assert (state.status, state.deadline, state.next_check) == ("breached", deadline, None)
    # stopped at 17:00 sharp: met; a second later: breached
    assert (
        evaluate_clock(brussels, opened, 4 * HOUR, (), later, stopped_at=deadline).status == "met"
    )
    assert (
        evaluate_clock(
            brussels, opened, 4 * HOUR, (), later, stopped_at=deadline + timedelta(seconds=1)
        ).status
        == "breached"
    )


def test_levels_and_next_check_come_from_the_warning_instants(brussels):
    opened = datetime(2026, 12, 1, 8, 0)  # Tuesday 09:00 local, 4 h: 50 % at 11:00 local
    fresh = evaluate_clock(brussels, opened, 4 * HOUR, (0.5, 0.75), opened)
    assert (fresh.status, fresh.level, fresh.next_check) == (
        "running",
        0,
        datetime(2026, 12, 1, 10, 0),
    )
    # 75 % is 3 h: 12:00 local, the start of lunch; a scan at 12:30 local has passed both,
    # and the next instant is the second after the deadline, 14:00 local
    both = evaluate_clock(brussels, opened, 4 * HOUR, (0.5, 0.75), datetime(2026, 12, 1, 11, 30))
    assert (both.status, both.level, both.next_check) == (
        "warning",
        2,
        datetime(2026, 12, 1, 13, 0, 1),
    )


@pytest.mark.parametrize("target", [0, -HOUR, float("nan"), float("inf"), None])
def test_clock_refuses_targets_that_are_not_positive_numbers(brussels, target):
    with pytest.raises(ValueError, match="positive, finite target"):
        evaluate_clock(brussels, datetime(2026, 12, 1), target, (), datetime(2026, 12, 2))


def test_versioned_policy_keeps_the_version_of_the_opening(brussels):
    versions = [("v1", datetime(2026, 1, 1)), ("v2", datetime(2026, 6, 1))]
    assert pick_version(versions, datetime(2025, 12, 31)) is None
    assert pick_version(versions, datetime(2026, 3, 1)) == "v1"
    assert pick_version(versions, datetime(2026, 6, 1)) == "v2"
    # v1 promised 8 h, v2 promises 4 h: an incident opened under v1 and resolved after 6 h met v1
    targets = {"v1": 8 * HOUR, "v2": 4 * HOUR}
    kept = pick_version(versions, datetime(2026, 5, 30))
    opened, resolved = datetime(2026, 12, 1, 8), datetime(2026, 12, 1, 15)  # 6 business hours
    assert evaluate_clock(brussels, opened, targets[kept], (), resolved, resolved).status == "met"
    assert evaluate_clock(brussels, opened, targets["v2"], (), resolved, resolved).status == (
        "breached"
    )
