from collections import defaultdict

from odoo import Command, api, fields, models

from ..core import periods as period_core
from ..core.reconcile import expected_revenue, invoiced_revenue


class BillingReconciliation(models.TransientModel):
    """Compare the ledger's recurring revenue with the posted accounting, period by period.

    For each subscription and billing period in the window, the revenue the MRR ledger expects is
    compared with the recurring revenue of the *posted* invoice and credit note lines linked to
    the subscription's lines (their service dates come with them, also onto a credit note or a
    copy made by hand). A hand edit of a posted line, a credit note, a cancellation or an invoice
    reset to draft therefore shows, and each difference names the invoices of that period (with
    their state). Each posted line is rounded to the currency: a difference of up to half a cent
    per line (and per month of the period, for the MRR's own rounding) is no difference.
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
        rows = self.with_company(self.company_id)._compare(self.date_from, self.date_to)
        self.env["billing.reconciliation.line"].create(
            [
                {
                    "reconciliation_id": self.id,
                    **row,
                    "move_ids": [Command.set(row["move_ids"])],
                }
                for row in rows
            ]
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
        """``[{subscription_id, period_start, period_end, expected, invoiced, difference,
        move_ids, invoices}]``: the (subscription, billing period) pairs that differ.

        One grouped query for the movements and one search (with its prefetch) for the invoice
        lines, whatever the number of subscriptions.
        """
        company = self.env.company
        domain = [("company_id", "=", company.id), ("date", "<=", date_to)]
        if subscriptions is not None:
            domain.append(("subscription_id", "in", subscriptions.ids))
        movements = defaultdict(list)
        for subscription, day, amount in self.env["billing.mrr.movement"]._read_group(
            domain, ["subscription_id", "date:day"], ["amount:sum"]
        ):
            movements[subscription].append((day, amount))
        books = self._books(date_from, date_to, subscriptions)
        rows = []
        for subscription in self.env["billing.subscription"].union(*movements, *books):
            currency = subscription.currency_id
            months = period_core.MONTHS[subscription.periodicity]
            for p_start, p_end, _months in self._periods(subscription, date_from, date_to):
                start, end = max(p_start, date_from), min(p_end, date_to)
                entries = [
                    entry
                    for entry in books.get(subscription, [])
                    if entry["start"] <= end and entry["end"] >= start
                ]
                expected = expected_revenue(
                    movements.get(subscription, []), [(p_start, p_end, months)], start, end
                )
                posted = [
                    (entry["start"], entry["end"], entry["amount"])
                    for entry in entries
                    if entry["move"].state == "posted"
                ]
                invoiced = invoiced_revenue(posted, start, end)
                tolerance = currency.rounding * (len(posted) + months) / 2
                if abs(expected - invoiced) <= tolerance:
                    continue
                moves = self.env["account.move"].union(*(entry["move"] for entry in entries))
                rows.append(
                    {
                        "subscription_id": subscription.id,
                        "period_start": p_start,
                        "period_end": p_end,
                        "expected": currency.round(expected),
                        "invoiced": currency.round(invoiced),
                        "difference": currency.round(invoiced - expected),
                        "move_ids": moves.ids,
                        "invoices": self._describe(moves),
                    }
                )
        return rows

    def _books(self, date_from, date_to, subscriptions=None):
        """``{subscription: [{start, end, amount, move}]}``: the invoice and credit note lines of
        recurring subscription lines whose service dates meet the window, in every state (only
        posted ones count as revenue; the others are named)."""
        domain = [
            ("billing_line_id", "!=", False),
            ("billing_line_id.recurring", "=", True),
            ("company_id", "=", self.env.company.id),
            ("display_type", "=", "product"),
            ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            "|",
            ("billing_period_start", "=", False),
            "&",
            ("billing_period_start", "<=", date_to),
            ("billing_period_end", ">=", date_from),
        ]
        if subscriptions is not None:
            domain.append(("billing_line_id.subscription_id", "in", subscriptions.ids))
        move_lines = self.env["account.move.line"].search(domain)
        # lines billed before the service dates were kept on the line: from the billed periods
        legacy = {
            period.move_line_id: (period.period_start, period.period_end)
            for period in self.env["billing.invoice.period"].search(
                [
                    (
                        "move_line_id",
                        "in",
                        move_lines.filtered(lambda line: not line.billing_period_start).ids,
                    )
                ]
            )
        }
        books = defaultdict(list)
        for move_line in move_lines:
            start, end = (
                (move_line.billing_period_start, move_line.billing_period_end)
                if move_line.billing_period_start
                else legacy.get(move_line, (None, None))
            )
            if not start or start > date_to or end < date_from:
                continue
            sign = -1 if move_line.move_id.move_type == "out_refund" else 1
            # the ledger holds list prices: a line's tier discount (a price the partner earned,
            # not revenue the ledger missed) is compared before discount, as the ledger books it
            amount = (
                move_line.currency_id.round(move_line.price_unit * move_line.quantity)
                if move_line.discount
                else move_line.price_subtotal
            )
            books[move_line.billing_line_id.subscription_id].append(
                {
                    "start": start,
                    "end": end,
                    "amount": sign * amount,
                    "move": move_line.move_id,
                }
            )
        return books

    def _describe(self, moves):
        states = dict(moves._fields["state"]._description_selection(self.env))
        return ", ".join(
            f"{move.name or move.display_name} ({states[move.state]})"
            for move in moves.sorted("id")
        )

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
    _order = "subscription_id, period_start"

    reconciliation_id = fields.Many2one("billing.reconciliation", required=True, ondelete="cascade")
    subscription_id = fields.Many2one("billing.subscription", required=True)
    partner_id = fields.Many2one(related="subscription_id.partner_id")
    period_start = fields.Date()
    period_end = fields.Date()
    expected = fields.Float(string="Ledger Revenue")
    invoiced = fields.Float(string="Posted Revenue")
    difference = fields.Float(help="Posted minus ledger: negative when revenue is missing.")
    move_ids = fields.Many2many("account.move", string="Invoices")
    invoices = fields.Char(
        string="Invoices of the Period",
        help="The invoices and credit notes of this period, with their state: a hand edit, a "
        "credit note, a cancellation or a reset to draft is among them.",
    )
