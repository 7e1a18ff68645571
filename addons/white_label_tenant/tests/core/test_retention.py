import doctest
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ...core import retention
from ...core.retention import BackupInfo, RetentionRules, backups_to_prune

NOW = datetime(2026, 6, 15, 12, 0)  # a Monday


def test_docstring_examples():
    assert doctest.testmod(retention).failed == 0


def test_hand_computed_daily_weekly_monthly():
    """Backups every day at 02:00 from 2025-01-01 to 2026-06-15, rules 3 days / 2 weeks /
    2 months: kept are 06-15, 06-14, 06-13 (daily), the Sunday 06-14 of ISO week 24 is already
    kept, the Sunday 06-07 of week 23 (weekly), 05-31 (monthly, the newest of May); June's
    newest is 06-15. Everything else goes."""
    start = datetime(2025, 1, 1, 2)
    backups = []
    moment = start
    while moment <= NOW:
        backups.append(BackupInfo(moment.date().isoformat(), moment))
        moment += timedelta(days=1)
    plan = backups_to_prune(backups, NOW, RetentionRules(3, 2, 2))
    kept = sorted({b.key for b in backups} - set(plan.prune))
    assert kept == ["2026-05-31", "2026-06-07", "2026-06-13", "2026-06-14", "2026-06-15"]
    assert plan.held == {}
    assert plan.prune["2026-06-12"] == "monthly"  # within June, not its newest
    assert plan.prune["2026-05-30"] == "monthly"
    assert plan.prune["2026-04-30"] == "expired"
    assert plan.prune["2025-01-01"] == "expired"


def test_every_backup_younger_than_keep_all_days_stays():
    """Hourly backups over the last five days (NOW is Monday 15 June 12:00), rules keep-all 2
    days / daily 3 days / 1 week / 1 month: the 48 hourly backups of the last two days all
    stay; of the older ones only 12 June 23:00 (61 h back) stays, the newest of its day within
    the daily window (back to 12 June 12:00). 13 June 23:00 (37 h) is kept as a young one, so
    nothing else of 13 June is the newest of its day; 14 June 23:00 (13 h) is the newest of
    ISO week 24 and 15 June 12:00 the newest of June."""
    backups = [BackupInfo(h, NOW - timedelta(hours=h)) for h in range(5 * 24)]
    plan = backups_to_prune(backups, NOW, RetentionRules(3, 1, 1, 2))
    assert {b.key for b in backups} - set(plan.prune) == set(range(48)) | {61}
    assert set(plan.prune.values()) == {"monthly"}
    # without the keep-all window the same rules keep one backup a day
    plan = backups_to_prune(backups, NOW, RetentionRules(3, 1, 1))
    assert {b.key for b in backups} - set(plan.prune) == {0, 13, 37, 61}
    with pytest.raises(ValueError, match="keep_all_days"):
        backups_to_prune(backups, NOW, RetentionRules(3, 1, 1, -1))


def test_last_good_backup_is_held_and_failed_and_foreign_ones_are_left():
    old = NOW - timedelta(days=400)
    backups = [
        BackupInfo("old-good", old),
        BackupInfo("older-good", old - timedelta(days=1)),
        BackupInfo("failed", NOW - timedelta(days=1), good=False),
        BackupInfo("foreign", old - timedelta(days=2), managed=False),
    ]
    plan = backups_to_prune(backups, NOW, RetentionRules(1, 1, 1))
    assert plan.prune == {"older-good": "expired"}
    assert plan.held == {"old-good": "expired"}


@pytest.mark.parametrize(
    "rules, field",
    [
        (RetentionRules(0, 8, 12), "daily_days"),
        (RetentionRules(14, -1, 12), "weekly_weeks"),
        (RetentionRules(14, 8, 1.5), "monthly_months"),
        (RetentionRules(14, True, 12), "weekly_weeks"),
    ],
)
def test_bad_rules_are_refused_naming_the_rule(rules, field):
    with pytest.raises(ValueError, match=field):
        backups_to_prune([], NOW, rules)


