import doctest
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ...core import continuity
from ...core.continuity import (
    backup_due,
    backup_instants,
    drill_due_at,
    drill_overdue,
    frequency_delta,
    next_backup_at,
    restore_measures,
)

DAY = datetime(2026, 3, 2)


def test_docstring_examples():
    assert doctest.testmod(continuity).failed == 0


def _simulate(frequency, step, hours=24):
    """Backups a scheduled action running every ``step`` takes over ``hours`` from DAY."""
    taken = []
    for now in backup_instants(DAY, DAY + timedelta(hours=hours), step):
        last = taken[-1] if taken else None
        if backup_due(now, frequency, last, last):
            taken.append(now)
    return taken


def test_hourly_policy_with_an_hourly_run_backs_up_every_hour():
    taken = _simulate(frequency_delta(1, "hours"), timedelta(hours=1))
    assert taken == [DAY + timedelta(hours=h) for h in range(24)]


def test_daily_policy_backs_up_once_a_day_without_drifting():
    # an hourly run over a week: one backup a day, always at midnight
    taken = _simulate(frequency_delta(24, "hours"), timedelta(hours=1), hours=7 * 24)
    assert taken == [DAY + timedelta(days=d) for d in range(7)]


def test_quarter_hour_policy_with_a_five_minute_run():
    taken = _simulate(frequency_delta(15, "minutes"), timedelta(minutes=5), hours=1)
    assert taken == [DAY + timedelta(minutes=m) for m in (0, 15, 30, 45)]


def test_a_late_run_does_not_shift_the_next_backup_by_a_whole_interval():
    hourly = timedelta(hours=1)
    # the run came 2 minutes late: the next one, on the hour, still takes the backup
    last = DAY + timedelta(hours=10, minutes=2)
    assert backup_due(DAY + timedelta(hours=11), hourly, last, last)
    assert not backup_due(DAY + timedelta(hours=10, minutes=30), hourly, last, last)


def test_a_failure_is_retried_after_an_hour_or_the_frequency():
    daily, quarter = timedelta(days=1), timedelta(minutes=15)
    done, failed = DAY, DAY + timedelta(days=1)
    assert not backup_due(failed + timedelta(minutes=30), daily, done, failed)
    assert backup_due(failed + timedelta(hours=1), daily, done, failed)
    # a 15-minute policy retries at its own pace
    assert backup_due(failed + timedelta(minutes=15), quarter, done, failed)
    # never backed up and never attempted: due at once
    assert next_backup_at(daily) is None


def test_frequency_is_positive_with_a_known_unit():
    with pytest.raises(ValueError):
        frequency_delta(0, "hours")
    with pytest.raises(ValueError):
        frequency_delta(1, "days")
    with pytest.raises(ValueError):
        backup_instants(DAY, DAY + timedelta(hours=1), timedelta(0))


def test_restore_measures_from_timestamps():
    snapshot = DAY + timedelta(hours=9)
    incident = DAY + timedelta(hours=9, minutes=47)
    started = DAY + timedelta(hours=10)
    finished = DAY + timedelta(hours=10, minutes=6, seconds=30)
    assert restore_measures(snapshot, incident, started, finished) == (47 * 60.0, 390.0)
    with pytest.raises(ValueError):
        restore_measures(incident, snapshot, started, finished)
    with pytest.raises(ValueError):
        restore_measures(snapshot, incident, finished, started)


# --- disaster-recovery drill interval --------------------------------------------------------


def test_drill_overdue_hand_computed():
    passed = datetime(2026, 1, 31, 23, 30)
    # 90 days after 31 January 23:30 is 1 May 23:30 (28 + 31 + 30 + 1 days)
    assert drill_due_at(passed, 90) == datetime(2026, 5, 1, 23, 30)
    assert not drill_overdue(datetime(2026, 5, 1, 23, 30), passed, 90)
    assert drill_overdue(datetime(2026, 5, 1, 23, 31), passed, 90)
    assert drill_overdue(passed, None, 90)


@pytest.mark.parametrize("interval", [0, -5, 1.5, True, None])
def test_drill_interval_must_be_a_positive_whole_number(interval):
    with pytest.raises(ValueError, match="drill interval"):
        drill_overdue(DAY, DAY, interval)


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
    st.integers(0, 2000),
    st.integers(1, 400),
)
def test_drill_overdue_matches_the_age_in_days(passed, age_minutes_days, interval):
    now = passed + timedelta(minutes=age_minutes_days * 97)
    age = now - passed
    assert drill_overdue(now, passed, interval) == (age > timedelta(days=interval))
