"""The public status page's figures, without any Odoo import.

The page shows, per environment group, one bar per day over the last 90 days: the share of the
group's health probes that succeeded that day. The model reads the probes once, grouped by
environment and day (``(day, successes, samples)`` rows, several per day when a group has several
environments); this module adds them up per day and says how each day and each group reads.
"""

from dataclasses import dataclass
from datetime import timedelta

HISTORY_DAYS = 90
# a day at or above GOOD reads as operational, at or above FAIR as degraded, below as an outage
GOOD = 0.999
FAIR = 0.99

# the status of a group, from the best to the worst (the page's banner shows the worst)
GROUP_STATUSES = ("operational", "maintenance", "unknown", "partial_outage", "major_outage")


@dataclass(frozen=True)
class DayBar:
    """One day of one group: how many probes ran and how many succeeded."""

    day: object  # datetime.date
    successes: int
    samples: int
    level: str  # none (no probe), up, degraded, down

    @property
    def share(self):
        return self.successes / self.samples if self.samples else None


def bar_level(successes, samples, good=GOOD, fair=FAIR):
    """``none`` without probes, else ``up``, ``degraded`` or ``down`` by the day's share."""
    if not samples:
        return "none"
    share = successes / samples
    if share >= good:
        return "up"
    if share >= fair:
        return "degraded"
    return "down"


def day_window(last_day, days=HISTORY_DAYS):
    """The ``days`` days ending with ``last_day`` (included), oldest first."""
    return [last_day - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def daily_uptime(rows, last_day, days=HISTORY_DAYS, good=GOOD, fair=FAIR):
    """One ``DayBar`` per day of the window ending ``last_day``, oldest first.

    ``rows`` are ``(day, successes, samples)``; rows of the same day add up, rows outside the
    window are ignored. A day without probes is a bar of level ``none`` (missing, never 0 %).
    """
    window = day_window(last_day, days)
    totals = {day: [0, 0] for day in window}
    for day, successes, samples in rows:
        if day in totals:
            totals[day][0] += successes
            totals[day][1] += samples
    return [
        DayBar(day, ok, count, bar_level(ok, count, good, fair))
        for day, (ok, count) in totals.items()
    ]


def window_uptime(bars):
    """Share of successful probes over all the bars, ``None`` without any probe."""
    samples = sum(bar.samples for bar in bars)
    return sum(bar.successes for bar in bars) / samples if samples else None


def group_status(healths, in_maintenance=False):
    """The status of a group from its environments' health (``up``/``down``/``unknown``).

    All down is a major outage, some down a partial one; otherwise operational as soon as one
    environment answers, unknown if none was probed yet. Down during a maintenance window reads
    ``maintenance``: planned, not an outage (a window in which everything answers stays
    operational: a window is a slot, not work being done).
    """
    healths = list(healths)
    down = healths.count("down")
    if down and in_maintenance:
        return "maintenance"
    if healths and down == len(healths):
        return "major_outage"
    if down:
        return "partial_outage"
    if "up" in healths:
        return "operational"
    return "unknown"


def worst_status(statuses):
    """The worst of ``statuses`` (the page's banner), ``operational`` when there is none."""
    return max(statuses, key=GROUP_STATUSES.index, default="operational")


def merge_windows(windows):
    """Maintenance windows ``(start, end)`` sorted, overlapping or touching ones merged."""
    merged = []
    for start, end in sorted(w for w in windows if w[1] > w[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def upcoming_windows(windows, now, horizon):
    """Merged windows still running at ``now`` or starting before ``now + horizon``."""
    return [
        (start, end) for start, end in merge_windows(windows) if end > now and start < now + horizon
    ]


def in_window(windows, now):
    """Whether ``now`` falls in one of ``windows`` (start included, end excluded)."""
    return any(start <= now < end for start, end in windows)
