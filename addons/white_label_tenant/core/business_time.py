"""Business time of a working calendar, without any Odoo import.

A :class:`BusinessSchedule` turns working hours (attendances in a local time zone) and leaves
(public holidays, in UTC) into a monotonic *business position*: the number of working seconds
between a fixed anchor and an instant. Every SLA question is then a subtraction or an inverse
lookup on that position, and the per-day totals are cached, so scanning many incidents that share a
calendar costs a few dictionary lookups each instead of a walk over their days.

The working time is the one Odoo's ``resource.calendar._work_intervals_batch`` gives for the
calendar itself (a property test compares them): attendances per weekday, optionally per week of a
two-week calendar (Odoo's week parity) and limited to a date range, times rounded to the minute,
local times that do not exist or exist twice on a daylight-saving change read as standard time
(``pytz``'s ``is_dst=False``), overlapping attendances counted once, leaves removed. What it cannot
represent (hours outside 0-24, an unknown time zone, a week type of a one-week calendar) is refused
with :class:`ScheduleError`, never computed approximately.

All datetimes in and out are naive UTC, as Odoo stores them.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# A calendar with no working time at all would make "add N business hours" loop forever.
MAX_SCAN_DAYS = 3660
ZERO = timedelta(0)


class ScheduleError(ValueError):
    """A calendar the business-time arithmetic cannot represent exactly."""


@dataclass(frozen=True)
class Attendance:
    """One working span: ``weekday`` (Monday = 0), float local hours ``hour_from``-``hour_to``
    (``17.5`` is 17:30, ``24`` the end of the day), ``week_type`` 0/1 on two-week calendars
    (``None``: every week), and an optional inclusive ``date_from``/``date_to`` range."""

    weekday: int
    hour_from: float
    hour_to: float
    week_type: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def applies(self, day, week_type):
        if self.weekday != day.weekday():
            return False
        if self.week_type is not None and self.week_type != week_type:
            return False
        if self.date_from and day < self.date_from:
            return False
        return not (self.date_to and day > self.date_to)


def week_type(day):
    """Odoo's week parity of a two-week calendar (weeks counted from 1 January of year 1)."""
    return int(math.floor((day.toordinal() - 1) / 7) % 2)


def _minutes(hours, what):
    """Hours as whole minutes, rounded as Odoo's ``float_to_time`` does (half up)."""
    if not math.isfinite(hours) or not 0 <= hours <= 24:
        raise ScheduleError(f"{what} must be an hour between 0 and 24, not {hours!r}.")
    if hours == 24:
        return 24 * 60
    integral = int(hours)
    minutes = math.floor(60 * (hours - integral) + 0.5)
    if minutes >= 60:
        # Odoo itself cannot build 9:60: refuse what it would fail on
        raise ScheduleError(f"{what} {hours!r} rounds to a full hour of 60 minutes.")
    return integral * 60 + minutes


def localize(naive, tz):
    """A naive local time as an aware one; ambiguous or skipped times are read as standard time
    (the offset without daylight saving), as Odoo's ``pytz`` ``localize`` does by default."""
    early, late = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early
    return late if early.dst() and not late.dst() else early


