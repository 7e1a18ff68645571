"""Property tests of the billing arithmetic over random histories, against a simple reference.

The histories drive ``core.billing.due_items`` the way the models do (a change ends the line the
day before and starts a new one; a pause stops the lines the day before; a resume invoices what
is due, then skips the paused days; a close ends everything; runs happen on random dates, also
after a later back-dated change, and again). The reference knows nothing of periods cut at
high-water marks: it adds, day by day, ``price / days in that day's billing period`` over the
days each line served, with the periods computed by ``dateutil``.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from ...core import billing
from ...core.ledger import CHURN, NEW, REACTIVATION, classify
from ...core.periods import MONTHS
from ...core.reconcile import expected_revenue, invoiced_revenue
from .. import hypothesis_settings  # noqa: F401  (loads the profile)


def reference_period(anchor, periodicity, day):
    """``(start, end)`` of the period containing ``day``, by plain iteration."""
    step, index = MONTHS[periodicity], 0
    while anchor + relativedelta(months=step * (index + 1)) <= day:
        index += 1
    start = anchor + relativedelta(months=step * index)
    return start, anchor + relativedelta(months=step * (index + 1)) - timedelta(days=1)


class History:
    """One subscription driven through ``core.billing`` as the models drive it."""

    def __init__(self, anchor, periodicity, prepaid, price):
        self.anchor, self.periodicity, self.prepaid = anchor, periodicity, prepaid
        self.lines = [{"price": price, "start": anchor, "end": None, "last": None, "rec": True}]
        self.pause = None
        self.sub_end = None
        self.pauses = []  # (first paused day, first day served again or None)
        self.billed = []  # (line index, kind, start, end, amount)
        self.keys = set()

    def end_limit(self, line):
        ends = [d for d in (line["end"], self.sub_end) if d]
        if self.pause:
            ends.append(self.pause - timedelta(days=1))
        return min(ends) if ends else None

    def run(self, reference_date):
        for index, line in enumerate(self.lines):
            limit = self.end_limit(line)
            items = billing.due_items(
                self.anchor,
                self.periodicity,
                self.prepaid,
                line["rec"],
                line["start"],
                line["last"],
                limit,
                reference_date,
            )
            for kind, start, end, ratio in items:
                key = (index, start, kind)
                assert key not in self.keys, f"{key} billed twice"
                self.keys.add(key)
                sign = -1 if kind == "credit" else 1
                self.billed.append((index, kind, start, end, sign * line["price"] * ratio))
                line["last"] = billing.mark_after(kind, end, limit)

    def current(self):
        return self.lines[-1] if self.lines[-1]["rec"] else self.recurring()[-1]

    def recurring(self):
        return [line for line in self.lines if line["rec"]]

    def change(self, day, price):
        line = self.current()
        if self.pause or line["end"] or day <= line["start"]:
            return
        line["end"] = day - timedelta(days=1)
        self.lines.append({"price": price, "start": day, "end": None, "last": None, "rec": True})

    def one_time(self, day, price):
        if not self.pause:
            self.lines.append(
                {"price": price, "start": day, "end": None, "last": None, "rec": False}
            )

    def do_pause(self, day):
        if not self.pause:
            self.pause = day
            self.pauses.append([day, None])

    def resume(self, day):
        if not self.pause or day < self.pause:
            return
        self.run(day)
        skip_to = day - timedelta(days=1)
        for line in self.recurring():
            own_end = min(d for d in (line["end"], self.sub_end, skip_to) if d)
            mark = line["last"] or line["start"] - timedelta(days=1)
            if line["start"] <= skip_to and mark < own_end:
                line["last"] = own_end
        self.pauses[-1][1] = day
        self.pause = None

    def close(self, day):
        last_day = max(day - timedelta(days=1), self.anchor)
        for line in self.lines:
            if not line["end"] or line["end"] > last_day:
                line["end"] = last_day
        self.sub_end = last_day

    def served(self, line, day):
        if day < line["start"] or (line["end"] and day > line["end"]):
            return False
        return not any(p <= day and (r is None or day < r) for p, r in self.pauses)

    def reference(self, line):
        """``price / days of the day's period`` over the days the line served."""
        if not line["rec"]:
            return line["price"]
        total, day = 0.0, line["start"]
        while day <= line["end"]:
            if self.served(line, day):
                start, end = reference_period(self.anchor, self.periodicity, day)
                total += line["price"] / ((end - start).days + 1)
            day += timedelta(days=1)
        return total


EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["run", "run", "change", "pause", "resume", "one_time", "rerun"]),
        st.integers(min_value=1, max_value=120),  # days after the previous dated event
        st.integers(min_value=-60, max_value=90),  # a run's date around it (back-dated changes)
        st.integers(min_value=0, max_value=2000),
    ),
    max_size=12,
)


@given(
    anchor=st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31)),
    periodicity=st.sampled_from(["monthly", "quarterly", "yearly"]),
    prepaid=st.booleans(),
    price=st.integers(min_value=0, max_value=5000),
    events=EVENTS,
    close_after=st.integers(min_value=1, max_value=200),
)
def test_billed_equals_price_integrated_over_served_days(
    anchor, periodicity, prepaid, price, events, close_after
):
    history = History(anchor, periodicity, prepaid, float(price))
    day, last_run = anchor, anchor
    for kind, gap, run_offset, amount in events:
        if kind in ("run", "rerun"):
            last_run = max(anchor, day + timedelta(days=run_offset))
            history.run(last_run)
            if kind == "rerun":
                before = len(history.billed)
                history.run(last_run)
                assert len(history.billed) == before, "a rerun on the same date bills nothing"
            continue
        day += timedelta(days=gap)
        if kind == "change":
            history.change(day, float(amount))
        elif kind == "pause":
            history.do_pause(day)
        elif kind == "resume":
            history.resume(day)
        else:
            history.one_time(day, float(amount))
    history.close(day + timedelta(days=close_after))
    history.run(max(day, last_run) + timedelta(days=close_after + 800))
    for index, line in enumerate(history.lines):
        billed = sum(amount for i, _k, _s, _e, amount in history.billed if i == index)
        assert abs(billed - history.reference(line)) < 1e-6, (index, line, history.billed)
    # and nothing is left to bill or credit
    history.run(max(day, last_run) + timedelta(days=close_after + 2000))
    assert len(history.keys) == len(history.billed)


@given(
    anchor=st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31)),
    periodicity=st.sampled_from(["monthly", "quarterly", "yearly"]),
    prices=st.lists(st.tuples(st.integers(1, 200), st.integers(0, 3000)), min_size=1, max_size=6),
)
def test_ledger_revenue_reconciles_with_what_is_billed(anchor, periodicity, prices):
    """``core.reconcile``: the revenue the MRR movements expect over the served days equals the
    revenue billed, when every change went through both."""
    history = History(anchor, periodicity, True, float(prices[0][1]))
    day = anchor
    for gap, price in prices[1:]:
        day += timedelta(days=gap)
        history.change(day, float(price))
    end = day + timedelta(days=45)
    history.close(end + timedelta(days=1))
    history.run(end + timedelta(days=800))
    months = MONTHS[periodicity]
    movements, mrr = [], 0.0
    for line in history.lines:
        movements.append((line["start"], line["price"] / months - mrr))
        mrr = line["price"] / months
    movements.append((end + timedelta(days=1), -mrr))
    periods, cursor = [], anchor
    while cursor <= end:
        start, stop = reference_period(anchor, periodicity, cursor)
        periods.append((start, stop, months))
        cursor = stop + timedelta(days=1)
    billed = [(start, stop, amount) for _i, _k, start, stop, amount in history.billed]
    expected = expected_revenue(movements, periods, anchor, end)
    invoiced = invoiced_revenue(billed, anchor, end)
    assert abs(expected - invoiced) < 1e-6


@given(
    changes=st.lists(
        st.dictionaries(
            st.sampled_from(["s1", "s2", "s3"]),
            st.integers(min_value=-500, max_value=500).map(float),
            min_size=1,
        ),
        max_size=15,
    )
)
def test_movements_sum_to_mrr_and_follow_chartmogul(changes):
    """Whatever the changes of one customer's subscriptions (never below zero each), the
    movements sum to its MRR, churn only takes it to zero, new and reactivation only start from
    zero, and new business happens once."""
    by_key, history, total_moves = {}, False, []
    for deltas in changes:
        deltas = {key: max(delta, -by_key.get(key, 0.0)) for key, delta in deltas.items()}
        before = sum(by_key.values())
        moves = classify(before, deltas, had_mrr_before=history)
        for key, kind, amount in moves:
            by_key[key] = by_key.get(key, 0.0) + amount
            total_moves.append(kind)
        after = sum(by_key.values())
        kinds = {kind for _key, kind, _amount in moves}
        if CHURN in kinds:
            assert after < 1e-6 < before
        if kinds & {NEW, REACTIVATION}:
            assert before < 1e-6 < after
        history = history or after > 1e-6
    assert total_moves.count(NEW) <= len(by_key)
    assert all(value >= -1e-6 for value in by_key.values())
