"""Backup schedule and restore measures: plain datetimes in, datetimes and seconds out.

The scheduled backups follow the SLA policy version's frequency: an environment is due once its
last successful backup is a frequency old. A run of the scheduled action that comes a few minutes
early (its own jitter) still takes it: the due moment is brought forward by a slack of 5 % of the
frequency, at most 5 minutes, so an hourly run never slips a daily backup by one hour a day nor
pushes an hourly one to the next run.

A restore test measures what a real recovery would give (ISO 22301 terms):

- RPO achieved: the age of the restored data at the reference instant (the incident, or the
  test's start for a drill), i.e. from the backup's snapshot (its start: ``pg_dump`` reads one
  consistent snapshot taken when it starts) to that instant;
- RTO achieved: from the start of the restore to the moment its smoke check passed.
"""

from datetime import timedelta

FREQUENCY_UNITS = {"minutes": 1, "hours": 60}
EARLY_SHARE = 0.05
EARLY_MAX = timedelta(minutes=5)
# a failed scheduled backup is tried again after this (or the frequency, when shorter)
RETRY_AFTER = timedelta(hours=1)


def frequency_delta(value, unit):
    """The backup frequency ``value`` ``unit`` (``minutes`` or ``hours``) as a timedelta.

    >>> frequency_delta(1, "hours")
    datetime.timedelta(seconds=3600)
    >>> frequency_delta(15, "minutes")
    datetime.timedelta(seconds=900)
    """
    if unit not in FREQUENCY_UNITS:
        raise ValueError(f"unknown frequency unit {unit!r}")
    if not value or value <= 0:
        raise ValueError(f"a backup frequency must be positive, not {value!r}")
    return timedelta(minutes=value * FREQUENCY_UNITS[unit])


def _early(interval):
    return min(interval * EARLY_SHARE, EARLY_MAX)


def next_backup_at(frequency, last_done_at=None, last_attempt_at=None, retry=RETRY_AFTER):
    """When the next scheduled backup is due; ``None``: at once (never attempted).

    ``last_done_at`` is the start of the last successful backup, ``last_attempt_at`` the start
    of the last one attempted (failed or not).

    >>> from datetime import datetime
    >>> hourly, daily = timedelta(hours=1), timedelta(days=1)
    >>> next_backup_at(hourly, datetime(2026, 1, 5, 10), datetime(2026, 1, 5, 10))
    datetime.datetime(2026, 1, 5, 10, 57)
    >>> next_backup_at(daily, datetime(2026, 1, 5, 0), datetime(2026, 1, 5, 0))
    datetime.datetime(2026, 1, 5, 23, 55)

    A failed attempt after the last success is retried an hour later:

    >>> next_backup_at(daily, datetime(2026, 1, 4, 0), datetime(2026, 1, 5, 0))
    datetime.datetime(2026, 1, 5, 0, 57)
    >>> next_backup_at(daily) is None
    True
    """
    due = []
    if last_done_at:
        due.append(last_done_at + frequency - _early(frequency))
    if last_attempt_at and (not last_done_at or last_attempt_at > last_done_at):
        wait = min(retry, frequency)
        due.append(last_attempt_at + wait - _early(wait))
    return max(due) if due else None


def backup_due(now, frequency, last_done_at=None, last_attempt_at=None, retry=RETRY_AFTER):
    """Whether a scheduled backup is due at ``now``.

    >>> from datetime import datetime
    >>> backup_due(datetime(2026, 1, 5, 11), timedelta(hours=1), datetime(2026, 1, 5, 10))
    True
    >>> backup_due(datetime(2026, 1, 5, 23), timedelta(days=1), datetime(2026, 1, 5, 0))
    False
    """
    moment = next_backup_at(frequency, last_done_at, last_attempt_at, retry)
    return moment is None or moment <= now


def backup_instants(start, stop, frequency):
    """The instants in [start, stop) a backup every ``frequency`` takes from ``start`` on.

    >>> from datetime import datetime
    >>> len(backup_instants(datetime(2026, 1, 1), datetime(2026, 1, 2), timedelta(hours=1)))
    24
    """
    if frequency <= timedelta(0):
        raise ValueError("a backup frequency must be positive")
    instants, moment = [], start
    while moment < stop:
        instants.append(moment)
        moment += frequency
    return instants


def restore_measures(snapshot_at, reference_at, restore_started_at, restore_finished_at):
    """``(rpo_seconds, rto_seconds)`` achieved by a restore.

    >>> from datetime import datetime
    >>> restore_measures(
    ...     datetime(2026, 1, 5, 9, 0),  # the backup's snapshot
    ...     datetime(2026, 1, 5, 9, 40),  # the incident (or the drill's start)
    ...     datetime(2026, 1, 5, 9, 40),  # restore started
    ...     datetime(2026, 1, 5, 9, 52, 30),  # smoke check passed
    ... )
    (2400.0, 750.0)
    """
    if reference_at < snapshot_at:
        raise ValueError("the reference instant precedes the backup's snapshot")
    if restore_finished_at < restore_started_at:
        raise ValueError("the restore finished before it started")
    return (
        (reference_at - snapshot_at).total_seconds(),
        (restore_finished_at - restore_started_at).total_seconds(),
    )


def drill_due_at(last_passed_at, interval_days):
    """When the next disaster-recovery drill is due: ``interval_days`` after the last passed
    one; ``None`` (due at once) without a passed drill.

    >>> from datetime import datetime
    >>> drill_due_at(datetime(2026, 3, 2, 9), 90)
    datetime.datetime(2026, 5, 31, 9, 0)
    >>> drill_due_at(None, 90) is None
    True
    """
    if isinstance(interval_days, bool) or not isinstance(interval_days, int) or interval_days <= 0:
        raise ValueError(f"a drill interval must be a positive whole number, not {interval_days!r}")
    return last_passed_at and last_passed_at + timedelta(days=interval_days)


def drill_overdue(now, last_passed_at, interval_days):
    """Whether a production environment lacks a passed drill within ``interval_days`` of
    ``now`` (exactly ``interval_days`` old still counts as within).

    >>> from datetime import datetime
    >>> drill_overdue(datetime(2026, 5, 31, 9), datetime(2026, 3, 2, 9), 90)
    False
    >>> drill_overdue(datetime(2026, 5, 31, 9, 1), datetime(2026, 3, 2, 9), 90)
    True
    >>> drill_overdue(datetime(2026, 5, 31, 9), None, 90)
    True
    """
    due = drill_due_at(last_passed_at, interval_days)
    return due is None or now > due
