from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ...core import registration as reg

days = st.integers(min_value=0, max_value=3650)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))


@given(dates, days)
def test_protected_exactly_through_the_last_day(approved_on, window):
    until = reg.protected_until(approved_on, window)
    assert (until - approved_on).days == window
    assert reg.is_protected(until, approved_on)
    assert reg.is_protected(until, until)
    assert not reg.is_protected(until, until + timedelta(days=1))


@given(dates, days)
def test_decision_overdue_since_is_the_reference(today, window):
    # reference: a submission is overdue once ``window`` whole days have passed
    since = reg.decision_overdue_since(today, window)
    assert all(
        ((today - registered).days >= window) == (registered <= since)
        for registered in (since - timedelta(days=1), since, since + timedelta(days=1))
    )


def test_no_protection_and_negative_windows():
    assert not reg.is_protected(None, date(2026, 1, 1))
    with pytest.raises(ValueError):
        reg.protected_until(date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        reg.decision_overdue_since(date(2026, 1, 1), -1)
