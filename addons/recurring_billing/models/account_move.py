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

    billing_line_id = fields.Many2one(
        "billing.subscription.line",
        string="Subscription Line",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
