"""Lines added, edited, ended or removed on an active subscription outside the Change action
keep the MRR ledger in line: a property over random edits through the ORM, and the cases a
channel manager meets in the subscription form."""

import contextlib
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common import BillingCommon
from .hypothesis_settings import ODOO_MAX_EXAMPLES

ANCHOR = date(2026, 1, 1)
TODAY = date(2026, 6, 15)
LAYERS = {"hosting": "hosting", "support": "application"}


class _Rollback(Exception):
    pass


def reference_mrr(lines, day):
    """``{layer: mrr}`` of the reference lines running on ``day`` (monthly: price = MRR)."""
    total = {}
    for layer, price, start, end in lines.values():
        if start <= day and (end is None or day <= end):
            total[layer] = total.get(layer, 0.0) + price
    return {layer: amount for layer, amount in total.items() if amount}


@freeze_time(f"{TODAY} 10:00:00")
@tagged("post_install", "-at_install")
class TestLedgerLines(BillingCommon):
    def _ledger(self, subscription, day):
        groups = self.env["billing.mrr.movement"]._read_group(
            [("subscription_id", "=", subscription.id), ("date", "<=", day)],
            ["revenue_layer"],
            ["amount:sum"],
        )
        return {layer: amount for layer, amount in groups if round(amount, 2)}

    def _movements(self, subscription):
        return [
            (m.date, m.revenue_layer, m.movement_type, m.amount)
            for m in self.env["billing.mrr.movement"].search(
                [("subscription_id", "=", subscription.id)], order="date, id"
            )
        ]

    def test_line_added_in_the_form_books_its_start_and_its_end(self):
        subscription = self._subscription(lines=[("hosting", 500.0)])
        subscription.write(
            {
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.support.id,
                            "service_type": "support",
                            "price_unit": 200.0,
                            "date_start": date(2026, 3, 1),
                            "date_end": date(2026, 8, 31),
                        }
                    )
                ]
            }
        )
        self.assertEqual(
            self._movements(subscription),
            [
                (ANCHOR, "hosting", "new", 500.0),
                (date(2026, 3, 1), "application", "expansion", 200.0),
                (date(2026, 9, 1), "application", "contraction", -200.0),
            ],
        )
        self.assertEqual(subscription.mrr, 700.0)

    def test_end_date_set_moved_and_cleared(self):
        subscription = self._subscription(lines=[("hosting", 500.0), ("support", 200.0)])
        support = subscription.line_ids.filtered(lambda line: line.service_type == "support")
        # back-dated: booked on the day after the end, in the past
        support.date_end = date(2026, 4, 30)
        self.assertEqual(self._ledger(subscription, date(2026, 5, 1)), {"hosting": 500.0})
        # moved to the future: the past keeps its movement, the plan follows the line
        support.date_end = date(2026, 10, 31)
        self.assertEqual(
            self._movements(subscription)[-2:],
            [
                (date(2026, 5, 1), "application", "expansion", 200.0),
                (date(2026, 11, 1), "application", "contraction", -200.0),
            ],
        )
        # cleared: no end planned any more
        support.date_end = False
        self.assertEqual(
            self._ledger(subscription, date(2027, 1, 1)), self._ledger(subscription, TODAY)
        )
        self.assertEqual(
            self._ledger(subscription, date(2027, 1, 1)), {"hosting": 500.0, "application": 200.0}
        )

    def test_closing_still_books_one_churn_with_its_reason(self):
        subscription = self._subscription(lines=[("hosting", 500.0), ("support", 200.0)])
        subscription.line_ids[1].date_end = date(2026, 12, 31)
        subscription.action_close(date(2026, 6, 1), reason="churned")
        churn = [m for m in self._movements(subscription) if m[0] >= date(2026, 6, 1)]
        self.assertEqual(
            churn,
            [
                (date(2026, 6, 1), "application", "churn", -200.0),
                (date(2026, 6, 1), "hosting", "churn", -500.0),
            ],
        )
        self.assertEqual(
            set(
                self.env["billing.mrr.movement"]
                .search(
                    [("subscription_id", "=", subscription.id), ("movement_type", "=", "churn")]
                )
                .mapped("reason")
            ),
            {"churned"},
        )

    @settings(max_examples=ODOO_MAX_EXAMPLES, deadline=None)
    @given(
        operations=st.lists(
            st.tuples(
                st.sampled_from(["add", "end", "reopen", "price", "unlink", "change"]),
                st.integers(min_value=0, max_value=5),
                st.integers(min_value=0, max_value=540),
                st.integers(min_value=1, max_value=60).map(lambda n: n * 10.0),
                st.sampled_from(["hosting", "support"]),
            ),
            max_size=6,
        )
    )
    def test_ledger_is_the_running_lines_mrr_on_every_day(self, operations):
        """Whatever edits are made, the ledger summed to any day is the MRR of the lines
        running that day, per layer, and no movement up to today is ever removed."""
        with contextlib.suppress(_Rollback), self.env.cr.savepoint():
            self._check_operations(operations)
            raise _Rollback
        self.env.invalidate_all()

    def _check_operations(self, operations):
        subscription = self._subscription(lines=[("hosting", 500.0)])
        first = subscription.line_ids
        lines = {first: ("hosting", 500.0, ANCHOR, None)}
        products = {"hosting": self.hosting, "support": self.support}
        history = set()
        for kind, index, offset, price, service in operations:
            day = ANCHOR + timedelta(days=offset)
            records = list(lines)
            line = records[index % len(records)] if records else None
            layer, old_price, start, end = lines[line] if line else (None, None, None, None)
            if kind == "add":
                new = self.env["billing.subscription.line"].create(
                    {
                        "subscription_id": subscription.id,
                        "product_id": products[service].id,
                        "service_type": service,
                        "price_unit": price,
                        "date_start": day,
                    }
                )
                lines[new] = (LAYERS[service], price, day, None)
            elif not line:
                continue
            elif kind == "end" and day >= start - timedelta(days=1):
                line.date_end = day
                lines[line] = (layer, old_price, start, day)
            elif kind == "reopen":
                line.date_end = False
                lines[line] = (layer, old_price, start, None)
            elif kind == "price":
                line.price_unit = price
                lines[line] = (layer, price, start, end)
            elif kind == "unlink":
                line.unlink()
                del lines[line]
            elif kind == "change" and (end is None or day <= end):
                new = line.action_change(day, price_unit=price)
                if new == line:
                    lines[line] = (layer, price, start, end)
                else:
                    lines[line] = (layer, old_price, start, day - timedelta(days=1))
                    lines[new] = (layer, price, day, end)
            past = self.env["billing.mrr.movement"].search(
                [("subscription_id", "=", subscription.id), ("date", "<=", TODAY)]
            )
            self.assertLessEqual(history, set(past.ids), "a movement up to today was removed")
            history = set(past.ids)
        days = {ANCHOR, TODAY}
        for _layer, _price, start, end in lines.values():
            days |= {start - timedelta(days=1), start}
            if end:
                days |= {end, end + timedelta(days=1)}
        for day in sorted(days):
            self.assertEqual(
                self._ledger(subscription, day),
                reference_mrr(lines, day),
                f"on {day} after {operations}",
            )
