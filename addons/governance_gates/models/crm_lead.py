from odoo import api, fields, models
from odoo.exceptions import UserError

from ..core import complexity
from .governance_gate_template import TIERS

STAFFING = [
    ("consultant", "Functional Consultant"),
    ("solution_lead", "Solution Lead"),
    ("senior_solution_lead", "Senior Solution Lead + Architect"),
]
HOSTING = [("multi_tenant", "Multi-Tenant SaaS"), ("dedicated", "Dedicated Environment")]
# the channel partner field of an opportunity, first found wins (deal registration may add one)
_CHANNEL_PARTNER_FIELDS = ("channel_partner_id", "registered_partner_id", "partner_assigned_id")


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "governance.gate.mixin"]
    _gate_stage_field = "stage_id"

    qual_sku_count = fields.Integer(string="SKU Count", tracking=True)
    qual_warehouse_count = fields.Integer(string="Warehouses", tracking=True)
    qual_valuation_method = fields.Selection(
        [("standard", "Standard Price"), ("average", "Average Cost"), ("fifo", "FIFO")],
        string="Inventory Valuation",
    )
    qual_procurement_model = fields.Selection(
        [
            ("make_to_stock", "Replenish to Stock"),
            ("make_to_order", "Buy to Order"),
            ("dropship", "Dropship"),
            ("mixed", "Mixed"),
        ],
        string="Procurement Model",
    )
    qual_lot_serial = fields.Boolean(string="Lot/Serial Tracking")
    qual_route_complexity = fields.Selection(
        [("simple", "One Step"), ("multi_step", "Multi-Step"), ("cross_dock", "Cross-Dock / 3PL")],
        string="Route Complexity",
    )
    qual_barcode = fields.Boolean(string="Barcode Workflows")
    qual_customer_pricing = fields.Boolean(string="Customer-Specific Pricing")
    qual_b2b_portal = fields.Boolean(string="B2B Portal")
    qual_edi = fields.Boolean(string="EDI Integration")
    qual_marketplace = fields.Boolean(string="Marketplace Integration")
    qual_oem_channel = fields.Boolean(string="OEM Distribution Channel")
    qual_finance_close = fields.Selection(
        [("monthly", "Monthly Close"), ("fast", "Fast Close"), ("consolidated", "Consolidation")],
        string="Finance Close",
    )
    qual_country_count = fields.Integer(string="Countries", default=1)
    qual_company_count = fields.Integer(string="Companies", default=1)
    complexity_tier = fields.Selection(
        TIERS,
        compute="_compute_complexity_tier",
        store=True,
        index=True,
        string="Complexity Tier",
        tracking=True,
    )
    staffing_recommendation = fields.Selection(
        STAFFING, compute="_compute_recommendation", store=True, string="Staffing"
    )
    hosting_recommendation = fields.Selection(
        HOSTING, compute="_compute_recommendation", store=True, string="Hosting"
    )
    implementation_project_ids = fields.One2many(
        "project.project", "lead_id", string="Implementation Projects"
    )
    implementation_project_count = fields.Integer(compute="_compute_implementation_project_count")

    @api.depends(
        "qual_sku_count",
        "qual_warehouse_count",
        "qual_valuation_method",
        "qual_procurement_model",
        "qual_lot_serial",
        "qual_route_complexity",
        "qual_barcode",
        "qual_customer_pricing",
        "qual_b2b_portal",
        "qual_edi",
        "qual_marketplace",
        "qual_oem_channel",
        "qual_finance_close",
        "qual_country_count",
        "qual_company_count",
        "company_id",
    )
    def _compute_complexity_tier(self):
        rules = self.env["governance.complexity.rule"].sudo().search([])
        for lead in self:
            has_data = bool(lead.qual_sku_count or lead.qual_warehouse_count)
            matched = [
                rule.tier
                for rule in rules
                if (not rule.company_id or rule.company_id == lead.company_id)
                and lead.filtered_domain(rule._get_domain())
            ]
            tier = complexity.complexity_tier(matched, has_data=has_data)
            lead.complexity_tier = str(tier) if tier else False

    @api.depends("complexity_tier")
    def _compute_recommendation(self):
        for lead in self:
            staffing, hosting = complexity.recommendation(lead.complexity_tier)
            lead.staffing_recommendation = staffing
            lead.hosting_recommendation = hosting

    def _compute_implementation_project_count(self):
        counts = dict(
            self.env["project.project"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.implementation_project_count = counts.get(lead, 0)

    # ------------------------------------------------------------------ implementation project

    def action_create_implementation_project(self):
        """Create the implementation project of this qualified deal (or open the one it has).

        The project takes the deal's complexity tier *as it is now*, with the gates that tier
        requires (the templates' minimum tier); a later change of the deal's qualification does
        not change a running project: the project form shows the difference, and a Channel
        Manager changes the project's tier by hand when the scope really changed."""
        self.ensure_one()
        self.env["channel.workflow.guard"]._workflow_check_group(
            "partner_scorecard.group_channel_user", self.env._("create implementation projects")
        )
        if self.implementation_project_ids:
            return self.action_view_implementation_projects()
        if self.type != "opportunity":
            raise UserError(
                self.env._(
                    "%s is a lead: convert it to an opportunity and qualify it before creating "
                    "its implementation project.",
                    self.display_name,
                )
            )
        if not self.complexity_tier:
            raise UserError(
                self.env._(
                    "%s has no complexity tier yet: fill in its Qualification tab (SKU count "
                    "and warehouses at least) before creating its implementation project.",
                    self.display_name,
                )
            )
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "%s has no customer: set the Customer of the opportunity before creating its "
                    "implementation project.",
                    self.display_name,
                )
            )
        project = self.env["project.project"].create(self._prepare_implementation_project_vals())
        project.message_post(
            body=self.env._(
                "Created from the opportunity %(lead)s, qualified as complexity tier %(tier)s.",
                lead=self.display_name,
                tier=self.complexity_tier,
            )
        )
        return self.action_view_implementation_projects()

    def _prepare_implementation_project_vals(self):
        self.ensure_one()
        return {
            "name": self.name,
            "lead_id": self.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "channel_partner_id": self._gate_partner().id or False,
            "complexity_tier": self.complexity_tier,
            "company_id": (self.company_id or self.env.company).id,
        }

    def action_view_implementation_projects(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "governance_gates.project_project_implementation_action"
        )
        projects = self.implementation_project_ids
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        if len(projects) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=projects.id)
        return action

    # ------------------------------------------------------------------ gate hooks

    def _gate_complexity_tier(self):
        self.ensure_one()
        return int(self.complexity_tier) if self.complexity_tier else False

    def _gate_partner(self):
        for name in _CHANNEL_PARTNER_FIELDS:
            if name in self._fields and self[name]:
                return self[name].commercial_partner_id
        return self.env["res.partner"]

    def _gate_python_checks(self):
        checks = super()._gate_python_checks()
        checks["qualification_complete"] = self.env._(
            "Qualification data complete (SKUs, warehouses, valuation, procurement)"
        )
        checks["has_customer"] = self.env._("Customer identified")
        return checks

    def _gate_check_qualification_complete(self):
        self.ensure_one()
        return bool(
            self.qual_sku_count
            and self.qual_warehouse_count
            and self.qual_valuation_method
            and self.qual_procurement_model
        )

    def _gate_check_has_customer(self):
        self.ensure_one()
        return bool(self.partner_id)

    def _gate_kill(self):
        self.action_set_lost()
