from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ...core.mdf import claim_problem, consumption, fund_period, remaining
from ...core.tier_discount import check_percent, discount_at, net_amount, tier_at
from .. import hypothesis_settings  # noqa: F401  (registers the profiles)

BASE = date(2026, 1, 1)
SILVER, GOLD, PLATINUM = "silver", "gold", "platinum"


def test_change_on_the_period_start_applies_from_that_period():
    changes = [(date(2026, 3, 1), SILVER, GOLD)]
    assert tier_at(changes, date(2026, 2, 1)) == SILVER
    assert tier_at(changes, date(2026, 3, 1)) == GOLD


def test_change_mid_period_applies_from_the_next_period():
    # March is billed at the tier in force on March 1st, April at the new one
    changes = [(date(2026, 1, 1), None, SILVER), (date(2026, 3, 15), SILVER, GOLD)]
    discounts = {SILVER: 5.0, GOLD: 10.0}
    assert discount_at(changes, date(2026, 3, 1), discounts) == 5.0
    assert discount_at(changes, date(2026, 4, 1), discounts) == 10.0


def test_joined_after_the_period_start_gets_no_discount_for_it():
    changes = [(date(2026, 3, 10), None, GOLD)]
    assert discount_at(changes, date(2026, 3, 1), {GOLD: 10.0}) == 0.0
    assert discount_at(changes, date(2026, 4, 1), {GOLD: 10.0}) == 10.0


def test_no_history_no_discount():
    assert tier_at([], date(2026, 3, 1)) is None
    assert discount_at([], date(2026, 3, 1), {GOLD: 10.0}) == 0.0


def test_hand_figures():
    # 700.00 a month at Gold (12.5 %): 612.50
    assert net_amount(700.0, 12.5) == pytest.approx(612.5)
    assert check_percent(0) is None and check_percent(100) is None
    assert check_percent(-1) == "range" and check_percent(100.5) == "range"


def _naive_tier_at(changes, day):
    """Walk the days from long before the first change, applying each day's changes in order."""
    if not changes:
        return None
    ordered = sorted(enumerate(changes), key=lambda c: c[1][0])
    current = ordered[0][1][1]
    cursor = min(c[0] for c in changes) - timedelta(days=1)
    while cursor < day:
        cursor += timedelta(days=1)
        for _i, (change_day, _old, new) in ordered:
            if change_day == cursor:
                current = new
    return current


tiers = st.sampled_from([None, SILVER, GOLD, PLATINUM])
changes_strategy = st.lists(
    st.tuples(st.integers(0, 120).map(lambda d: BASE + timedelta(days=d)), tiers, tiers),
    max_size=6,
)


@given(changes_strategy, st.integers(-10, 130).map(lambda d: BASE + timedelta(days=d)))
def test_tier_at_matches_a_day_by_day_walk(changes, day):
    assert tier_at(changes, day) == _naive_tier_at(changes, day)


@given(changes_strategy, st.integers(0, 120), st.integers(0, 30))
def test_never_retroactive(changes, offset, later):
    """A change dated after the day never alters the tier of that day."""
    day = BASE + timedelta(days=offset)
    if not changes:
        return
    first_day = min(c[0] for c in changes)
    if day < first_day:
        return
    extra = (day + timedelta(days=later + 1), GOLD, PLATINUM)
    assert tier_at([*changes, extra], day) == tier_at(changes, day)


def test_fund_periods():
    assert fund_period(date(2026, 5, 31), "quarter") == (date(2026, 4, 1), date(2026, 6, 30))
    assert fund_period(date(2026, 11, 3), "quarter") == (date(2026, 10, 1), date(2026, 12, 31))
    assert fund_period(date(2028, 2, 29), "year") == (date(2028, 1, 1), date(2028, 12, 31))
    with pytest.raises(ValueError):
        fund_period(date(2026, 1, 1), "month")


@given(st.integers(0, 3650).map(lambda d: date(2024, 1, 1) + timedelta(days=d)))
def test_fund_period_matches_a_walk(day):
    for periodicity, months in (("quarter", 3), ("year", 12)):
        start, end = fund_period(day, periodicity)

        # reference: walk back and forth while the day stays in the same block of months
        def block(d, months=months):
            return (d.year, (d.month - 1) // months)

        walk_start = day
        while block(walk_start - timedelta(days=1)) == block(day):
            walk_start -= timedelta(days=1)
        walk_end = day
        while block(walk_end + timedelta(days=1)) == block(day):
            walk_end += timedelta(days=1)
        assert (start, end) == (walk_start, walk_end)


def test_claims_against_the_budget():
    claims = [("paid", 300.0), ("approved", 200.0), ("submitted", 100.0), ("rejected", 900.0)]
    assert consumption(claims) == (500.0, 100.0)
    assert remaining(1000.0, claims) == 400.0
    assert claim_problem(400.0, 1000.0, claims) is None
    assert claim_problem(400.01, 1000.0, claims) == "budget"
    assert claim_problem(0.0, 1000.0, claims) == "amount"
    assert claim_problem(-5.0, 1000.0, claims) == "amount"


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["submitted", "approved", "paid", "rejected"]),
            st.integers(1, 10_000).map(lambda c: c / 100),
        ),
        max_size=8,
    ),
    st.integers(0, 100_000).map(lambda c: c / 100),
    st.integers(1, 100_000).map(lambda c: c / 100),
)
def test_accepted_claims_never_overspend(claims, budget, amount):
    if claim_problem(amount, budget, claims) is None:
        used = sum(a for state, a in claims if state != "rejected")
        assert used + amount <= budget + 0.005