class BusinessSchedule:
    """Working time of one calendar.

    :param weekly: ``{weekday: [(hour_from, hour_to), ...]}`` with Monday = 0 (every week, every
        date), or ``None`` when ``attendances`` are given
    :param tz: IANA time zone name of the calendar
    :param leaves: iterable of ``(start, end)`` naive UTC datetimes without work (holidays)
    :param attendances: iterable of :class:`Attendance`, added to ``weekly``
    :param two_weeks: whether attendances alternate between week types 0 and 1
    """

    def __init__(self, weekly=None, tz="UTC", leaves=(), attendances=(), two_weeks=False):
        try:
            self.tz = ZoneInfo(tz or "UTC")
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ScheduleError(f"Unknown time zone {tz!r}.") from exc
        spans = [
            Attendance(int(day), hour_from, hour_to)
            for day, pairs in (weekly or {}).items()
            for hour_from, hour_to in pairs
        ]
        spans.extend(attendances)
        self.two_weeks = two_weeks
        self.attendances = []
        for span in spans:
            if not 0 <= span.weekday <= 6:
                raise ScheduleError(f"Weekday must lie between 0 and 6, not {span.weekday!r}.")
            if span.week_type is not None and not two_weeks:
                raise ScheduleError("A week type is only meaningful on a two-week calendar.")
            if two_weeks and span.week_type not in (0, 1):
                raise ScheduleError("Each attendance of a two-week calendar needs week 0 or 1.")
            start = _minutes(span.hour_from, "Work from")
            end = _minutes(span.hour_to, "Work to")
            if start < end:  # an empty or inverted span holds no work (nor does it in Odoo)
                self.attendances.append((span, start, end))
        self.leaves = sorted((start, end) for start, end in leaves if end > start)
        self._day_cache = {}
        self._offsets = {}
        self._positions = {}
        self._cum = {}
        self._anchor = None

    # --- days -----------------------------------------------------------------------------
    def _to_utc(self, day, minutes):
        local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minutes)
        if minutes == 24 * 60:
            # the end of the day is the next midnight, whatever its offset
            local = datetime.combine(day + timedelta(days=1), datetime.min.time())
        return localize(local, self.tz).astimezone(timezone.utc).replace(tzinfo=None)

    def local_date(self, moment):
        # UTC offsets only change on whole quarter hours: cache them per UTC quarter
        quarter = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
        offset = self._offsets.get(quarter)
        if offset is None:
            offset = quarter.replace(tzinfo=timezone.utc).astimezone(self.tz).utcoffset()
            self._offsets[quarter] = offset
        return (moment + offset).date()

    def day_intervals(self, day):
        """Working intervals of one local day as sorted, disjoint naive UTC pairs, leaves removed,
        and their total in seconds."""
        cached = self._day_cache.get(day)
        if cached is not None:
            return cached
        parity = week_type(day) if self.two_weeks else None
        raw = sorted(
            (self._to_utc(day, start), self._to_utc(day, end))
            for span, start, end in self.attendances
            if span.applies(day, parity)
        )
        merged = []
        for start, end in raw:
            if end <= start:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        intervals = []
        for start, end in merged:
            intervals.extend(self._minus_leaves(start, end))
        total = sum((end - start).total_seconds() for start, end in intervals)
        self._day_cache[day] = cached = (intervals, total)
        return cached

    def _minus_leaves(self, start, end):
        pieces = [(start, end)]
        for leave_start, leave_end in self.leaves:
            if leave_start >= end:
                break
            if leave_end <= start:
                continue
            rest = []
            for piece_start, piece_end in pieces:
                if leave_end <= piece_start or leave_start >= piece_end:
                    rest.append((piece_start, piece_end))
                    continue
                if piece_start < leave_start:
                    rest.append((piece_start, leave_start))
                if leave_end < piece_end:
                    rest.append((leave_end, piece_end))
            pieces = rest
        return pieces

    def _cumulative(self, day):
        """Working seconds from the anchor day's start to ``day``'s start (negative before it)."""
        if self._anchor is None:
            self._anchor = day
            self._cum[day] = 0.0
        value = self._cum.get(day)
        if value is not None:
            return value
        step = timedelta(days=1)
        if day > self._anchor:
            known = day - step
            while known not in self._cum:
                known -= step
            while known < day:
                self._cum[known + step] = self._cum[known] + self.day_intervals(known)[1]
                known += step
        else:
            known = day + step
            while known not in self._cum:
                known += step
            while known > day:
                self._cum[known - step] = self._cum[known] - self.day_intervals(known - step)[1]
                known -= step
        return self._cum[day]

    # --- positions ------------------------------------------------------------------------
    def position(self, moment):
        """Business seconds between the anchor and ``moment``."""
        # a scan asks for the same "now" and opening times again and again: memoize
        value = self._positions.get(moment)
        if value is None:
            value = self._positions[moment] = self._position(moment)
        return value

    def _position(self, moment):
        day = self.local_date(moment)
        value = self._cumulative(day)
        for start, end in self.day_intervals(day)[0]:
            if moment <= start:
                break
            value += ((end if moment >= end else moment) - start).total_seconds()
        return value

    def elapsed(self, start, end):
        """Business seconds in ``[start, end]`` (0 if end is before start)."""
        if end <= start:
            return 0.0
        return self.position(end) - self.position(start)

    def add(self, moment, seconds):
        """The earliest instant at which ``seconds`` business seconds have passed since ``moment``
        (rounded up to the whole second, as Odoo stores datetimes)."""
        if seconds <= 0:
            return moment
        target = self.position(moment) + seconds
        day = self.local_date(moment)
        for _i in range(MAX_SCAN_DAYS):
            intervals, total = self.day_intervals(day)
            base = self._cumulative(day)
            if base + total >= target:
                remaining = target - base
                for start, end in intervals:
                    length = (end - start).total_seconds()
                    if remaining <= length:
                        return start + timedelta(seconds=math.ceil(remaining - 1e-6))
                    remaining -= length
            day += timedelta(days=1)
        raise ScheduleError("The calendar has no working time in the next ten years.")
