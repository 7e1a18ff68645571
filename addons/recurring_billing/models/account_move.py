from odoo import api, fields, models

from odoo.addons.partner_scorecard.models.ondelete_guard import check_not_in_use


class AccountMove(models.Model):
    _inherit = "account.move"

    billing_subscription_id = fields.Many2one(
        "billing.subscription",
        string="Subscription",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed_periods(self):
        """An invoice that bills subscription periods is cancelled or credited, not deleted: the
        periods it bills would be billed again."""
        check_not_in_use(self, [("billing.invoice.period", "move_id")])


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
