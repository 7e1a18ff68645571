"""The partner's margin counts the wholesale it pays: the list price after its tier discount in
force, the discount of the billing period containing the day (never retroactive)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ...core.margin import line_margin, margin, paid_wholesale
from ...core.tier_discount import discount_in_force
from .. import hypothesis_settings  # noqa: F401  (registers the profiles)

amounts = st.decimals(min_value=0, max_value=10**7, places=2)
percents = st.decimals(min_value=0, max_value=100, places=2)
TIERS = ("silver", "gold", "platinum")
DISCOUNTS = {"silver": 5.0, "gold": 12.5, "platinum": 20.0}
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))


def test_hand_figures():
    # a Gold partner (12.5 %): 700.00 list a month, it pays 612.50; resold at 1,500.00
    assert paid_wholesale(700.0, 12.5) == pytest.approx(612.5)
    assert margin(1500.0, 700.0, 12.5).margin == pytest.approx(887.5)
    assert margin(1500.0, 700.0, 12.5).wholesale == pytest.approx(612.5)
    # hosting 500 resold 800, twice: (800 - 437.50) x 2
    assert line_margin(800.0, 500.0, 2.0, 12.5) == pytest.approx(725.0)


@given(resale=amounts, wholesale=amounts, discount=percents)
def test_margin_against_decimal_reference(resale, wholesale, discount):
    paid = wholesale * (100 - discount) / 100
    result = margin(float(resale), float(wholesale), float(discount))
    assert result.wholesale == pytest.approx(float(paid), abs=1e-6)
    assert result.margin == pytest.approx(float(resale - paid), abs=1e-6)
    if resale:
        assert result.rate == pytest.approx(float((resale - paid) / resale), abs=1e-9)
    else:
        assert result.rate is None


@given(resale=amounts, price=amounts, quantity=amounts, discount=percents)
def test_line_margin_against_decimal_reference(resale, price, quantity, discount):
    expected = (resale - price * (100 - discount) / 100) * quantity if resale else Decimal(0)
    got = line_margin(float(resale), float(price), float(quantity), float(discount))
    assert got == pytest.approx(float(expected), rel=1e-9, abs=1e-3)


@given(resale=amounts, wholesale=amounts, low=percents, high=percents)
def test_a_larger_discount_never_lowers_the_margin(resale, wholesale, low, high):
    low, high = sorted((low, high))
    assert (
        margin(float(resale), float(wholesale), float(high)).margin
        >= margin(float(resale), float(wholesale), float(low)).margin - 1e-6
    )


def _reference_period_start(anchor, day):
    """Monthly periods walked one by one from ``anchor`` (day of month 1-28)."""
    if day < anchor:
        return anchor
    start = anchor
    while True:
        month = start.month % 12 + 1
        following = start.replace(year=start.year + (start.month == 12), month=month)
        if following > day:
            return start
        start = following


def _reference_discount(changes, start):
    """The tier of the last change on or before ``start`` (same-day changes: the last given),
    else the first change's old tier."""
    ordered = sorted(enumerate(changes), key=lambda c: (c[1][0], c[0]))
    before = [change for _i, change in ordered if change[0] <= start]
    tier = before[-1][2] if before else (ordered[0][1][1] if ordered else None)
    return DISCOUNTS.get(tier, 0.0) if tier else 0.0


changes_strategy = st.lists(
    st.tuples(days, st.sampled_from((None, *TIERS)), st.sampled_from((None, *TIERS))),
    max_size=6,
)


@given(
    changes=changes_strategy,
    anchor=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 28)).filter(
        lambda d: d.day <= 28
    ),
    day=days,
)
def test_discount_in_force_against_a_walk_of_the_periods(changes, anchor, day):
    expected = _reference_discount(changes, _reference_period_start(anchor, day))
    assert discount_in_force(changes, DISCOUNTS, anchor, "monthly", day) == expected


@given(
    changes=changes_strategy,
    after=st.integers(min_value=1, max_value=400),
    new=st.sampled_from(TIERS),
    day=days,
)
def test_a_tier_change_never_reaches_a_period_already_started(changes, after, new, day):
    """A change dated after the first day of the period containing ``day`` (the latest change
    so far) leaves that period's discount as it was."""
    anchor = date(2025, 1, 1)
    start = _reference_period_start(anchor, day)
    change_day = max([start, *(change[0] for change in changes)]) + timedelta(days=after)
    old = changes[-1][2] if changes else None
    later = [*changes, (change_day, old, new)]
    assert discount_in_force(later, DISCOUNTS, anchor, "monthly", day) == discount_in_force(
        changes, DISCOUNTS, anchor, "monthly", day
    )


def test_the_first_period_and_quarterly_periods():
    changes = [(date(2026, 1, 1), None, "silver"), (date(2026, 6, 10), "silver", "gold")]
    # a subscription starting on June 15th (after the change): its first period is Gold,
    # also read before it starts
    june = date(2026, 6, 15)
    assert discount_in_force(changes, DISCOUNTS, june, "monthly", date(2026, 6, 1)) == 12.5
    # quarterly from January: the change of June 10th waits for July
    january = date(2026, 1, 1)
    assert discount_in_force(changes, DISCOUNTS, january, "quarterly", date(2026, 6, 30)) == 5.0
    assert discount_in_force(changes, DISCOUNTS, january, "quarterly", date(2026, 7, 1)) == 12.5
