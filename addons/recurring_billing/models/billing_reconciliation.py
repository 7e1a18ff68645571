from collections import defaultdict

from odoo import api, fields, models

from ..core import periods as period_core
from ..core.reconcile import expected_revenue, invoiced_revenue


class BillingReconciliation(models.TransientModel):
    """Compare the ledger's recurring revenue over a window with the recurring lines invoiced.

    Every subscription whose two figures differ by more than the currency's rounding is listed:
    a period not invoiced yet, a change that bypassed the ledger, a pause on a pre-paid period.
    """

    _name = "billing.reconciliation"
    _description = "Billing Reconciliation"

    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.start_of(fields.Date.context_today(self), "month"),
    )
    date_to = fields.Date(
        required=True,
        default=lambda self: fields.Date.end_of(fields.Date.context_today(self), "month"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    line_ids = fields.One2many("billing.reconciliation.line", "reconciliation_id", readonly=True)
    difference_count = fields.Integer(compute="_compute_totals")
    expected_total = fields.Float(compute="_compute_totals", string="Ledger Revenue")
    invoiced_total = fields.Float(compute="_compute_totals", string="Invoiced Revenue")

    @api.depends("line_ids")
    def _compute_totals(self):
        for wizard in self:
            wizard.difference_count = len(wizard.line_ids)
            wizard.expected_total = sum(wizard.line_ids.mapped("expected"))
            wizard.invoiced_total = sum(wizard.line_ids.mapped("invoiced"))

    def action_compute(self):
        self.ensure_one()
        self.line_ids.unlink()
        rows = self._compare(self.date_from, self.date_to)
        self.env["billing.reconciliation.line"].create(
            [{"reconciliation_id": self.id, **row} for row in rows]
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _compare(self, date_from, date_to, subscriptions=None):
        """``[{subscription_id, expected, invoiced, difference}]`` of the differing subscriptions.

        One query for the movements, one for the billed periods, whatever the number of
        subscriptions.
        """
        Subscription = self.env["billing.subscription"]
        domain = [("company_id", "=", self.env.company.id), ("date", "<=", date_to)]
        if subscriptions is not None:
            domain.append(("subscription_id", "in", subscriptions.ids))
        movements = defaultdict(list)
        for subscription, day, amount in self.env["billing.mrr.movement"]._read_group(
            domain, ["subscription_id", "date:day"], ["amount:sum"]
        ):
            movements[subscription].append((day, amount))
        billed = defaultdict(list)
        period_domain = [
            ("company_id", "=", self.env.company.id),
            ("recurring", "=", True),
            ("period_start", "<=", date_to),
            ("period_end", ">=", date_from),
        ]
        if subscriptions is not None:
            period_domain.append(("subscription_id", "in", subscriptions.ids))
        for subscription, start, end, amount in self.env["billing.invoice.period"]._read_group(
            period_domain,
            ["subscription_id", "period_start:day", "period_end:day"],
            ["amount:sum"],
        ):
            billed[subscription].append((start, end, amount))
        rows = []
        for subscription in Subscription.union(*movements, *billed):
            expected = expected_revenue(
                movements.get(subscription, []),
                self._periods(subscription, date_from, date_to),
                date_from,
                date_to,
            )
            invoiced = invoiced_revenue(billed.get(subscription, []), date_from, date_to)
            currency = subscription.currency_id
            if not currency.is_zero(expected - invoiced):
                rows.append(
                    {
                        "subscription_id": subscription.id,
                        "expected": currency.round(expected),
                        "invoiced": currency.round(invoiced),
                        "difference": currency.round(invoiced - expected),
                    }
                )
        return rows

    @api.model
    def _periods(self, subscription, date_from, date_to):
        start = max(date_from, subscription.date_start)
        result = []
        months = period_core.MONTHS[subscription.periodicity]
        while start <= date_to:
            _i, p_start, p_end = period_core.period_containing(
                subscription.date_start, subscription.periodicity, start
            )
            result.append((p_start, p_end, months))
            start = fields.Date.add(p_end, days=1)
        return result


class BillingReconciliationLine(models.TransientModel):
    _name = "billing.reconciliation.line"
    _description = "Billing Reconciliation Difference"

    reconciliation_id = fields.Many2one("billing.reconciliation", required=True, ondelete="cascade")
    subscription_id = fields.Many2one("billing.subscription", required=True)
    partner_id = fields.Many2one(related="subscription_id.partner_id")
    expected = fields.Float(string="Ledger Revenue")
    invoiced = fields.Float(string="Invoiced Revenue")
    difference = fields.Float(help="Invoiced minus ledger: negative when revenue is missing.")
