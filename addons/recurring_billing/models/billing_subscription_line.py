from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..core import margin as margin_core
from ..core import periods as period_core
from ..core.ledger import BOOKED_BY_CALLER
from ..core.mrr import monthly_amount

REVENUE_LAYERS = [
    ("implementation", "Implementation & Onboarding"),
    ("hosting", "Managed Hosting"),
    ("application", "Application Services"),
]
SERVICE_TYPES = [
    ("implementation", "Implementation"),
    ("onboarding", "Onboarding"),
    ("hosting", "Hosting (infrastructure)"),
    ("support", "Support Tier"),
    ("enhancement", "Enhancement Retainer"),
    ("monitoring", "Monitoring"),
    ("optimisation", "Optimisation"),
    ("advisory", "Advisory"),
    ("addon", "Add-on"),
]
LAYER_OF_SERVICE = {
    "implementation": "implementation",
    "onboarding": "implementation",
    "hosting": "hosting",
}


class BillingSubscriptionLine(models.Model):
    """One billed service of a subscription, in a revenue layer.

    ``last_date_invoiced`` is the high-water mark every billing date derives from: the periods
    after it are due, nothing on or before it is ever billed again (the billed periods also carry a
    unique constraint on (line, period start, kind)).
    """

    _name = "billing.subscription.line"
    _description = "Billing Subscription Line"
    _inherit = ["channel.workflow.guard"]
    _order = "subscription_id, sequence, id"
    _check_company_auto = True
    # the high-water mark moves only with invoicing (and a resume skipping the paused days):
    # set by hand it would bill days twice or never (channel.workflow.guard, every caller)
    _workflow_fields = ("last_date_invoiced", "tenant_suspended", "date_end_before_suspension")
    _workflow_actions = {
        "last_date_invoiced": "Invoice Now",
        "tenant_suspended": "Suspend or Resume on the tenant",
        "date_end_before_suspension": "Suspend or Resume on the tenant",
    }
    # the billed periods are written by the same invoicing
    _workflow_children = ("billing.invoice.period",)

    subscription_id = fields.Many2one(
        "billing.subscription", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="subscription_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="subscription_id.currency_id", store=True)
    partner_id = fields.Many2one(related="subscription_id.partner_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True, domain="[('sale_ok', '=', True)]"
    )
    name = fields.Char(
        string="Description",
        required=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    service_type = fields.Selection(SERVICE_TYPES, required=True, default="support")
    revenue_layer = fields.Selection(
        REVENUE_LAYERS,
        required=True,
        compute="_compute_revenue_layer",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
    )
    recurring = fields.Boolean(
        compute="_compute_recurring",
        store=True,
        readonly=False,
        precompute=True,
        help="One-time lines (implementation, onboarding milestones) are billed once in their "
        "first period and never count as MRR.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    price_unit = fields.Monetary(
        string="Wholesale Price",
        required=True,
        help="Price per billing period the platform invoices the partner.",
    )
    resale_price = fields.Monetary(
        string="Partner Resale Price",
        help="The partner's own price to its customer, per billing period, when it shares it "
        "(margin reporting only: the partner owns this price).",
    )
    price_subtotal = fields.Monetary(string="Per Period", compute="_compute_amounts", store=True)
    mrr = fields.Monetary(
        string="MRR When Running",
        compute="_compute_amounts",
        store=True,
        help="The line's monthly recurring revenue whenever it runs, ended or not.",
    )
    current_mrr = fields.Monetary(
        string="MRR",
        compute="_compute_current_mrr",
        help="What the line brings to its subscription's MRR today: zero once ended, not yet "
        "started, paused or in a draft, so the lines add up to the subscription's MRR.",
    )
    is_running = fields.Boolean(string="Running", compute="_compute_current_mrr")
    can_change = fields.Boolean(
        compute="_compute_can_change",
        help="Whether the price-change wizard is offered: not on a one-time charge already "
        "invoiced nor on a line that has ended.",
    )
    margin = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        help="Resale minus the wholesale the partner pays (after its tier discount in force) per "
        "period, when the partner shares its resale price.",
    )
    date_start = fields.Date(
        string="Start Date",
        compute="_compute_date_start",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    date_end = fields.Date(string="End Date", help="Last day served (inclusive).")
    environment_id = fields.Many2one(
        "tenant.environment",
        string="Environment",
        index="btree_not_null",
        help="Hosting lines follow this environment's infrastructure plan: a plan change "
        "reprices the line from that day, prorated.",
    )
    last_date_invoiced = fields.Date(
        copy=False, readonly=True, help="High-water mark: the last day already invoiced."
    )
    tenant_suspended = fields.Boolean(
        copy=False,
        readonly=True,
        help="Ended by its tenant's suspension (the subscription also serves other tenants): "
        "resuming the tenant starts a new line from the resume date.",
    )
    date_end_before_suspension = fields.Date(
        copy=False, readonly=True, help="The line's own end before its tenant's suspension."
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("environment_id") and "price_unit" not in vals:
                environment = self.env["tenant.environment"].browse(vals["environment_id"])
                subscription = self.env["billing.subscription"].browse(vals["subscription_id"])
                vals["price_unit"] = self._plan_price(environment.plan_id, subscription)
                vals.setdefault("service_type", "hosting")
                if environment.plan_id.hosting_product_id and "product_id" not in vals:
                    vals["product_id"] = environment.plan_id.hosting_product_id.id
        return super().create(vals_list)

    def _plan_price(self, plan, subscription=None):
        """Wholesale price of one billing period of ``plan``: its monthly hosting price times
        the months of the period."""
        subscription = subscription or self.subscription_id
        return plan.hosting_price * period_core.MONTHS[subscription.periodicity or "monthly"]

    @api.constrains("environment_id", "subscription_id")
    def _check_environment_partner(self):
        for line in self.filtered("environment_id"):
            owner = line.environment_id.tenant_id.partner_id.commercial_partner_id
            if owner != line.subscription_id.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Environment %(environment)s belongs to a tenant of %(owner)s, not of "
                        "%(partner)s: pick one of %(partner)s's environments.",
                        environment=line.environment_id.display_name,
                        owner=owner.display_name,
                        partner=line.subscription_id.partner_id.display_name,
                    )
                )

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id and not line.name:
                line.name = line.product_id.display_name

    @api.depends("service_type")
    def _compute_revenue_layer(self):
        for line in self:
            line.revenue_layer = LAYER_OF_SERVICE.get(line.service_type, "application")

    @api.depends("revenue_layer")
    def _compute_recurring(self):
        for line in self:
            line.recurring = line.revenue_layer != "implementation"

    @api.depends("subscription_id.date_start")
    def _compute_date_start(self):
        for line in self:
            if not line.date_start:
                line.date_start = line.subscription_id.date_start

    @api.depends(
        "quantity",
        "price_unit",
        "resale_price",
        "recurring",
        "subscription_id.periodicity",
        "subscription_id.tier_discount",
    )
    def _compute_amounts(self):
        for line in self:
            periodicity = line.subscription_id.periodicity or "monthly"
            line.price_subtotal = line.price_unit * line.quantity
            line.mrr = monthly_amount(line.price_unit, line.quantity, periodicity, line.recurring)
            line.margin = margin_core.line_margin(
                line.resale_price,
                line.price_unit,
                line.quantity,
                line.subscription_id.tier_discount,
            )

    @api.depends(
        "mrr", "date_start", "date_end", "subscription_id.state", "subscription_id.pause_date"
    )
    def _compute_current_mrr(self):
        # the same rule as the subscription's MRR (billing.subscription._mrr_by_layer_at)
        day = fields.Date.context_today(self)
        for line in self:
            sub = line.subscription_id
            line.is_running = bool(line.date_start) and line._is_running(day)
            counts = (
                line.is_running
                and sub.state != "draft"
                and not (sub.pause_date and sub.pause_date <= day)
            )
            line.current_mrr = line.mrr if counts else 0.0

    @api.constrains("quantity", "price_unit", "resale_price")
    def _check_amounts(self):
        for line in self:
            for field_name in ("quantity", "price_unit", "resale_price"):
                if (line[field_name] or 0.0) < 0:
                    raise ValidationError(
                        self.env._(
                            "Line %(line)s of %(subscription)s: %(field)s is negative. Enter zero "
                            "or a positive amount.",
                            line=line.name,
                            subscription=line.subscription_id.name,
                            field=line._fields[field_name].get_description(self.env)["string"],
                        )
                    )

    @api.constrains("date_start", "date_end", "subscription_id")
    def _check_dates(self):
        for line in self:
            sub = line.subscription_id
            if line.date_start < sub.date_start:
                raise ValidationError(
                    self.env._(
                        "Line %(line)s starts on %(date)s, before its subscription %(name)s "
                        "(%(start)s). Start it on or after the subscription's start date.",
                        line=line.name,
                        date=line.date_start,
                        name=sub.name,
                        start=sub.date_start,
                    )
                )
            if line.date_end and line.date_end < line.date_start - timedelta(days=1):
                raise ValidationError(
                    self.env._(
                        "Line %(line)s ends on %(end)s, before it starts (%(start)s).",
                        line=line.name,
                        end=line.date_end,
                        start=line.date_start,
                    )
                )

    def write(self, vals):
        guarded = {"price_unit", "quantity", "date_start", "recurring", "product_id"} & set(vals)
        if guarded and any(line.last_date_invoiced for line in self):
            raise UserError(
                self.env._(
                    "Lines already invoiced keep their price, quantity and start: use "
                    '"Change" (a prorated change from a date) instead of editing %(fields)s.',
                    fields=", ".join(sorted(guarded)),
                )
            )
        if "date_end" in vals and any(line.last_date_invoiced for line in self):
            self.subscription_id._check_billing_manager()
        return super().write(vals)

    # ---------------------------------------------------------------- changes

    @api.depends(
        "recurring",
        "last_date_invoiced",
        "date_end",
        "subscription_id.date_end",
        "subscription_id.pause_date",
    )
    def _compute_can_change(self):
        for line in self:
            line.can_change = not line._change_refusal()

    def _change_refusal(self):
        """Why the line's price or quantity can no longer change (``False`` when it can): the
        wizard is neither offered nor opened then, rather than refusing after its preview."""
        self.ensure_one()
        if not self.recurring and self.last_date_invoiced:
            return self.env._(
                "Line %(line)s is a one-time charge, already invoiced: changing it would bill "
                "it again. Add a line for an extra charge, or credit its invoice.",
                line=self.name,
            )
        end = self.date_start and self._end_limit()
        if end and end < fields.Date.context_today(self):
            return self.env._(
                "Line %(line)s ended on %(end)s: it bills nothing more to change. Add a line "
                "for new figures.",
                line=self.name,
                end=end,
            )
        return False

    def action_open_change_wizard(self):
        """The form that changes price or quantity from a date, with the proration preview."""
        self.ensure_one()
        refusal = self._change_refusal()
        if refusal:
            raise UserError(refusal)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change %(line)s", line=self.name),
            "res_model": "billing.line.change",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id},
        }

    @api.private
    def action_change(self, date, price_unit=None, quantity=None):
        """Change price or quantity from ``date`` (inclusive), prorated daily.

        Not callable over RPC (``date`` is a Python date): the RPC path is the
        ``billing.line.change`` wizard.

        A one-time charge not invoiced yet changes in place; once invoiced it cannot change. A
        recurring line ends the day before and a new line carries the new figures from ``date``: days
        already invoiced at the old price are credited and the new price billed on the next run,
        so the invoice shows both halves of the period.
        """
        self.ensure_one()
        if not self.recurring and self.last_date_invoiced:
            raise UserError(
                self.env._(
                    "Line %(line)s is a one-time charge, already invoiced: changing it would bill "
                    "it again. Add a line for an extra charge, or credit its invoice.",
                    line=self.name,
                )
            )
        if date <= self.date_start or not self.recurring:
            # not invoiced yet (or a one-time charge, billed whole once): change it in place
            if self.last_date_invoiced:
                raise UserError(
                    self.env._(
                        "Line %(line)s was invoiced from %(start)s: a change must take effect "
                        "after that day.",
                        line=self.name,
                        start=self.date_start,
                    )
                )
            vals = {}
            if price_unit is not None:
                vals["price_unit"] = price_unit
            if quantity is not None:
                vals["quantity"] = quantity
            self.write(vals)
            self.subscription_id._sync_mrr_ledger(date)
            return self
        if self.last_date_invoiced:
            self.subscription_id._check_billing_manager()
        # one movement of the difference, booked below: not a new line's and an ended one's
        booked_below = self.with_context(**{BOOKED_BY_CALLER: True})
        new_line = booked_below.copy(
            {
                "date_start": date,
                "date_end": self.date_end,
                "price_unit": self.price_unit if price_unit is None else price_unit,
                "quantity": self.quantity if quantity is None else quantity,
                "name": self.name,
            }
        ).with_env(self.env)
        # the old line stops the day before: days it already billed after that are credited on
        # the next run, and the new line (high-water mark: the day before ``date``) bills them
        booked_below.write({"date_end": date - timedelta(days=1)})
        self.subscription_id._sync_mrr_ledger(date)
        return new_line
