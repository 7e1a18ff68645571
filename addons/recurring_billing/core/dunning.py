"""Dunning: which level of a policy an overdue invoice has reached on a day.

A policy's levels are counted in days after the invoice's due date, strictly increasing (for
example reminder 7, second reminder 21, suspension warning 35, suspension 45). On a day, the
invoice has reached the last level whose days have passed; a dunning run moves it there (never
back, and straight to the last level reached when runs were missed: one notice, not a burst).
A level that suspends is never reached while something blocks suspension (a payment pending, a
dispute open): the invoice stops at the level before it.
"""

from collections.abc import Sequence
from datetime import date


def check_level_days(level_days: Sequence[int]) -> None:
    """Raise ValueError unless the days are at least 1 and strictly increasing."""
    previous = 0
    for days in level_days:
        if days <= previous:
            raise ValueError("level days must be at least 1 and strictly increasing")
        previous = days


def days_overdue(due_date: date, day: date) -> int:
    """Whole days ``day`` is after ``due_date`` (0 on or before it)."""
    return max((day - due_date).days, 0)


def reached_level(level_days: Sequence[int], due_date: date, day: date) -> int | None:
    """Index of the last level whose days have passed on ``day``, or None."""
    overdue = days_overdue(due_date, day)
    reached = None
    for index, days in enumerate(level_days):
        if days <= overdue:
            reached = index
    return reached


def next_level(
    level_days: Sequence[int],
    current: int | None,
    due_date: date,
    day: date,
    suspend_from: int | None = None,
    blocked: bool = False,
) -> int | None:
    """The level a run on ``day`` moves the invoice to, or None when it stays where it is.

    ``current`` is the level the invoice is at (None: not dunned yet); ``suspend_from`` the index
    of the first level that suspends (None: no such level); ``blocked``: suspension is blocked, so
    the invoice goes no further than the level before ``suspend_from``.
    """
    target = reached_level(level_days, due_date, day)
    if target is not None and blocked and suspend_from is not None and target >= suspend_from:
        target = suspend_from - 1 if suspend_from > 0 else None
    if target is None or (current is not None and target <= current):
        return None
    return target
