from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..core import margin as margin_core

# the partner owns these: they change only through action_set_resale_price
RESALE_FIELDS = ("resale_price", "resale_price_date", "resale_price_by_id")


class BillingSubscription(models.Model):
    """The partner's own resale price of a subscription and its margin (partner-owned pricing).

    The channel partner's users set it on the portal; Channel staff read it (margin report) but
    never set it: the field is guarded like a workflow field and its action checks the caller
    belongs to the subscription's partner."""

    _inherit = "billing.subscription"

    bundle_id = fields.Many2one(
        "billing.bundle",
        string="Offer Bundle",
        index="btree_not_null",
        readonly=True,
        tracking=True,
        help="The bundle this subscription was ordered from on the portal.",
    )
    resale_price = fields.Monetary(
        string="Resale Price per Month",
        readonly=True,
        copy=False,
        tracking=True,
        help="The partner's own monthly price to its customer, set by the partner on the portal.",
    )
    resale_price_date = fields.Datetime(string="Resale Price Set On", readonly=True, copy=False)
    resale_price_by_id = fields.Many2one(
        "res.users", string="Resale Price Set By", readonly=True, copy=False
    )
    resale_shared = fields.Boolean(
        string="Resale Price Shared",
        compute="_compute_resale_margin",
        store=True,
        help="The partner has shared its resale price: the margin counts it.",
    )
    wholesale_mrr = fields.Monetary(
        string="Wholesale per Month",
        compute="_compute_wholesale_mrr",
        store=True,
        help="The recurring lines that run on to the end, per month: what the platform bills "
        "the partner once running (a draft counts it too).",
    )
    paid_wholesale_mrr = fields.Monetary(
        string="Paid per Month",
        compute="_compute_resale_margin",
        store=True,
        help="Wholesale per month after the partner's tier discount in force: what it pays.",
    )
    resale_margin = fields.Monetary(
        string="Margin per Month",
        compute="_compute_resale_margin",
        store=True,
        help="Resale price minus the wholesale per month the partner pays (after its tier "
        "discount in force), when the partner shares its price.",
    )
    resale_margin_rate = fields.Float(
        string="Margin Rate (%)",
        compute="_compute_resale_margin",
        store=True,
        aggregator="avg",
        digits=(16, 1),
    )

    @api.depends("line_ids.mrr", "line_ids.recurring", "line_ids.date_end")
    def _compute_wholesale_mrr(self):
        for subscription in self:
            subscription.wholesale_mrr = margin_core.running_wholesale(
                [
                    (line.mrr, line.recurring, line.date_end or None)
                    for line in subscription.line_ids
                ]
            )

    @api.depends("resale_price", "resale_price_date", "wholesale_mrr", "tier_discount")
    def _compute_resale_margin(self):
        for subscription in self:
            shared = bool(subscription.resale_price_date)
            result = margin_core.margin(
                subscription.resale_price, subscription.wholesale_mrr, subscription.tier_discount
            )
            subscription.paid_wholesale_mrr = result.wholesale
            subscription.resale_shared = shared
            subscription.resale_margin = result.margin if shared else 0.0
            subscription.resale_margin_rate = (
                result.rate * 100 if shared and result.rate is not None else 0.0
            )

    def _workflow_check_vals(self, vals, creating=False):
        result = super()._workflow_check_vals(vals, creating=creating)
        if set(RESALE_FIELDS).intersection(vals) and not self._workflow_bypassed():
            raise AccessError(
                self.env._(
                    "You cannot set the Resale Price per Month (resale_price) of a subscription "
                    "directly: the channel partner owns it and sets it on its portal "
                    "subscription page."
                )
            )
        return result

    def action_set_resale_price(self, price):
        """Set the partner's monthly resale price (``price``: a number or the text typed on the
        portal). Only the users of the subscription's own channel partner may: the price is
        theirs. Refuses a price that is not a finite number at or above zero."""
        self.ensure_one()
        self.check_access("read")
        user_partner = self.env.user.partner_id.commercial_partner_id
        if user_partner != self.partner_id.commercial_partner_id:
            raise AccessError(
                self.env._(
                    "Only the users of %(partner)s can set the resale price of subscription "
                    "%(name)s: the partner owns its pricing.",
                    partner=self.partner_id.commercial_partner_id.display_name,
                    name=self.name,
                )
            )
        try:
            value = margin_core.parse_resale_price(price)
        except margin_core.ResalePriceError as error:
            raise UserError(self._resale_price_error_message(error.code)) from None
        record = self.sudo()
        record._workflow_write(
            {
                "resale_price": value,
                "resale_price_date": fields.Datetime.now(),
                "resale_price_by_id": self.env.user.id,
            }
        )
        record.message_post(
            body=self.env._(
                "Resale price set to %(price)s per month by %(user)s.",
                price=self.currency_id.format(value),
                user=self.env.user.name,
            ),
            author_id=self.env.user.partner_id.id,
        )
        return True

    def _resale_price_error_message(self, code):
        messages = {
            "empty": self.env._("Resale Price per Month: enter an amount (0 or more)."),
            "not_a_number": self.env._(
                "Resale Price per Month: enter a number such as 1250 or 1250.50."
            ),
            "not_finite": self.env._("Resale Price per Month: enter a finite amount."),
            "negative": self.env._("Resale Price per Month cannot be negative: enter 0 or more."),
            "too_large": self.env._(
                "Resale Price per Month is too large: enter a monthly amount below "
                "1,000,000,000,000."
            ),
        }
        return messages.get(code, messages["not_a_number"])
