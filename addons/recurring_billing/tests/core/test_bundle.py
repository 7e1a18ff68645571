from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from ...core import bundle as core
from .. import hypothesis_settings  # noqa: F401 (the module's profiles)

PARTNER = core.Partner(7, "active", 1, 2)
OPEN = core.Bundle(True, True, (), (), "2")


@pytest.mark.parametrize(
    "partner, bundle, owners, expected",
    [
        (PARTNER, OPEN, (), None),
        (PARTNER, OPEN, {7}, None),
        (PARTNER._replace(membership_state="suspended"), OPEN, (), core.NO_MEMBERSHIP),
        (PARTNER._replace(membership_state=False), OPEN, (), core.NO_MEMBERSHIP),
        (PARTNER._replace(membership_state="ended"), OPEN, {9}, core.NO_MEMBERSHIP),
        (PARTNER, OPEN._replace(published=False), (), core.BUNDLE_UNAVAILABLE),
        (PARTNER, OPEN._replace(active=False), (), core.BUNDLE_UNAVAILABLE),
        (PARTNER, OPEN._replace(type_ids=(1, 3)), (), None),
        (PARTNER, OPEN._replace(type_ids=(3,)), (), core.TYPE_NOT_ALLOWED),
        (PARTNER, OPEN._replace(tier_ids=(5,)), (), core.TIER_NOT_ALLOWED),
        (PARTNER, OPEN, {9}, core.FOREIGN_CUSTOMER),
        (PARTNER, OPEN, {7, 9}, core.FOREIGN_CUSTOMER),
        (PARTNER, OPEN, {0}, core.FOREIGN_CUSTOMER),
    ],
)
def test_order_refusal(partner, bundle, owners, expected):
    assert core.order_refusal(partner, bundle, owners) == expected


def test_catalogue_rules():
    assert core.available(PARTNER, OPEN)
    assert not core.available(PARTNER, OPEN._replace(tier_ids=(3,)))


def test_needs_project():
    assert [core.needs_project(tier) for tier in ("1", "2", "3", False)] == [
        False,
        True,
        True,
        False,
    ]


prices = st.decimals(min_value=0, max_value=10**5, places=2)


@given(
    lines=st.lists(
        st.tuples(prices, st.integers(min_value=1, max_value=5), st.booleans()), max_size=10
    ),
    periodicity=st.sampled_from(["monthly", "quarterly", "yearly"]),
)
def test_a_bundle_bills_its_monthly_wholesale_every_month(lines, periodicity):
    """Billed per period, a bundle's recurring lines bring its monthly wholesale every month
    (the reference: the period price spread over the period's months)."""
    bundle_lines = [core.BundleLine(float(price), qty, rec) for price, qty, rec in lines]
    months = {"monthly": 1, "quarterly": 3, "yearly": 12}[periodicity]
    billed_per_month = sum(
        core.period_price(line.monthly_price, periodicity, line.recurring) * line.quantity / months
        for line in bundle_lines
        if line.recurring
    )
    assert billed_per_month == pytest.approx(core.wholesale_mrr(bundle_lines), abs=1e-6)
    assert core.one_time_total(bundle_lines) == pytest.approx(
        sum(float(p) * q for p, q, rec in lines if not rec), abs=1e-6
    )


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    months=st.integers(min_value=1, max_value=60),
)
def test_commitment_end_against_a_month_counter(start, months):
    """The commitment ends the day before the same day ``months`` later (or the month's last
    day when it has no such day): counted month by month."""
    end = core.commitment_end(start, months)
    following = end + timedelta(days=1)
    assert following == start + relativedelta(months=months)
    month_count = (following.year - start.year) * 12 + following.month - start.month
    assert month_count == months
    assert core.commitment_end(start, 0) is None
