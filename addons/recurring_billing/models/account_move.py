from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    billing_subscription_id = fields.Many2one(
        "billing.subscription",
        string="Subscription",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # copied onto a credit note or a duplicate made by hand, so the reconciliation sees them
    billing_line_id = fields.Many2one(
        "billing.subscription.line",
        string="Subscription Line",
        index="btree_not_null",
        readonly=True,
    )
    billing_period_start = fields.Date(string="Service From", readonly=True)
    billing_period_end = fields.Date(string="Service To", readonly=True)
