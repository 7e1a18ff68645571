"""SLA clocks on business time, without any Odoo import.

A clock is decided by its instants: the deadline is the instant at which the target's business
time has passed (the end of a working day when that is where it runs out), each warning the instant
at which its share of the target has passed. A clock is breached from the second after its
deadline, a warning is reached from its instant on, so the scheduler knows, from the instants
alone, when anything can next change and never has to look at a clock in between.

All datetimes in and out are naive UTC, as Odoo stores them.
"""

from dataclasses import dataclass
from datetime import timedelta

from .business_time import Attendance, BusinessSchedule, ScheduleError  # noqa: F401

SECOND = timedelta(seconds=1)


# --- clocks -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClockState:
    """Where a clock stands at one instant.

    ``status``: ``running``, ``warning``, ``paused`` (waiting on the customer), ``met`` (stopped
    by its deadline) or ``breached``; ``level``: how many warning thresholds have been reached;
    ``deadline``: the instant the target runs out (moving while a pause runs); ``next_check``:
    the first instant at which the status or level will change by time alone (``None`` when
    only an action can change it: stopped, breached or paused).
    """

    status: str
    level: int
    deadline: object
    next_check: object


def check_target(target_seconds):
    if not isinstance(target_seconds, int | float) or not 0 < target_seconds < float("inf"):
        raise ValueError(f"An SLA clock needs a positive, finite target, not {target_seconds!r}.")


def evaluate_clock(
    schedule,
    opened,
    target_seconds,
    thresholds,
    now,
    stopped_at=None,
    paused_seconds=0.0,
    pause_started=None,
):
    """The :class:`ClockState` of a clock at ``now``, from its instants.

    ``paused_seconds`` is the business time of closed pauses (it moves every instant later);
    ``pause_started`` a running pause, during which the clock stands still. A clock is decided
    at the instant it stopped, or at which its running pause started: a pause that starts after
    the deadline rescues nothing.
    """
    check_target(target_seconds)
    stop = stopped_at if stopped_at is not None and stopped_at <= now else None
    pause = pause_started if stop is None and pause_started is not None else None
    if pause is not None and pause > now:
        pause = None
    decided_at = stop or pause or now
    deadline = schedule.add(opened, target_seconds + paused_seconds)
    warnings = [
        schedule.add(opened, share * target_seconds + paused_seconds) for share in thresholds
    ]
    warnings.sort()
    level = sum(1 for instant in warnings if instant <= decided_at)
    breached = decided_at > deadline
    if breached:
        return ClockState("breached", level, deadline, None)
    if stop is not None:
        return ClockState("met", level, deadline, None)
    if pause is not None:
        # the deadline moves on by the business time waited so far
        moving = schedule.add(
            opened, target_seconds + paused_seconds + schedule.elapsed(pause, now)
        )
        return ClockState("paused", level, moving, None)
    next_check = warnings[level] if level < len(warnings) else deadline + SECOND
    return ClockState("warning" if level else "running", level, deadline, next_check)


def pause_credit(schedule, opened, target_seconds, paused_seconds, pause_started, pause_ended):
    """Business seconds a closed pause adds to a clock: none when it started after the deadline
    (the clock was breached already), else the business time between its start and end."""
    if pause_started > schedule.add(opened, target_seconds + paused_seconds):
        return 0.0
    return schedule.elapsed(pause_started, pause_ended)


def pick_version(versions, moment):
    """The policy version in force at ``moment``: ``versions`` is ``[(key, effective_from), ...]``.

    The latest version that started at or before ``moment`` wins; ``None`` when none had started.
    """
    best = None
    for key, effective_from in versions:
        if effective_from <= moment and (best is None or effective_from >= best[1]):
            best = (key, effective_from)
    return best[0] if best else None
