from collections import defaultdict

from odoo import fields, models

from ..core.ledger import classify


class BillingSubscription(models.Model):
    """The MRR ledger of a subscription: what it brings on a day, and the movements that bring
    the ledger in line with it (classified by ``core.ledger``)."""

    _inherit = "billing.subscription"

    def _mrr_by_layer_at(self, date):
        """``{layer: mrr}`` this subscription brings on ``date`` according to its current lines."""
        self.ensure_one()
        result = defaultdict(float)
        if self.state == "draft" or (self.pause_date and self.pause_date <= date):
            return result
        for line in self.line_ids:
            if line._is_running(date):
                result[line.revenue_layer] += line.mrr
        return result

    def _sync_mrr_ledger(self, date):
        """Bring the ledger in line with this subscription from ``date`` on."""
        return self._sync_mrr_ledger_on({date})

    def _sync_mrr_ledger_on(self, dates):
        """Bring the ledger in line with this subscription on ``dates`` and after.

        The ledger is the source of truth for MRR history: on each of ``dates`` up to today,
        oldest first, what the subscription brings is compared with the sum of its movements so
        far and the difference is booked, classified on the customer (ChartMogul). Movements
        dated after today are the plan the lines make (an end date, a change from a date): they
        are planned again from the lines as they now are (``_replan_mrr_ledger``). Calling it
        twice writes nothing the second time.
        """
        self.ensure_one()
        self._lock_mrr_ledger()
        today = fields.Date.context_today(self)
        movements = self.env["billing.mrr.movement"]
        for date in sorted(day for day in dates if day <= today):
            movements |= self._book_mrr_deltas(date, self._mrr_ledger_gap(date))
        return movements | self._replan_mrr_ledger(today, dates)

    def _mrr_step_days(self):
        """The days this subscription's MRR can change: its lines' starts, the days after their
        ends, its pause."""
        self.ensure_one()
        days = set(self.line_ids._mrr_change_dates()[self])
        if self.pause_date:
            days.add(self.pause_date)
        return days

    def _replan_mrr_ledger(self, today, dates=()):
        """Plan the movements dated after ``today`` again from the lines as they now are, on
        the days the MRR steps and on ``dates`` (the days of an action: a resumption)."""
        self.ensure_one()
        Movement = self.env["billing.mrr.movement"].sudo()
        Movement.search([("subscription_id", "=", self.id), ("date", ">", today)]).unlink()
        movements = self.env["billing.mrr.movement"]
        for date in sorted(day for day in {*self._mrr_step_days(), *dates} if day > today):
            movements |= self._book_mrr_deltas(date, self._mrr_ledger_gap(date))
        return movements

    def _mrr_ledger_gap(self, date):
        """``{layer: amount}``: what the subscription brings on ``date`` minus its movements up
        to that day, per layer (the differences the ledger lacks)."""
        Movement = self.env["billing.mrr.movement"].sudo()
        Movement.flush_model()
        current = self._mrr_by_layer_at(date)
        booked = defaultdict(float)
        for layer, amount in Movement._read_group(
            [("subscription_id", "=", self.id), ("date", "<=", date)],
            ["revenue_layer"],
            ["amount:sum"],
        ):
            booked[layer] += amount
        return {
            layer: current.get(layer, 0.0) - booked.get(layer, 0.0)
            for layer in set(current) | set(booked)
        }

    def _lock_mrr_ledger(self):
        """Lock the customer's ledger (until the transaction ends) so that two concurrent
        changes classify on the same history."""
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", (7_341_001, self.customer_key_id.id)
        )

    def _book_mrr_deltas(self, date, deltas):
        """Book the MRR changes ``{layer: amount}`` of this subscription on ``date``, each
        classified on the customer's MRR before it (``core.ledger.classify``)."""
        self.ensure_one()
        Movement = self.env["billing.mrr.movement"].sudo()
        currency = self.currency_id
        deltas = {layer: currency.round(delta) for layer, delta in sorted(deltas.items())}
        deltas = {layer: delta for layer, delta in deltas.items() if not currency.is_zero(delta)}
        if not deltas:
            return Movement
        self._lock_mrr_ledger()
        Movement.flush_model()
        customer_domain = [
            ("customer_id", "=", self.customer_key_id.id),
            ("company_id", "=", self.company_id.id),
        ]
        customer_before = Movement._read_group(
            [*customer_domain, ("date", "<=", date)], [], ["amount:sum"]
        )[0][0]
        had_mrr = bool(Movement.search_count([*customer_domain, ("date", "<=", date)], limit=1))
        vals_list = [
            {
                "date": date,
                "subscription_id": self.id,
                "revenue_layer": layer,
                "movement_type": kind,
                "amount": amount,
                # a closing's movements say why (a churn of a decommissioned tenant, ...)
                "reason": self.close_reason if self.state == "closed" else False,
            }
            for layer, kind, amount in classify(customer_before or 0.0, deltas, had_mrr)
        ]
        return Movement.create(vals_list)
