"""Business time against an independent reference: pytz (as Odoo localizes) on a minute grid."""

import math
import os
from datetime import date, datetime, timedelta

import pytest
import pytz
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ...core.business_time import Attendance, BusinessSchedule, ScheduleError, week_type
from ...core.sla_clock import evaluate_clock

HOUR = 3600.0
MINUTE = timedelta(minutes=1)
ZONES = ["UTC", "Europe/Brussels", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]
# CI: derandomized (reproducible), nothing written into the tree; HYPOTHESIS_PROFILE=large by hand:
# random and ten times as many examples
LARGE = os.environ.get("HYPOTHESIS_PROFILE") == "large"
PROFILE = settings(
    max_examples=3000 if LARGE else 300,
    deadline=None,
    derandomize=not LARGE,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_two_week_calendar_alternates_by_odoo_week_parity():
    # Monday 7 December 2026 is in week type 0, the Monday after in week type 1
    assert (week_type(date(2026, 12, 7)), week_type(date(2026, 12, 14))) == (0, 1)
    schedule = BusinessSchedule(
        attendances=[Attendance(0, 9, 17, week_type=0), Attendance(0, 9, 12, week_type=1)],
        two_weeks=True,
    )
    assert schedule.day_intervals(date(2026, 12, 7))[1] == 8 * HOUR
    assert schedule.day_intervals(date(2026, 12, 14))[1] == 3 * HOUR


def test_attendance_date_range_and_overlaps_counted_once():
    schedule = BusinessSchedule(
        {0: [(9, 12)]},
        attendances=[Attendance(0, 11, 14, date_from=date(2026, 12, 14))],
    )
    assert schedule.day_intervals(date(2026, 12, 7))[1] == 3 * HOUR
    assert schedule.day_intervals(date(2026, 12, 14))[1] == 5 * HOUR  # 9-14, not 6 h


def test_ambiguous_and_skipped_hours_read_as_standard_time():
    # Brussels falls back on Sunday 25 October 2026: 02:30 happens twice; Odoo (pytz,
    # is_dst=False) reads it as the second, standard-time one: 01:30 UTC
    schedule = BusinessSchedule({6: [(2.5, 3.5)]}, "Europe/Brussels")
    assert schedule.day_intervals(date(2026, 10, 25))[0] == [
        (datetime(2026, 10, 25, 1, 30), datetime(2026, 10, 25, 2, 30))
    ]
    # on 29 March 2026 clocks jump from 02:00 to 03:00: 02:30 read as standard time is 01:30
    # UTC, as is 03:30 summer time, so the span holds no work (nor does it in Odoo)
    spring = BusinessSchedule({6: [(2.5, 3.5)]}, "Europe/Brussels")
    assert spring.day_intervals(date(2026, 3, 29)) == ([], 0.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weekly": {0: [(9, 25)]}}, "between 0 and 24"),
        ({"weekly": {0: [(float("nan"), 12)]}}, "between 0 and 24"),
        ({"weekly": {7: [(9, 12)]}}, "Weekday"),
        ({"attendances": [Attendance(0, 9, 12, week_type=1)]}, "two-week"),
        ({"attendances": [Attendance(0, 9, 12)], "two_weeks": True}, "week 0 or 1"),
        ({"weekly": {0: [(9, 12)]}, "tz": "Mars/Olympus"}, "time zone"),
    ],
)
def test_what_cannot_be_represented_is_refused(kwargs, message):
    with pytest.raises(ScheduleError, match=message):
        BusinessSchedule(**kwargs)


def test_calendar_without_hours_refuses_deadline():
    with pytest.raises(ScheduleError, match="no working time"):
        BusinessSchedule({}, "UTC").add(datetime(2026, 1, 1), HOUR)


