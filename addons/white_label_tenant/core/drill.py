"""Disaster-recovery drills and the move to a dedicated environment: plain datetimes in and out.

A production environment owes a passed drill every ``interval_days`` of its SLA policy version.
The first one is owed one interval after the environment went live (a new environment is not
overdue on its first day); after that, one interval after the last passed drill
(``core.continuity.drill_due_at``). The drill scheduled next sits on that due moment, or now
when it has already passed.

A move to a dedicated environment keeps the old one read-only for ``grace_days`` after the
switch; it is decommissioned once the grace period is over.
"""

from datetime import timedelta

from .continuity import drill_due_at


def drill_owed_at(last_passed_at, live_since, interval_days):
    """When the next drill is owed: an interval after the last passed drill, else an interval
    after the environment went live; ``None`` (owed at once) without either.

    >>> from datetime import datetime
    >>> drill_owed_at(datetime(2026, 3, 2, 9), datetime(2025, 1, 1), 90)
    datetime.datetime(2026, 5, 31, 9, 0)
    >>> drill_owed_at(None, datetime(2026, 1, 1), 30)
    datetime.datetime(2026, 1, 31, 0, 0)
    >>> drill_owed_at(None, None, 30) is None
    True
    """
    return drill_due_at(last_passed_at or live_since, interval_days)


def drill_is_overdue(now, last_passed_at, live_since, interval_days):
    """Whether the environment lacks a passed drill within its policy's period at ``now``
    (exactly one interval old still counts as within).

    >>> from datetime import datetime
    >>> drill_is_overdue(datetime(2026, 1, 31), None, datetime(2026, 1, 1), 30)
    False
    >>> drill_is_overdue(datetime(2026, 1, 31, 0, 1), None, datetime(2026, 1, 1), 30)
    True
    """
    owed = drill_owed_at(last_passed_at, live_since, interval_days)
    return owed is None or now > owed


def next_drill_at(now, last_passed_at, live_since, interval_days):
    """When to schedule the next drill: on the moment it is owed, or ``now`` when that has
    passed (or is unknown).

    >>> from datetime import datetime
    >>> next_drill_at(datetime(2026, 2, 1), datetime(2026, 1, 10), None, 90)
    datetime.datetime(2026, 4, 10, 0, 0)
    >>> next_drill_at(datetime(2026, 6, 1), datetime(2026, 1, 10), None, 90)
    datetime.datetime(2026, 6, 1, 0, 0)
    """
    owed = drill_owed_at(last_passed_at, live_since, interval_days)
    return now if owed is None or owed < now else owed


def grace_ends_at(switched_at, grace_days):
    """The end of the read-only grace period of the old environment after a move.

    >>> from datetime import datetime
    >>> grace_ends_at(datetime(2026, 2, 20, 14), 14)
    datetime.datetime(2026, 3, 6, 14, 0)
    """
    if isinstance(grace_days, bool) or not isinstance(grace_days, int) or grace_days < 0:
        raise ValueError(f"a grace period must be a whole number of days >= 0, not {grace_days!r}")
    return switched_at + timedelta(days=grace_days)
