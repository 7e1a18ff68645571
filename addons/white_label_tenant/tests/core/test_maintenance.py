import doctest
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from ...core import maintenance
from ...core.maintenance import WindowSpec, in_window, next_window, window_start, windows_between

MINUTE = timedelta(minutes=1)
ZONES = (
    "UTC",
    "Europe/Brussels",
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/St_Johns",
    "Pacific/Auckland",
)


def _local(instant, tz):
    return instant.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)


def _minutes(local):
    return local.hour * 60 + local.minute


def reference_is_start(instant, spec, tz):
    """Brute force, to the minute: a window opens at the first minute of a chosen local day
    whose wall clock shows the start time or later (looking back past any DST fall-back)."""
    local = _local(instant, tz)
    if local.weekday() not in spec.weekdays or _minutes(local) < spec.start_minute:
        return False
    for back in range(1, 4 * 60):
        earlier = _local(instant - back * MINUTE, tz)
        if earlier.date() != local.date():
            return True
        if _minutes(earlier) >= spec.start_minute:
            return False
    return True


def reference_starts(date_from, date_to, spec):
    tz = ZoneInfo(spec.tz)
    starts, instant = [], date_from
    while instant < date_to:
        if reference_is_start(instant, spec, tz):
            starts.append(instant)
        instant += MINUTE
    return starts


def reference_in_window(at, spec):
    duration = timedelta(minutes=spec.duration_minutes)
    return bool(reference_starts(at - duration + MINUTE, at + MINUTE, spec))


specs = st.builds(
    WindowSpec,
    weekdays=st.sets(st.integers(0, 6), min_size=1).map(lambda s: tuple(sorted(s))),
    start_minute=st.integers(0, 24 * 60 - 1),
    duration_minutes=st.integers(1, 24 * 60),
    tz=st.sampled_from(ZONES),
)
# instants to the minute around the DST changes of several years and hemispheres
instants = st.builds(
    lambda day, minute: datetime(2024, 1, 1) + timedelta(days=day, minutes=minute),
    st.integers(0, 3 * 365),
    st.integers(0, 24 * 60 - 1),
)
dst_days = st.sampled_from(
    [
        datetime(2026, 3, 29),  # Europe spring forward
        datetime(2026, 10, 25),  # Europe fall back
        datetime(2026, 3, 8),  # US spring forward
        datetime(2026, 11, 1),  # US fall back
        datetime(2026, 4, 5),  # Sydney / Auckland fall back
        datetime(2026, 10, 4),  # Sydney spring forward
        datetime(2026, 9, 27),  # Auckland spring forward
    ]
)
dst_instants = st.builds(
    lambda day, minute: day + timedelta(minutes=minute), dst_days, st.integers(-36 * 60, 36 * 60)
)


def test_docstring_examples():
    assert doctest.testmod(maintenance).failed == 0


@settings(max_examples=40, deadline=None)
@given(spec=specs, at=st.one_of(instants, dst_instants))
def test_in_window_matches_a_minute_scan(spec, at):
    assert in_window(at, spec) == reference_in_window(at, spec)


@settings(max_examples=25, deadline=None)
@given(spec=specs, after=st.one_of(instants, dst_instants))
def test_next_window_is_the_first_the_minute_scan_finds(spec, after):
    duration = timedelta(minutes=spec.duration_minutes)
    tz = ZoneInfo(spec.tz)
    # the first start whose window is still open at `after`, scanning forward minute by minute
    expected = after - duration + MINUTE
    while not reference_is_start(expected, spec, tz):
        expected += MINUTE
    assert next_window(after, spec) == (expected, expected + duration)


@settings(max_examples=25, deadline=None)
@given(spec=specs, day=dst_days)
def test_windows_between_match_the_minute_scan_over_a_dst_change(spec, day):
    date_from, date_to = day - timedelta(days=2), day + timedelta(days=2)
    duration = timedelta(minutes=spec.duration_minutes)
    expected = reference_starts(date_from - duration + MINUTE, date_to, spec)
    assert windows_between(date_from, date_to, spec) == [(s, s + duration) for s in expected]


def test_a_window_across_the_spring_change_lasts_its_real_duration():
    # Sunday 01:00 Brussels, 4 hours: 00:00 UTC to 04:00 UTC although the clock jumps an hour
    spec = WindowSpec((6,), 60, 240, "Europe/Brussels")
    assert next_window(datetime(2026, 3, 28, 12), spec) == (
        datetime(2026, 3, 29, 0, 0),
        datetime(2026, 3, 29, 4, 0),
    )


def test_a_start_the_clock_skips_opens_at_the_jump():
    # 02:30 does not exist in Brussels on 29 March 2026: the window opens at 03:00 CEST
    spec = WindowSpec((6,), 150, 60, "Europe/Brussels")
    assert window_start(datetime(2026, 3, 29).date(), spec) == datetime(2026, 3, 29, 1, 0)


def test_a_repeated_start_opens_at_its_first_occurrence():
    # 02:30 happens twice in Brussels on 25 October 2026: first at 00:30 UTC (CEST)
    spec = WindowSpec((6,), 150, 60, "Europe/Brussels")
    assert window_start(datetime(2026, 10, 25).date(), spec) == datetime(2026, 10, 25, 0, 30)


def test_problems_name_what_to_fix():
    assert WindowSpec((), 0, 60, "UTC").problems() == ["choose at least one weekday"]
    assert WindowSpec((1,), 0, 0, "UTC").problems() == [
        "the duration must be more than 0 and at most 24 hours"
    ]
    assert WindowSpec((1,), 0, 60, "Mars/Olympus").problems() == [
        "'Mars/Olympus' is not a known time zone"
    ]
    assert next_window(datetime(2026, 1, 1), WindowSpec((), 0, 60, "UTC")) is None
