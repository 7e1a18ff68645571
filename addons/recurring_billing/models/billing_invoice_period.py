from odoo import fields, models


class BillingInvoicePeriod(models.Model):
    """What was billed: one row per subscription line and service period.

    The unique constraint on (line, period start, kind) is what makes invoicing safe to run twice
    or on two workers at once: a second attempt to bill the same period fails in its savepoint
    instead of creating a duplicate invoice line.
    """

    _name = "billing.invoice.period"
    _description = "Billed Subscription Period"
    _inherit = ["channel.workflow.guard"]
    _order = "period_start desc, id desc"
    _rec_name = "period_start"
    # written by invoicing only: a period moved by hand would be billed twice or never
    # (channel.workflow.guard, every caller)
    _workflow_fields = (
        "line_id",
        "kind",
        "period_start",
        "period_end",
        "ratio",
        "amount",
        "move_id",
        "move_line_id",
    )
    _workflow_actions = dict.fromkeys(_workflow_fields, "Invoice Now")

    line_id = fields.Many2one(
        "billing.subscription.line", required=True, ondelete="restrict", index=True
    )
    subscription_id = fields.Many2one(
        related="line_id.subscription_id", store=True, index=True, string="Subscription"
    )
    partner_id = fields.Many2one(related="line_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="line_id.currency_id", store=True)
    revenue_layer = fields.Selection(related="line_id.revenue_layer", store=True)
    recurring = fields.Boolean(related="line_id.recurring", store=True)
    kind = fields.Selection(
        [("charge", "Charge"), ("credit", "Credit")], required=True, default="charge"
    )
    period_start = fields.Date(required=True, index=True)
    period_end = fields.Date(required=True)
    ratio = fields.Float(digits=(16, 6), default=1.0, help="Share of the full period billed.")
    amount = fields.Monetary(help="Untaxed amount billed (negative for a credit).")
    # cascade for the uninstall (the demo's invoices); users are stopped by the invoice's guard
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, index=True, ondelete="cascade"
    )
    move_line_id = fields.Many2one("account.move.line", index=True, ondelete="set null")

    _sql_constraints = [
        (
            "line_period_unique",
            "UNIQUE (line_id, period_start, kind)",
            "This period of this subscription line is already billed.",
        ),
    ]
