"""Deal registration dates: the protection window after approval and the decision deadline.

Plain dates in, plain answers out: the models pass "today" (so tests and crons agree on it).
"""

from datetime import date, timedelta

DEFAULT_PROTECTION_DAYS = 90
DEFAULT_DECISION_DAYS = 30


def protected_until(approved_on: date, days: int) -> date:
    """Last day of protection of a registration approved on ``approved_on`` (inclusive).

    >>> protected_until(date(2026, 1, 31), 90)
    datetime.date(2026, 5, 1)
    """
    if days < 0:
        raise ValueError("the protection window cannot be negative")
    return approved_on + timedelta(days=days)


def is_protected(until: date | None, today: date) -> bool:
    """Protected through the last day of the window, not the day after.

    >>> until = date(2026, 5, 1)
    >>> is_protected(until, date(2026, 5, 1)), is_protected(until, date(2026, 5, 2))
    (True, False)
    """
    return bool(until) and today <= until


def decision_overdue_since(today: date, days: int) -> date:
    """A submission registered on or before this day waits for a decision longer than ``days``.

    >>> decision_overdue_since(date(2026, 3, 31), 30)
    datetime.date(2026, 3, 1)
    """
    if days < 0:
        raise ValueError("the decision delay cannot be negative")
    return today - timedelta(days=days)
