"""``core.ledger.edit_steps``: the MRR changes an edit of lines books, against a day-by-day
reference."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ...core.ledger import edit_steps, running_mrr
from .. import hypothesis_settings  # noqa: F401  (the module's Hypothesis profile)

ANCHOR = date(2026, 1, 1)


def reference_running(terms, day, pause):
    """The MRR of ``terms`` on ``day``, one line at a time (the simplest statement of it)."""
    if pause is not None and day >= pause:
        return {}
    total = {}
    for key, mrr, start, end in terms:
        if start <= day and (end is None or day <= end):
            total[key] = total.get(key, 0) + mrr
    return total


terms_strategy = st.lists(
    st.tuples(
        st.sampled_from(["hosting", "application"]),
        st.integers(min_value=1, max_value=900),
        st.integers(min_value=0, max_value=120),
        st.one_of(st.none(), st.integers(min_value=-1, max_value=120)),
    ).map(
        lambda t: (
            t[0],
            t[1],
            ANCHOR + timedelta(days=t[2]),
            None if t[3] is None else ANCHOR + timedelta(days=t[2] + t[3]),
        )
    ),
    max_size=4,
)


@given(
    old=terms_strategy,
    new=terms_strategy,
    until=st.integers(min_value=0, max_value=260),
    pause=st.one_of(st.none(), st.integers(min_value=0, max_value=260)),
)
def test_steps_add_up_to_the_difference_on_every_day(old, new, until, pause):
    until = ANCHOR + timedelta(days=until)
    pause = None if pause is None else ANCHOR + timedelta(days=pause)
    steps = edit_steps(old, new, until, pause)
    assert [day for day, _changes in steps] == sorted({day for day, _changes in steps})
    assert all(day <= until for day, _changes in steps)
    booked = {}
    by_day = dict(steps)
    day = ANCHOR - timedelta(days=1)
    while day <= until:
        for key, change in by_day.get(day, {}).items():
            booked[key] = booked.get(key, 0) + change
        before, after = reference_running(old, day, pause), reference_running(new, day, pause)
        expected = {key: after.get(key, 0) - before.get(key, 0) for key in {*before, *after}}
        assert {k: v for k, v in booked.items() if v} == {k: v for k, v in expected.items() if v}
        day += timedelta(days=1)


def test_an_end_moved_later_books_the_days_between_only():
    line = ("hosting", 500.0, ANCHOR, date(2026, 3, 31))
    moved = ("hosting", 500.0, ANCHOR, date(2026, 5, 31))
    assert edit_steps([line], [moved], date(2026, 12, 31)) == [
        (date(2026, 4, 1), {"hosting": 500.0}),
        (date(2026, 6, 1), {"hosting": -500.0}),
    ]
    # up to a day between them: only the first
    assert edit_steps([line], [moved], date(2026, 4, 30)) == [
        (date(2026, 4, 1), {"hosting": 500.0})
    ]


def test_nothing_counts_from_the_pause():
    added = ("application", 200.0, date(2026, 2, 1), None)
    assert edit_steps([], [added], date(2026, 12, 31), pause=date(2026, 3, 1)) == [
        (date(2026, 2, 1), {"application": 200.0}),
        (date(2026, 3, 1), {"application": -200.0}),
    ]
    assert running_mrr([added], date(2026, 3, 1), pause=date(2026, 3, 1)) == {}
