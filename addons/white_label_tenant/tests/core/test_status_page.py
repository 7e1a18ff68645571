from collections import Counter
from datetime import date, datetime, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from ...core.status_page import (
    DayBar,
    bar_level,
    daily_uptime,
    day_window,
    group_status,
    in_window,
    merge_windows,
    upcoming_windows,
    window_uptime,
    worst_status,
)

LAST_DAY = date(2026, 6, 15)


def test_window_is_ninety_days_oldest_first():
    window = day_window(LAST_DAY)
    assert len(window) == 90
    assert window[0] == date(2026, 3, 18)
    assert window[-1] == LAST_DAY


def test_rows_of_one_day_add_up_and_days_without_probes_stay_missing():
    rows = [
        (LAST_DAY, 24, 24),  # environment 1
        (LAST_DAY, 21, 24),  # environment 2: three hours down
        (LAST_DAY - timedelta(days=1), 24, 24),
        (LAST_DAY + timedelta(days=1), 0, 24),  # after the window: ignored
        (LAST_DAY - timedelta(days=90), 0, 24),  # before it: ignored
    ]
    bars = daily_uptime(rows, LAST_DAY)
    assert len(bars) == 90
    assert bars[-1] == DayBar(LAST_DAY, 45, 48, "down")
    assert bars[-2].level == "up" and bars[-2].share == 1.0
    assert bars[0].level == "none" and bars[0].share is None
    assert window_uptime(bars) == 69 / 72
    assert window_uptime(bars[:10]) is None


def test_bar_levels():
    assert bar_level(0, 0) == "none"
    assert bar_level(1000, 1000) == "up"
    assert bar_level(999, 1000) == "up"
    assert bar_level(995, 1000) == "degraded"
    assert bar_level(989, 1000) == "down"


def test_group_status():
    assert group_status([]) == "unknown"
    assert group_status(["unknown"]) == "unknown"
    assert group_status(["up", "unknown"]) == "operational"
    assert group_status(["up", "down"]) == "partial_outage"
    assert group_status(["down", "down"]) == "major_outage"
    assert group_status(["down"], in_maintenance=True) == "maintenance"
    assert group_status(["up", "down"], in_maintenance=True) == "maintenance"
    assert group_status(["up"], in_maintenance=True) == "operational"
    assert group_status([], in_maintenance=True) == "unknown"
    assert worst_status(["operational", "partial_outage", "maintenance"]) == "partial_outage"
    assert worst_status([]) == "operational"


def test_maintenance_windows():
    t = datetime(2026, 6, 15, 22, 0)
    hour = timedelta(hours=1)
    windows = [(t + 2 * hour, t + 3 * hour), (t, t + hour), (t + hour, t + 2 * hour)]
    assert merge_windows(windows) == [(t, t + 3 * hour)]
    assert merge_windows([(t, t)]) == []
    later = (t + timedelta(days=20), t + timedelta(days=20, hours=2))
    assert upcoming_windows([*windows, later], t - hour, timedelta(days=14)) == [(t, t + 3 * hour)]
    assert upcoming_windows(windows, t + 3 * hour, timedelta(days=14)) == []
    assert in_window(merge_windows(windows), t)
    assert not in_window(merge_windows(windows), t + 3 * hour)


def _naive(samples, last_day):
    """Reference: walk every probe, one by one, and count it on its calendar day."""
    first_day = last_day - timedelta(days=89)
    ok, count = Counter(), Counter()
    for probed_at, up in samples:
        day = probed_at.date()
        if first_day <= day <= last_day:
            count[day] += 1
            ok[day] += int(up)
    return [
        (
            first_day + timedelta(days=i),
            ok[first_day + timedelta(days=i)],
            count[first_day + timedelta(days=i)],
        )
        for i in range(90)
    ]


samples_strategy = st.lists(
    st.tuples(
        st.integers(0, 1),  # environment
        st.datetimes(datetime(2026, 3, 1), datetime(2026, 6, 30)),
        st.booleans(),
    ),
    max_size=300,
)


@given(samples_strategy)
def test_grouped_rows_equal_a_walk_over_every_probe(samples):
    """What the model does (one grouped count per environment and day) gives the same bars as
    counting every probe on its own."""
    grouped = Counter()
    for env, probed_at, up in samples:
        grouped[(env, probed_at.date(), "n")] += 1
        grouped[(env, probed_at.date(), "ok")] += int(up)
    rows = [
        (day, grouped[(env, day, "ok")], count)
        for (env, day, kind), count in grouped.items()
        if kind == "n"
    ]
    bars = daily_uptime(rows, LAST_DAY)
    reference = _naive([(probed_at, up) for _env, probed_at, up in samples], LAST_DAY)
    assert [(bar.day, bar.successes, bar.samples) for bar in bars] == reference
    for bar in bars:
        assert bar.level == bar_level(bar.successes, bar.samples)
        assert bar.samples == 0 or 0.0 <= bar.share <= 1.0
    total = sum(count for _day, _ok, count in reference)
    ok = sum(ok for _day, ok, _count in reference)
    assert window_uptime(bars) == (ok / total if total else None)


@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.integers(1, 30)),
        max_size=20,
    ),
    st.integers(0, 240),
)
def test_merged_windows_cover_the_same_hours(spans, probe):
    """A moment falls in the merged windows exactly when it falls in one of the windows."""
    origin = datetime(2026, 6, 1)
    windows = [
        (origin + timedelta(hours=start), origin + timedelta(hours=start + length))
        for start, length in spans
    ]
    merged = merge_windows(windows)
    moment = origin + timedelta(hours=probe)
    assert in_window(merged, moment) == in_window(windows, moment)
    for (_s1, e1), (s2, _e2) in pairwise(merged):
        assert e1 < s2