# --- properties against a simple reference ----------------------------------------------------


def _reference_kept(backups, now, rules):
    """Kept by brute force: a good managed backup stays when, for some rule whose window it
    lies in, no other good backup of the same day/week/month is newer; or when it is the
    newest good backup of all."""
    good = [b for b in backups if b.good]

    def order(b):
        return (b.taken_at, str(b.key))

    def same(rule, a, b):
        if rule == "daily":
            return a.taken_at.date() == b.taken_at.date()
        if rule == "weekly":
            return a.taken_at.isocalendar()[:2] == b.taken_at.isocalendar()[:2]
        return (a.taken_at.year, a.taken_at.month) == (b.taken_at.year, b.taken_at.month)

    def inside(rule, b):
        if rule == "daily":
            return now - b.taken_at < timedelta(days=rules.daily_days)
        if rule == "weekly":
            return now - b.taken_at < timedelta(days=7 * rules.weekly_weeks)
        months = (now.year - b.taken_at.year) * 12 + now.month - b.taken_at.month
        return months < rules.monthly_months

    kept = set()
    for b in backups:
        young = now - b.taken_at < timedelta(days=rules.keep_all_days)
        if not b.good or not b.managed or young or all(order(o) <= order(b) for o in good):
            kept.add(b.key)
            continue
        for rule in ("daily", "weekly", "monthly"):
            if inside(rule, b) and not any(same(rule, o, b) and order(o) > order(b) for o in good):
                kept.add(b.key)
    return kept


instants = st.datetimes(min_value=NOW - timedelta(days=500), max_value=NOW)
backup_lists = st.lists(st.tuples(instants, st.booleans(), st.booleans()), max_size=40).map(
    lambda items: [
        BackupInfo(i, moment, good=(i % 5 != 0) or good, managed=(i % 7 != 0) or managed)
        for i, (moment, good, managed) in enumerate(items)
    ]
)
rule_sets = st.builds(
    RetentionRules,
    st.integers(1, 40),
    st.integers(1, 20),
    st.integers(1, 18),
    st.integers(0, 60),
)


@given(backup_lists, rule_sets)
def test_matches_the_reference(backups, rules):
    plan = backups_to_prune(backups, NOW, rules)
    assert {b.key for b in backups} - set(plan.prune) == _reference_kept(backups, NOW, rules)


@given(backup_lists, rule_sets)
def test_the_last_good_backup_is_never_pruned(backups, rules):
    plan = backups_to_prune(backups, NOW, rules)
    good = [b for b in backups if b.good]
    if good:
        last = max(good, key=lambda b: (b.taken_at, str(b.key)))
        assert last.key not in plan.prune
    assert not any(not b.managed or not b.good for b in backups if b.key in plan.prune)


@given(backup_lists, rule_sets)
def test_pruning_twice_prunes_nothing_more(backups, rules):
    plan = backups_to_prune(backups, NOW, rules)
    left = [b for b in backups if b.key not in plan.prune]
    assert backups_to_prune(left, NOW, rules).prune == {}


@given(
    backup_lists,
    rule_sets,
    st.integers(0, 10),
    st.integers(0, 10),
    st.integers(0, 10),
    st.integers(0, 10),
)
def test_wider_windows_keep_a_superset(
    backups, rules, more_days, more_weeks, more_months, more_keep_all
):
    wider = RetentionRules(
        rules.daily_days + more_days,
        rules.weekly_weeks + more_weeks,
        rules.monthly_months + more_months,
        rules.keep_all_days + more_keep_all,
    )
    kept = {b.key for b in backups} - set(backups_to_prune(backups, NOW, rules).prune)
    kept_wider = {b.key for b in backups} - set(backups_to_prune(backups, NOW, wider).prune)
    assert kept <= kept_wider
