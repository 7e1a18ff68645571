from datetime import date

import pytest

from ...core.reconcile import expected_revenue, invoiced_revenue

APRIL = (date(2026, 4, 1), date(2026, 4, 30), 1)


def test_constant_mrr_over_a_full_month():
    moves = [(date(2026, 1, 1), 300.0)]
    assert expected_revenue(moves, [APRIL], date(2026, 4, 1), date(2026, 4, 30)) == pytest.approx(
        300
    )


def test_mid_month_upgrade_matches_prorated_invoices():
    moves = [(date(2026, 1, 1), 300.0), (date(2026, 4, 16), 300.0)]
    expected = expected_revenue(moves, [APRIL], date(2026, 4, 1), date(2026, 4, 30))
    assert expected == pytest.approx(150 + 300)
    billed = [
        (date(2026, 4, 1), date(2026, 4, 30), 300.0),  # pre-paid at the old price
        (date(2026, 4, 16), date(2026, 4, 30), -150.0),  # credit of the old price
        (date(2026, 4, 16), date(2026, 4, 30), 300.0),  # new price, 15/30
    ]
    assert invoiced_revenue(billed, date(2026, 4, 1), date(2026, 4, 30)) == pytest.approx(expected)


def test_quarterly_period_uses_its_own_daily_rate():
    q2 = (date(2026, 4, 1), date(2026, 6, 30), 3)
    moves = [(date(2026, 4, 1), 100.0)]
    expected = expected_revenue(moves, [q2], date(2026, 4, 1), date(2026, 6, 30))
    assert expected == pytest.approx(300)
    assert invoiced_revenue(
        [(date(2026, 4, 1), date(2026, 6, 30), 300.0)], date(2026, 5, 1), date(2026, 5, 31)
    ) == pytest.approx(300 * 31 / 91)


def test_unbilled_period_shows_as_difference():
    moves = [(date(2026, 1, 1), 300.0)]
    assert invoiced_revenue([], *APRIL[:2]) == 0
    assert expected_revenue(moves, [APRIL], *APRIL[:2]) == pytest.approx(300)
