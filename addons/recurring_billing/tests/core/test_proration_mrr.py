from datetime import date

import pytest

from ...core.mrr import arr, monthly_amount
from ...core.proration import (
    change_adjustment,
    days_between,
    prorata_ratio,
    split_for_change,
)


def test_days_inclusive():
    assert days_between(date(2026, 2, 1), date(2026, 2, 28)) == 28
    assert days_between(date(2026, 2, 2), date(2026, 2, 1)) == 0


def test_ratio_counts_days_of_the_billed_period():
    feb = (date(2026, 2, 1), date(2026, 2, 28))
    mar = (date(2026, 3, 1), date(2026, 3, 31))
    assert prorata_ratio(date(2026, 2, 1), date(2026, 2, 1), *feb) == pytest.approx(1 / 28)
    assert prorata_ratio(date(2026, 3, 1), date(2026, 3, 1), *mar) == pytest.approx(1 / 31)
    assert prorata_ratio(date(2026, 2, 15), date(2026, 3, 31), *feb) == pytest.approx(14 / 28)
    with pytest.raises(ValueError):
        prorata_ratio(date(2026, 2, 1), date(2026, 2, 1), date(2026, 2, 2), date(2026, 2, 1))


def test_upgrade_on_day_d_bills_new_price_from_d():
    old, new = split_for_change(
        date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 16), 300.0, 600.0
    )
    assert old == pytest.approx(150.0)
    assert new == pytest.approx(300.0)
    amount, ratio = change_adjustment(
        date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 16), 300.0, 600.0
    )
    assert ratio == pytest.approx(0.5)
    assert amount == pytest.approx(150.0)
    # a downgrade credits the remaining days
    amount, _ratio = change_adjustment(
        date(2026, 4, 1), date(2026, 4, 30), date(2026, 4, 16), 600.0, 300.0
    )
    assert amount == pytest.approx(-150.0)


def test_mrr_normalisation():
    assert monthly_amount(100.0, 2, "monthly") == 200.0
    assert monthly_amount(300.0, 1, "quarterly") == 100.0
    assert monthly_amount(1200.0, 1, "yearly") == 100.0
    assert monthly_amount(1000.0, 1, "monthly", discount=10) == pytest.approx(900.0)
    # implementation and onboarding is one-time revenue: never MRR
    assert monthly_amount(25000.0, 1, "monthly", recurring=False) == 0.0
    assert arr(100.0) == 1200.0
