"""Grandfather-father-son retention of backups: plain datetimes in, the backups to prune out.

Rules (``RetentionRules``): keep every backup for ``keep_all_days`` days (the restore points of
the last days, whatever their number), then the newest backup of each day for ``daily_days`` days,
the newest of each ISO week for ``weekly_weeks`` weeks and the newest of each calendar month for
``monthly_months`` months, counted back from ``now``. A backup that none of the three keeps is
pruned, with the rule whose window it fell out of last (the longest window it still lies in, or
``expired`` when it is older than all of them).

Never pruned, whatever the rules:

- the last good (successful) backup of the environment: a rule that would prune it is reported
  in ``held`` instead, with the rule that would have expired it;
- a backup that is not good (a failed one has no dump to remove) or not ``managed`` (of an
  environment the suite did not create: not ours to delete);
- a backup younger than ``keep_all_days``.

Pruning is idempotent: the newest backup of each bucket is kept, so it is still the newest of its
bucket once the others are gone, and a second pass prunes nothing more. Widening a window only
adds buckets: the kept set grows.
"""

from collections import namedtuple
from datetime import timedelta

BackupInfo = namedtuple("BackupInfo", "key taken_at good managed", defaults=(True, True))
RetentionRules = namedtuple(
    "RetentionRules", "daily_days weekly_weeks monthly_months keep_all_days", defaults=(0,)
)
RetentionPlan = namedtuple("RetentionPlan", "prune held")

DEFAULT_RULES = RetentionRules(14, 8, 12)
# the rules, shortest window first
RULES = ("daily", "weekly", "monthly")


def check_rules(rules):
    """Raise ``ValueError`` naming the rule that is not a positive integer (``keep_all_days``
    may be 0: no backup is kept for its age alone)."""
    for name, value in zip(RetentionRules._fields, rules, strict=True):
        lowest = 0 if name == "keep_all_days" else 1
        if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
            raise ValueError(f"{name} must be a whole number of at least {lowest}, not {value!r}")


def _month_index(moment):
    return moment.year * 12 + moment.month - 1


def _buckets(moment):
    """The day, ISO week and month ``moment`` falls in."""
    iso = moment.isocalendar()
    return {
        "daily": moment.date(),
        "weekly": (iso[0], iso[1]),
        "monthly": (moment.year, moment.month),
    }


def _windows(moment, now, rules):
    """The rules whose window ``moment`` lies in, shortest first."""
    inside = []
    if moment > now - timedelta(days=rules.daily_days):
        inside.append("daily")
    if moment > now - timedelta(weeks=rules.weekly_weeks):
        inside.append("weekly")
    if _month_index(moment) > _month_index(now) - rules.monthly_months:
        inside.append("monthly")
    return inside


def backups_to_prune(backups, now, rules=DEFAULT_RULES):
    """``backups``: ``BackupInfo`` tuples (``key`` identifies each). Returns a
    ``RetentionPlan``: ``prune`` maps the keys to prune to the rule that expired them
    (``daily``/``weekly``/``monthly``/``expired``), ``held`` maps the keys a rule would have
    pruned but that are kept anyway (the last good backup) to that rule.

    >>> from datetime import datetime
    >>> day = datetime(2026, 3, 2, 12)
    >>> backups = [BackupInfo(i, day - timedelta(hours=6 * i)) for i in range(6)]
    >>> plan = backups_to_prune(backups, day, RetentionRules(1, 1, 1))
    >>> sorted(plan.prune.items()), plan.held
    ([(1, 'monthly'), (2, 'monthly'), (4, 'monthly'), (5, 'monthly')], {})
    """
    check_rules(rules)
    backups = list(backups)
    good = [backup for backup in backups if backup.good]
    last_good = max(good, key=lambda b: (b.taken_at, str(b.key)), default=None)
    newest = {}
    for backup in good:
        for rule, bucket in _buckets(backup.taken_at).items():
            best = newest.get((rule, bucket))
            if best is None or (backup.taken_at, str(backup.key)) > (
                best.taken_at,
                str(best.key),
            ):
                newest[(rule, bucket)] = backup
    prune, held = {}, {}
    keep_all_since = now - timedelta(days=rules.keep_all_days)
    for backup in good:
        if not backup.managed or backup.taken_at > keep_all_since:
            continue
        inside = _windows(backup.taken_at, now, rules)
        buckets = _buckets(backup.taken_at)
        if any(newest[(rule, buckets[rule])] is backup for rule in inside):
            continue
        reason = inside[-1] if inside else "expired"
        if backup is last_good:
            held[backup.key] = reason
        else:
            prune[backup.key] = reason
    return RetentionPlan(prune, held)
