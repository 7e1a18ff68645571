from collections import defaultdict

from odoo import models

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
        """Write the movements that bring the ledger in line with this subscription on ``date``.

        The ledger is the source of truth for MRR history; this compares what the subscription
        brings now with the sum of its movements so far, and classifies the difference on the
        customer (ChartMogul). Calling it twice writes nothing the second time.
        """
        self.ensure_one()
        Movement = self.env["billing.mrr.movement"].sudo()
        Movement.flush_model()
        # lock the customer's ledger so two concurrent changes classify on the same history
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", (7_341_001, self.customer_key_id.id)
        )
        current = self._mrr_by_layer_at(date)
        booked = defaultdict(float)
        for layer, amount in Movement._read_group(
            [("subscription_id", "=", self.id), ("date", "<=", date)],
            ["revenue_layer"],
            ["amount:sum"],
        ):
            booked[layer] += amount
        currency = self.currency_id
        deltas = {
            layer: currency.round(current.get(layer, 0.0) - booked.get(layer, 0.0))
            for layer in sorted(set(current) | set(booked))
        }
        deltas = {layer: delta for layer, delta in deltas.items() if not currency.is_zero(delta)}
        if not deltas:
            return Movement
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
