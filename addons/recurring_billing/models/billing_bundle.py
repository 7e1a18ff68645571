from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.governance_gates.models.governance_gate_template import TIERS

from ..core import bundle as bundle_core
from .billing_subscription import PERIODICITY

HOSTING_MODELS = [("multi_tenant", "Multi-Tenant SaaS"), ("dedicated", "Dedicated Environment")]
SUPPORT_TIERS = [
    ("standard", "Standard (business hours)"),
    ("priority", "Priority (extended hours)"),
    ("premium", "Premium (24/7, named engineer)"),
]


class BillingBundle(models.Model):
    """An offer bundle (seed 003): ERP scope, hosting model, support tier and commercial
    structure in one package a partner orders for a new end customer from the portal.

    Its lines are priced wholesale (what the platform bills the partner) per month, one-time
    lines once; the suggested resale price is a suggestion: the partner sets its own price on
    each subscription (partner-owned pricing)."""

    _name = "billing.bundle"
    _description = "Offer Bundle"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    description = fields.Text(
        translate=True, help="Who the bundle is for, shown on the portal catalogue."
    )
    segment = fields.Char(
        help="The customer segment it is packaged for (e.g. direct-to-consumer brands, B2B "
        "wholesalers)."
    )
    erp_scope = fields.Text(
        string="ERP Scope",
        required=True,
        translate=True,
        help="The Odoo apps and integrations the bundle covers, one per line or comma separated.",
    )
    hosting_model = fields.Selection(
        HOSTING_MODELS, required=True, default="multi_tenant", tracking=True
    )
    plan_id = fields.Many2one(
        "tenant.plan",
        string="Hosting Plan",
        required=True,
        tracking=True,
        help="The infrastructure plan of the production environment the order requests.",
    )
    support_tier = fields.Selection(SUPPORT_TIERS, required=True, default="standard")
    sla_policy_id = fields.Many2one(
        "tenant.sla.policy",
        string="SLA Policy",
        help="The SLA policy the ordered tenant runs under (empty: the tenant's default).",
    )
    periodicity = fields.Selection(
        PERIODICITY, string="Billing Period", required=True, default="monthly"
    )
    commitment_months = fields.Integer(
        string="Commitment (months)",
        default=12,
        help="Minimum term: the subscription ends after it unless renewed (renewals run for the "
        "same length). 0: no commitment.",
    )
    complexity_tier = fields.Selection(
        TIERS,
        required=True,
        default="1",
        tracking=True,
        help="Tier 2 and 3 bundles are implementations: the order also opens the implementation "
        "project with its gates.",
    )
    line_ids = fields.One2many("billing.bundle.line", "bundle_id", string="Lines", copy=True)
    wholesale_mrr = fields.Monetary(
        string="Wholesale per Month",
        compute="_compute_totals",
        store=True,
        help="The recurring lines' wholesale price per month.",
    )
    one_time_total = fields.Monetary(
        string="One-Time Wholesale", compute="_compute_totals", store=True
    )
    suggested_resale_price = fields.Monetary(
        string="Suggested Resale per Month",
        tracking=True,
        help="A suggestion for the partner's own monthly price to its customer; the partner "
        "sets its real price per subscription.",
    )
    suggested_margin = fields.Monetary(
        string="Suggested Margin per Month", compute="_compute_totals", store=True
    )
    portal_published = fields.Boolean(
        string="Published on Portal",
        tracking=True,
        help="Partners allowed to order it see it in their portal catalogue.",
    )
    partner_type_ids = fields.Many2many(
        "partner.type",
        string="Partner Types",
        help="Only partners of these types may order it (empty: every type).",
    )
    partner_tier_ids = fields.Many2many(
        "partner.tier",
        string="Partner Tiers",
        help="Only partners in these tiers may order it (empty: every tier).",
    )
    subscription_ids = fields.One2many("billing.subscription", "bundle_id", string="Orders")
    subscription_count = fields.Integer(compute="_compute_subscription_count", string="Order Count")

    @api.depends(
        "line_ids.monthly_price",
        "line_ids.quantity",
        "line_ids.recurring",
        "suggested_resale_price",
    )
    def _compute_totals(self):
        for bundle in self:
            lines = bundle._core_lines()
            bundle.wholesale_mrr = bundle_core.wholesale_mrr(lines)
            bundle.one_time_total = bundle_core.one_time_total(lines)
            bundle.suggested_margin = bundle.suggested_resale_price - bundle.wholesale_mrr

    def _compute_subscription_count(self):
        counts = dict(
            self.env["billing.subscription"]._read_group(
                [("bundle_id", "in", self.ids)], ["bundle_id"], ["__count"]
            )
        )
        for bundle in self:
            bundle.subscription_count = counts.get(bundle, 0)

    def _core_lines(self):
        self.ensure_one()
        return [
            bundle_core.BundleLine(line.monthly_price, line.quantity, line.recurring)
            for line in self.line_ids
        ]

    def _core_bundle(self):
        self.ensure_one()
        return bundle_core.Bundle(
            self.active,
            self.portal_published,
            tuple(self.partner_type_ids.ids),
            tuple(self.partner_tier_ids.ids),
            self.complexity_tier,
        )

    @api.constrains("commitment_months", "suggested_resale_price")
    def _check_figures(self):
        for bundle in self:
            if bundle.commitment_months < 0:
                raise ValidationError(
                    self.env._(
                        "Bundle %s: the Commitment (months) cannot be negative; use 0 for no "
                        "commitment.",
                        bundle.name,
                    )
                )
            if bundle.suggested_resale_price < 0:
                raise ValidationError(
                    self.env._(
                        "Bundle %s: the Suggested Resale per Month cannot be negative.",
                        bundle.name,
                    )
                )

    @api.constrains("portal_published", "line_ids", "plan_id")
    def _check_publishable(self):
        for bundle in self.filtered("portal_published"):
            if not bundle.line_ids:
                raise ValidationError(
                    self.env._(
                        "Bundle %s has no lines: add its products with their wholesale prices "
                        "before publishing it on the portal.",
                        bundle.name,
                    )
                )
            if not bundle.line_ids.filtered(lambda line: line.service_type == "hosting"):
                raise ValidationError(
                    self.env._(
                        "Bundle %s has no hosting line: add the hosting product of its plan "
                        "(Service Type “Hosting”) before publishing it on the portal.",
                        bundle.name,
                    )
                )

    def action_view_subscriptions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recurring_billing.billing_subscription_action"
        )
        action["domain"] = [("bundle_id", "=", self.id)]
        action["context"] = {}
        return action
