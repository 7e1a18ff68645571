from datetime import date

import pytest

from ...core.periods import (
    Period,
    add_months,
    due_periods,
    next_invoice_date,
    period_containing,
)


def test_add_months_clamps_to_month_end_and_keeps_anchor():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 31), 2) == date(2026, 3, 31)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_period_containing():
    assert period_containing(date(2026, 1, 15), "monthly", date(2026, 3, 1)) == (
        1,
        date(2026, 2, 15),
        date(2026, 3, 14),
    )
    assert period_containing(date(2026, 1, 1), "quarterly", date(2026, 6, 30)) == (
        1,
        date(2026, 4, 1),
        date(2026, 6, 30),
    )
    assert period_containing(date(2026, 1, 1), "yearly", date(2027, 1, 1))[0] == 1
    with pytest.raises(ValueError):
        period_containing(date(2026, 1, 1), "monthly", date(2025, 12, 31))


def test_prepaid_monthly_backlog_is_caught_up_in_one_call():
    periods = due_periods(date(2026, 1, 1), "monthly", True, None, date(2026, 3, 1))
    assert periods == [
        Period(date(2026, 1, 1), date(2026, 1, 31), date(2026, 1, 1)),
        Period(date(2026, 2, 1), date(2026, 2, 28), date(2026, 2, 1)),
        Period(date(2026, 3, 1), date(2026, 3, 31), date(2026, 3, 1)),
    ]


def test_postpaid_is_invoiced_the_day_after_the_period():
    assert due_periods(date(2026, 1, 1), "monthly", False, None, date(2026, 1, 31)) == []
    assert due_periods(date(2026, 1, 1), "monthly", False, None, date(2026, 2, 1)) == [
        Period(date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 1))
    ]


def test_high_water_mark_excludes_invoiced_periods():
    periods = due_periods(date(2026, 1, 1), "quarterly", True, date(2026, 3, 31), date(2026, 9, 30))
    assert [p.start for p in periods] == [date(2026, 4, 1), date(2026, 7, 1)]
    assert (
        due_periods(date(2026, 1, 1), "yearly", True, date(2026, 12, 31), date(2026, 12, 31)) == []
    )


def test_line_added_mid_period_starts_from_its_own_day():
    # the line starts on 10 Feb in a subscription anchored on the 1st: first period is partial
    periods = due_periods(date(2026, 1, 1), "monthly", True, date(2026, 2, 9), date(2026, 2, 28))
    assert periods == [Period(date(2026, 2, 10), date(2026, 2, 28), date(2026, 2, 10))]


def test_end_date_cuts_the_last_period():
    periods = due_periods(
        date(2026, 1, 1), "monthly", False, None, date(2026, 12, 31), date(2026, 2, 14)
    )
    assert periods == [
        Period(date(2026, 1, 1), date(2026, 1, 31), date(2026, 2, 1)),
        Period(date(2026, 2, 1), date(2026, 2, 14), date(2026, 2, 15)),
    ]
    assert (
        due_periods(
            date(2026, 1, 1),
            "monthly",
            False,
            date(2026, 2, 14),
            date(2027, 1, 1),
            date(2026, 2, 14),
        )
        == []
    )


def test_next_invoice_date():
    assert next_invoice_date(date(2026, 1, 1), "monthly", True, None) == date(2026, 1, 1)
    assert next_invoice_date(date(2026, 1, 1), "monthly", False, date(2026, 1, 31)) == date(
        2026, 3, 1
    )
    assert (
        next_invoice_date(date(2026, 1, 1), "yearly", True, date(2026, 12, 31), date(2026, 12, 31))
        is None
    )
