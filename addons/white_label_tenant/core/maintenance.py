"""Maintenance windows: when a tenant's production may be upgraded (pure Python, no Odoo).

A window is given in the tenant's local time: some weekdays, a start time, a duration. It opens
on each of those local days at the first instant the local clock shows the start time or later
(a start time that a DST change skips opens the window at the jump; a repeated one at its first
occurrence) and lasts ``duration_minutes`` of real, elapsed time, so a window that spans a DST
change is neither an hour shorter nor longer.

>>> spec = WindowSpec(weekdays=(6,), start_minute=2 * 60, duration_minutes=240, tz="UTC")
>>> start, end = next_window(datetime(2026, 3, 4, 12, 0), spec)
>>> start, end
(datetime.datetime(2026, 3, 8, 2, 0), datetime.datetime(2026, 3, 8, 6, 0))
>>> in_window(datetime(2026, 3, 8, 5, 59), spec), in_window(datetime(2026, 3, 8, 6, 0), spec)
(True, False)

Instants are naive datetimes in UTC, as Odoo stores them.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# a window lasts at most a day: two windows of one tenant then never overlap by more than a DST hour
MAX_DURATION_MINUTES = 24 * 60


@dataclass(frozen=True)
class WindowSpec:
    """``weekdays``: local weekdays (Monday 0 .. Sunday 6); ``start_minute``: minutes after local
    midnight (0..1439); ``duration_minutes``: 1..1440; ``tz``: an IANA time zone name."""

    weekdays: tuple
    start_minute: int
    duration_minutes: int
    tz: str

    def problems(self):
        """What makes the spec unusable, as plain sentences (empty when it is fine)."""
        found = []
        if not self.weekdays or any(d not in range(7) for d in self.weekdays):
            found.append("choose at least one weekday")
        if not 0 <= self.start_minute < 24 * 60:
            found.append("the start time must lie between 00:00 and 23:59")
        if not 0 < self.duration_minutes <= MAX_DURATION_MINUTES:
            found.append("the duration must be more than 0 and at most 24 hours")
        try:
            ZoneInfo(self.tz)
        except (ValueError, KeyError, OSError):
            found.append(f"{self.tz!r} is not a known time zone")
        return found


def _to_utc_naive(aware):
    return aware.astimezone(UTC).replace(tzinfo=None)


def window_start(day, spec):
    """The instant (naive UTC) the window of local date ``day`` opens, or None when that local
    day never shows the start time (a DST jump over midnight)."""
    tz = ZoneInfo(spec.tz)
    wall = datetime.combine(day, time()) + timedelta(minutes=spec.start_minute)
    first = wall.replace(tzinfo=tz, fold=0)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall:
        return _to_utc_naive(first)
    # the clock jumps over the start time: the window opens at the jump, the first instant of
    # that day whose clock shows the start time or later (found to the minute, within the gap)
    instant = _to_utc_naive(wall.replace(tzinfo=tz, fold=1))
    latest = _to_utc_naive(first)
    while instant <= latest:
        local = instant.replace(tzinfo=UTC).astimezone(tz).replace(tzinfo=None)
        if local.date() == day and local >= wall:
            return instant
        if local.date() > day:
            return None
        instant += timedelta(minutes=1)
    return None


def windows_between(date_from, date_to, spec):
    """Every window [(start, end)] (naive UTC) that overlaps [date_from, date_to), by start."""
    tz = ZoneInfo(spec.tz)
    duration = timedelta(minutes=spec.duration_minutes)
    weekdays = set(spec.weekdays)
    # the local day of date_from, less a day: a window opened the evening before may still run
    day = date_from.replace(tzinfo=UTC).astimezone(tz).date() - timedelta(days=2)
    last = date_to.replace(tzinfo=UTC).astimezone(tz).date() + timedelta(days=1)
    windows = []
    while day <= last:
        if day.weekday() in weekdays:
            start = window_start(day, spec)
            if start is not None and start < date_to and start + duration > date_from:
                windows.append((start, start + duration))
        day += timedelta(days=1)
    return windows


def next_window(after, spec):
    """The window running at ``after`` or else the next one to open: (start, end), naive UTC.
    None when the spec has no weekday."""
    if not spec.weekdays:
        return None
    # every weekday comes back within a week (plus the two days windows_between looks back)
    windows = windows_between(after, after + timedelta(days=8), spec)
    return windows[0] if windows else None


def in_window(at, spec):
    """Whether the instant ``at`` (naive UTC) lies in one of the windows (start included, end
    excluded)."""
    window = next_window(at, spec)
    return bool(window) and window[0] <= at < window[1]


def describe(spec):
    """A short text for forms and the portal: 'Sunday 02:00 (4 h 00 min, Europe/Brussels)'.

    >>> describe(WindowSpec((5, 6), 90, 150, "Europe/Brussels"))
    'Saturday, Sunday 01:30 (2 h 30 min, Europe/Brussels)'
    """
    days = ", ".join(WEEKDAYS[d] for d in sorted(spec.weekdays))
    hours, minutes = divmod(spec.start_minute, 60)
    length = f"{spec.duration_minutes // 60} h {spec.duration_minutes % 60:02d} min"
    return f"{days} {hours:02d}:{minutes:02d} ({length}, {spec.tz})"
