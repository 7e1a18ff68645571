"""Escalation chains on business time, without any Odoo import.

A chain is a list of levels, each notified once when a given amount of *business* time has passed
since the incident opened (the calendar of the incident's SLA version; a 24x7 version counts every
second). "Since the incident opened" and not "since the last response": a chain tells more and
more senior people that an incident is still not resolved, so acknowledging it does not restart
it; resolving it stops it (the caller only asks for open incidents).

A level is due from the instant its business time has passed (``BusinessSchedule.add``) on, so
the scheduler stores the next instant and never looks at an incident in between.

>>> from datetime import datetime
>>> from .business_time import BusinessSchedule
>>> office = BusinessSchedule({day: [(9, 17)] for day in range(5)}, "UTC")
>>> friday = datetime(2026, 3, 6, 16, 30)
>>> chain = [Level("lead", 2, 120)]
>>> [str(d.instant) for d in due_levels(office, friday, chain, datetime(2026, 3, 9, 10, 30))]
['2026-03-09 10:30:00']
>>> due_levels(office, friday, chain, datetime(2026, 3, 9, 10, 29))
[]
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    """One level of a chain: ``key`` identifies it (the level record), ``sequence`` orders levels
    due at the same instant, ``after_minutes`` is the business time since opening."""

    key: object
    sequence: int
    after_minutes: float


@dataclass(frozen=True)
class DueLevel:
    level: Level
    instant: object


def check_minutes(minutes):
    if not isinstance(minutes, int | float) or not 0 <= minutes < float("inf"):
        raise ValueError(f"An escalation level needs a finite delay of 0 or more, not {minutes!r}.")


def level_instants(schedule, opened, levels):
    """Each level with the instant it becomes due, in the order they come due."""
    result = []
    for level in levels:
        check_minutes(level.after_minutes)
        result.append(DueLevel(level, schedule.add(opened, level.after_minutes * 60.0)))
    result.sort(key=lambda due: (due.instant, due.level.sequence))
    return result


def due_levels(schedule, opened, levels, now, notified=()):
    """The levels due at ``now`` that were not notified yet (``notified``: their keys)."""
    done = set(notified)
    return [
        due
        for due in level_instants(schedule, opened, levels)
        if due.instant <= now and due.level.key not in done
    ]


def next_due_at(schedule, opened, levels, now, notified=()):
    """The first instant after ``now`` at which a level not notified yet comes due (``None``
    when every level is notified or due already)."""
    done = set(notified)
    later = [
        due.instant
        for due in level_instants(schedule, opened, levels)
        if due.instant > now and due.level.key not in done
    ]
    return min(later) if later else None
