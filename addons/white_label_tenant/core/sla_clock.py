"""Business-hours clocks for SLAs, without any Odoo import.

A :class:`BusinessSchedule` turns a weekly working pattern (in a local time zone) and a list of
leaves (public holidays, in UTC) into a monotonic *business position*: the number of working seconds
between a fixed anchor and an instant. Every SLA question is then a subtraction or an inverse
lookup on that position, and the per-day totals are cached, so scanning many incidents that share a
calendar costs a few dictionary lookups each instead of a walk over their days.

All datetimes in and out are naive UTC, as Odoo stores them.
"""

import math
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

# A calendar with no working time at all would make "add N business hours" loop forever.
MAX_SCAN_DAYS = 3660


class BusinessSchedule:
    """Working time of one calendar.

    :param weekly: ``{weekday: [(hour_from, hour_to), ...]}`` with Monday = 0 and float hours in
        the local time zone (``17.5`` is 17:30, ``24`` the end of the day)
    :param tz: IANA time zone name of the calendar
    :param leaves: iterable of ``(start, end)`` naive UTC datetimes without work (holidays)
    """

    def __init__(self, weekly, tz="UTC", leaves=()):
        self.weekly = {int(day): sorted(spans) for day, spans in weekly.items() if spans}
        self.tz = ZoneInfo(tz or "UTC")
        self.leaves = sorted((start, end) for start, end in leaves if end > start)
        self._day_cache = {}
        self._offsets = {}
        self._cum = {}
        self._anchor = None

    # --- days -----------------------------------------------------------------------------
    def _to_utc(self, day, hours):
        local = datetime.combine(day, datetime.min.time()) + timedelta(hours=hours)
        return local.replace(tzinfo=self.tz).astimezone(timezone.utc).replace(tzinfo=None)

    def local_date(self, moment):
        # UTC offsets only change on whole hours: cache them per UTC hour
        hour = moment.replace(minute=0, second=0, microsecond=0)
        offset = self._offsets.get(hour)
        if offset is None:
            offset = hour.replace(tzinfo=timezone.utc).astimezone(self.tz).utcoffset()
            self._offsets[hour] = offset
        return (moment + offset).date()

    def day_intervals(self, day):
        """Working intervals of one local day as naive UTC pairs, holidays removed."""
        cached = self._day_cache.get(day)
        if cached is not None:
            return cached
        intervals = []
        for hour_from, hour_to in self.weekly.get(day.weekday(), ()):
            start, end = self._to_utc(day, hour_from), self._to_utc(day, hour_to)
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
        """The earliest instant at which ``seconds`` business seconds have passed since ``moment``."""
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
                        # whole seconds, as Odoo stores datetimes
                        return start + timedelta(seconds=math.ceil(remaining - 1e-6))
                    remaining -= length
            day += timedelta(days=1)
        raise ValueError("The calendar has no working time in the next ten years.")


# --- clocks -------------------------------------------------------------------------------
def clock_elapsed(schedule, opened, now, paused_seconds=0.0, pause_started=None):
    """Business seconds a clock has run: opened → now, minus closed pauses and any running pause."""
    elapsed = schedule.elapsed(opened, now) - paused_seconds
    if pause_started is not None and pause_started < now:
        elapsed -= schedule.elapsed(max(pause_started, opened), now)
    return max(elapsed, 0.0)


def clock_deadline(schedule, opened, target_seconds, paused_seconds=0.0):
    """Deadline of a clock: the target plus the business time spent paused, counted from opening."""
    return schedule.add(opened, target_seconds + paused_seconds)


def clock_status(elapsed, target_seconds, thresholds=(0.5, 0.75), stopped=False):
    """Classify a clock: returns ``(status, warning_level)``.

    ``status`` is ``met`` (stopped within target), ``breached`` (past target, running or not),
    ``warning`` (running, at least one threshold passed) or ``running``; ``warning_level`` is how
    many of the (ascending) thresholds the elapsed share has reached, so a scheduler can notify
    only when the level grows.
    """
    if not target_seconds or target_seconds <= 0:
        raise ValueError("An SLA clock needs a positive target.")
    ratio = elapsed / target_seconds
    level = sum(1 for threshold in sorted(thresholds) if ratio >= threshold)
    if elapsed > target_seconds:
        return "breached", level
    if stopped:
        return "met", level
    return ("warning" if level else "running"), level


def pick_version(versions, moment):
    """The policy version in force at ``moment``: ``versions`` is ``[(key, effective_from), ...]``.

    The latest version that started at or before ``moment`` wins; ``None`` when none had started.
    """
    best = None
    for key, effective_from in versions:
        if effective_from <= moment and (best is None or effective_from >= best[1]):
            best = (key, effective_from)
    return best[0] if best else None