# --- property: the schedule equals a minute-by-minute reference -----------------------------
def reference_minutes(spec, start, end):
    """Working minutes in [start, end): each local day's attendances localized with pytz as
    Odoo does, marked minute by minute, leaves unmarked."""
    tz = pytz.timezone(spec["tz"])
    working = set()
    day = (start - timedelta(days=2)).date()
    while day <= (end + timedelta(days=2)).date():
        parity = int(math.floor((day.toordinal() - 1) / 7) % 2)
        for weekday, q_from, q_to, week, first, last in spec["attendances"]:
            if weekday != day.weekday() or (week is not None and week != parity):
                continue
            if (first is not None and day < first) or (last is not None and day > last):
                continue
            local_from = datetime.combine(day, datetime.min.time()) + timedelta(minutes=15 * q_from)
            if q_to == 96:
                local_to = datetime.combine(day + timedelta(days=1), datetime.min.time())
            else:
                local_to = datetime.combine(day, datetime.min.time()) + timedelta(minutes=15 * q_to)
            utc_from = tz.localize(local_from).astimezone(pytz.utc).replace(tzinfo=None)
            if q_to == 96:  # Odoo ends the day at 23:59:59.999999 of that day
                utc_to = tz.localize(local_to - MINUTE).astimezone(pytz.utc).replace(tzinfo=None)
                utc_to += MINUTE
            else:
                utc_to = tz.localize(local_to).astimezone(pytz.utc).replace(tzinfo=None)
            moment = utc_from
            while moment < utc_to:
                working.add(moment)
                moment += MINUTE
        day += timedelta(days=1)
    for leave_from, leave_to in spec["leaves"]:
        moment = leave_from
        while moment < leave_to:
            working.discard(moment)
            moment += MINUTE
    return sum(1 for moment in working if start <= moment < end)


@st.composite
def specs(draw):
    two_weeks = draw(st.booleans())
    origin = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
    attendances = []
    for _i in range(draw(st.integers(0, 6))):
        q_from = draw(st.integers(0, 95))
        first = draw(st.one_of(st.none(), st.integers(-3, 12)))
        attendances.append(
            (
                draw(st.integers(0, 6)),
                q_from,
                draw(st.integers(q_from + 1, 96)),
                draw(st.sampled_from((0, 1))) if two_weeks else None,
                None if first is None else origin + timedelta(first),
                draw(st.one_of(st.none(), st.just(origin + timedelta(draw(st.integers(0, 14)))))),
            )
        )
    start = datetime.combine(origin, datetime.min.time()) + timedelta(
        minutes=draw(st.integers(0, 24 * 60))
    )
    leaves = [
        (start + timedelta(minutes=15 * a), start + timedelta(minutes=15 * (a + b)))
        for a, b in draw(
            st.lists(st.tuples(st.integers(-96, 800), st.integers(1, 400)), max_size=3)
        )
    ]
    return {
        "tz": draw(st.sampled_from(ZONES)),
        "two_weeks": two_weeks,
        "attendances": attendances,
        "leaves": leaves,
        "start": start,
        "minutes": draw(st.integers(0, 9 * 24 * 60)),
        "share": draw(st.floats(0, 1)),
    }


def build(spec):
    return BusinessSchedule(
        tz=spec["tz"],
        leaves=spec["leaves"],
        attendances=[
            Attendance(day, q_from / 4, q_to / 4, week, first, last)
            for day, q_from, q_to, week, first, last in spec["attendances"]
        ],
        two_weeks=spec["two_weeks"],
    )


@PROFILE
@given(specs())
def test_elapsed_and_add_match_the_minute_reference(spec):
    schedule = build(spec)
    start = spec["start"]
    end = start + timedelta(minutes=spec["minutes"])
    minutes = reference_minutes(spec, start, end)
    assert schedule.elapsed(start, end) == minutes * 60
    if minutes:
        # the earliest instant by which a share of that time has passed
        wanted = max(1, round(spec["share"] * minutes))
        instant = schedule.add(start, wanted * 60)
        assert reference_minutes(spec, start, instant) == wanted
        assert reference_minutes(spec, start, instant - MINUTE) == wanted - 1


@PROFILE
@given(specs(), st.integers(1, 16 * 4), st.integers(0, 14 * 24 * 60))
def test_clock_is_decided_like_the_minute_reference(spec, target_quarters, minutes):
    """Breached exactly when the target's working time had already passed a minute before the
    look (so at 17:01 when it runs out at 17:00, not at 09:00 the next working day); a warning
    from the look at which half of it has passed."""
    schedule = build(spec)
    opened = spec["start"]
    now = opened + timedelta(minutes=minutes)
    target = target_quarters * 15 * 60
    if reference_minutes(spec, opened, opened + timedelta(days=16)) * 60 < target:
        return  # a deadline beyond the reference's horizon: not compared
    state = evaluate_clock(schedule, opened, target, (0.5,), now)
    worked = reference_minutes(spec, opened, now) * 60
    worked_before = reference_minutes(spec, opened, now - MINUTE) * 60 if minutes else 0
    if worked_before >= target:
        assert state.status == "breached"
        assert state.next_check is None
    else:
        assert state.status == ("warning" if worked >= target / 2 else "running")
        assert state.next_check > now
        assert reference_minutes(spec, opened, state.deadline) * 60 == target
