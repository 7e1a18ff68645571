from odoo import api, fields, models
from odoo.exceptions import UserError

from ..core.mrr import monthly_amount
from ..core.proration import change_preview


class BillingLineChange(models.TransientModel):
    """Change a subscription line's price or quantity from a date, with a preview of what the
    next invoice credits and charges for it (``billing.subscription.line.action_change``)."""

    _name = "billing.line.change"
    _description = "Change a Subscription Line"
    _check_company_auto = True

    line_id = fields.Many2one(
        "billing.subscription.line", required=True, readonly=True, ondelete="cascade"
    )
    subscription_id = fields.Many2one(related="line_id.subscription_id")
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    currency_id = fields.Many2one(related="line_id.currency_id")
    recurring = fields.Boolean(related="line_id.recurring")
    date = fields.Date(
        string="Effective Date",
        required=True,
        default=fields.Date.context_today,
        help="First day billed at the new price and quantity.",
    )
    old_price_unit = fields.Monetary(related="line_id.price_unit", string="Current Price")
    old_quantity = fields.Float(related="line_id.quantity", string="Current Quantity")
    price_unit = fields.Monetary(string="New Price", required=True)
    quantity = fields.Float(string="New Quantity", digits="Product Unit of Measure", required=True)
    preview_start = fields.Date(compute="_compute_preview", string="Prorated From")
    preview_end = fields.Date(compute="_compute_preview", string="Prorated To")
    preview_days = fields.Integer(compute="_compute_preview", string="Days")
    preview_credit = fields.Monetary(
        compute="_compute_preview",
        string="Credit",
        help="Days already invoiced at the current figures, given back on the next invoice.",
    )
    preview_charge = fields.Monetary(
        compute="_compute_preview",
        string="Charge",
        help="The same days (to the end of the billing period) at the new figures.",
    )
    preview_net = fields.Monetary(compute="_compute_preview", string="Net Change")
    mrr_before = fields.Monetary(compute="_compute_preview", string="MRR Now")
    mrr_after = fields.Monetary(compute="_compute_preview", string="MRR After")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        line = self.env["billing.subscription.line"].browse(
            values.get("line_id") or self.env.context.get("default_line_id")
        )
        if line:
            # refused before any preview: no charge is shown that Apply would then refuse
            refusal = line._change_refusal()
            if refusal:
                raise UserError(refusal)
            values.setdefault("price_unit", line.price_unit)
            values.setdefault("quantity", line.quantity)
            today = fields.Date.context_today(self)
            values.setdefault("date", max(today, line.date_start))
        return values

    @api.depends("line_id", "date", "price_unit", "quantity")
    def _compute_preview(self):
        for wizard in self:
            line = wizard.line_id
            sub = line.subscription_id
            preview = None
            if line and not line.recurring and wizard.date:
                # a one-time charge is billed whole, once: never prorated nor credited
                amount = wizard.price_unit * wizard.quantity
                preview = {"start": wizard.date, "end": wizard.date, "days": 0}
                preview.update(credit=0.0, charge=amount, net=amount)
            elif line and wizard.date and wizard.date >= sub.date_start:
                preview = change_preview(
                    sub.date_start,
                    sub.periodicity,
                    max(wizard.date, line.date_start),
                    line.last_date_invoiced,
                    line.price_unit * line.quantity,
                    wizard.price_unit * wizard.quantity,
                    line._end_limit(),
                )
            currency = line.currency_id
            wizard.preview_start = preview and preview["start"]
            wizard.preview_end = preview and preview["end"]
            wizard.preview_days = preview["days"] if preview else 0
            wizard.preview_credit = currency.round(preview["credit"]) if preview else 0.0
            wizard.preview_charge = currency.round(preview["charge"]) if preview else 0.0
            wizard.preview_net = currency.round(preview["net"]) if preview else 0.0
            periodicity = sub.periodicity or "monthly"
            wizard.mrr_before = line.mrr
            wizard.mrr_after = monthly_amount(
                wizard.price_unit, wizard.quantity, periodicity, line.recurring
            )

    def _check_change(self):
        self.ensure_one()
        line = self.line_id
        if self.price_unit < 0 or self.quantity < 0:
            raise UserError(
                self.env._(
                    "The new %(field)s of line %(line)s is negative: enter zero or a positive "
                    "amount.",
                    field=self.env._("price") if self.price_unit < 0 else self.env._("quantity"),
                    line=line.name,
                )
            )
        if self.date < line.date_start:
            raise UserError(
                self.env._(
                    "Line %(line)s starts on %(start)s: set the Effective Date on or after it.",
                    line=line.name,
                    start=line.date_start,
                )
            )
        end = line._end_limit()
        if end and self.date > end:
            raise UserError(
                self.env._(
                    "Line %(line)s ends on %(end)s: set the Effective Date on or before it.",
                    line=line.name,
                    end=end,
                )
            )
        currency = line.currency_id
        if (
            currency.compare_amounts(self.price_unit, line.price_unit) == 0
            and self.quantity == line.quantity
        ):
            raise UserError(
                self.env._(
                    "Line %(line)s already bills %(quantity)s at %(price)s: change the New "
                    "Price or the New Quantity.",
                    line=line.name,
                    quantity=line.quantity,
                    price=line.price_unit,
                )
            )

    def action_apply(self):
        self.ensure_one()
        self._check_change()
        line = self.line_id
        line.action_change(
            self.date,
            price_unit=None
            if line.currency_id.compare_amounts(self.price_unit, line.price_unit) == 0
            else self.price_unit,
            quantity=None if self.quantity == line.quantity else self.quantity,
        )
        # close the dialog: the subscription underneath reloads with the new lines, and the
        # breadcrumb does not gain a second copy of it
        return {"type": "ir.actions.act_window_close"}
