"""A property over random histories, through the ORM, PostgreSQL and real invoices.

Each example starts a subscription, then upgrades, downgrades, changes its quantity, adds a
one-time charge, pauses, resumes and runs the billing on random dates (again, and before a
back-dated change), closes it and bills what is left. It checks against the reference of
``tests/core/test_billing_properties.py`` (price x quantity over the days served, period by
period): every run succeeds, each line's posted invoices minus credit notes equal it to the cent
per invoice line, no (line, period) is billed twice, the ledger summed to any date equals the
MRR of the lines served that day, and the reconciliation against the books shows nothing.
"""

import contextlib
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.tests import tagged

from .common import BillingCommon
from .core.test_billing_properties import reference_period
from .hypothesis_settings import ODOO_MAX_EXAMPLES

ANCHOR = date(2026, 1, 1)
MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestBillingProperties(BillingCommon):
    def _served(self, line, day, pauses):
        if day < line.date_start or (line.date_end and day > line.date_end):
            return False
        return not any(p <= day and (r is None or day < r) for p, r in pauses)

    def _reference(self, subscription, line, pauses):
        if not line.recurring:
            return line.price_unit * line.quantity
        total, day = 0.0, line.date_start
        while day <= line.date_end:
            if self._served(line, day, pauses):
                start, end = reference_period(ANCHOR, subscription.periodicity, day)
                total += line.price_unit * line.quantity / ((end - start).days + 1)
            day += timedelta(days=1)
        return total

    @settings(max_examples=ODOO_MAX_EXAMPLES, deadline=None)
    @given(
        periodicity=st.sampled_from(["monthly", "quarterly", "yearly"]),
        prepaid=st.booleans(),
        price=st.integers(min_value=1, max_value=100).map(lambda n: n * 12.0),
        events=st.lists(
            st.tuples(
                st.sampled_from(["run", "change", "quantity", "pause", "resume", "one_time"]),
                st.integers(min_value=1, max_value=70),
                st.integers(min_value=-40, max_value=60),
                st.integers(min_value=0, max_value=100),
            ),
            max_size=7,
        ),
        close_after=st.integers(min_value=1, max_value=90),
    )
    def test_random_history(self, periodicity, prepaid, price, events, close_after):
        # each example is rolled back, so that the next one starts from the same data
        with contextlib.suppress(_Rollback), self.env.cr.savepoint():
            self._check_history(periodicity, prepaid, price, events, close_after)
            raise _Rollback
        self.env.invalidate_all()

    def _check_history(self, periodicity, prepaid, price, events, close_after):
        subscription = self._subscription(
            start=ANCHOR,
            lines=[("hosting", price)],
            periodicity=periodicity,
            invoicing_mode="prepaid" if prepaid else "postpaid",
        )
        runs = self.env["billing.run"]
        day, last_run, pauses = ANCHOR, ANCHOR, []

        def current():
            return subscription.line_ids.filtered(lambda line: line.recurring)[-1:]

        for kind, gap, run_offset, amount in events:
            if kind == "run":
                last_run = max(ANCHOR, day + timedelta(days=run_offset))
                runs |= self._run(last_run) | self._run(last_run)  # and a rerun
                continue
            day += timedelta(days=gap)
            paused = subscription.state == "paused"
            line = current()
            if kind in ("change", "quantity") and not paused and not line.date_end:
                if kind == "change":
                    line.action_change(day, price_unit=amount * 12.0)
                else:
                    line.action_change(day, quantity=amount % 4 + 1)
            elif kind == "pause" and not paused:
                subscription.action_pause(day)
                pauses.append([day, None])
            elif kind == "resume" and paused:
                subscription.action_resume(day)
                pauses[-1][1] = day
            elif kind == "one_time" and not paused:
                subscription.write(
                    {
                        "line_ids": [
                            Command.create(
                                {
                                    "product_id": self.implementation.id,
                                    "service_type": "implementation",
                                    "price_unit": amount * 10.0,
                                    "date_start": day,
                                }
                            )
                        ]
                    }
                )
        close = day + timedelta(days=close_after)
        subscription.action_close(close)
        runs |= self._run(max(close, last_run) + timedelta(days=400))

        self.assertFalse(
            runs.line_ids.filtered(lambda line: line.result == "failed").mapped("message"),
            "every run of a valid history succeeds",
        )
        moves = subscription.invoice_ids
        self.assertEqual(set(moves.mapped("state")), {"posted"} if moves else set())
        for line in subscription.line_ids:
            move_lines = moves.invoice_line_ids.filtered(
                lambda ml, line=line: ml.billing_line_id == line
            )
            billed = sum(
                ml.price_subtotal * (-1 if ml.move_id.move_type == "out_refund" else 1)
                for ml in move_lines
            )
            self.assertAlmostEqual(
                billed,
                self._reference(subscription, line, pauses),
                delta=0.005 * len(move_lines) + 1e-6,
                msg=f"{line.name} from {line.date_start} to {line.date_end}",
            )
        periods = subscription.period_ids
        keys = {(p.line_id.id, p.period_start, p.kind) for p in periods}
        self.assertEqual(len(keys), len(periods), "no (line, period) billed twice")
        Movement = self.env["billing.mrr.movement"]
        probe = ANCHOR
        while probe <= close + timedelta(days=1):
            ledger = sum(
                Movement.search(
                    [("subscription_id", "=", subscription.id), ("date", "<=", probe)]
                ).mapped("amount")
            )
            expected = sum(
                line.price_unit * line.quantity / MONTHS[periodicity]
                for line in subscription.line_ids
                if line.recurring and self._served(line, probe, pauses)
            )
            self.assertAlmostEqual(ledger, expected, places=2, msg=f"MRR on {probe}")
            probe += timedelta(days=9)
        self.assertFalse(
            self.env["billing.reconciliation"]._compare(ANCHOR, close, subscription),
            "the reconciliation shows no difference",
        )
