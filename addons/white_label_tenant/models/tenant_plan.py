from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.governance_gates.models.governance_gate_template import TIERS


class TenantPlan(models.Model):
    """An infrastructure plan: what an environment runs on. Users are unlimited, never counted."""

    _name = "tenant.plan"
    _description = "Tenant Infrastructure Plan"
    _order = "sequence, vcpu, ram_gb, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used by billing and the provisioning backend.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    vcpu = fields.Integer(string="vCPU", required=True, default=1)
    ram_gb = fields.Float(string="RAM (GB)", required=True, default=2.0, digits=(6, 1))
    storage_gb = fields.Integer(string="Storage (GB)", required=True, default=20)
    description = fields.Text()
    recommended_tier = fields.Selection(
        TIERS,
        string="Recommended From Tier",
        help="Tenants of this complexity tier and above are recommended this plan (the plan of "
        "the highest such tier wins). When no plan sets it, tier 1 is recommended the smallest "
        "plan, tier 3 the largest.",
    )
    # what a dedicated environment's database gets (multi-tenant ones share the platform's
    # limits: system parameter white_label_tenant.shared_connection_limit)
    db_connection_limit = fields.Integer(
        string="Connection Limit",
        default=20,
        help="Connections a dedicated environment's database accepts (0: no limit).",
    )
    db_statement_timeout = fields.Integer(
        string="Statement Timeout (s)",
        default=300,
        help="A dedicated environment's statements are cancelled after this many seconds "
        "(0: the server's default).",
    )
    db_work_mem_mb = fields.Integer(
        string="Work Memory (MB)",
        default=16,
        help="Memory per sort or hash of a dedicated environment's queries (0: the server's "
        "default).",
    )
    company_id = fields.Many2one("res.company", string="Company", index=True)
    environment_count = fields.Integer(compute="_compute_environment_count")

    _sql_constraints = [
        ("code_uniq", "unique (code, company_id)", "The plan code must be unique per company."),
    ]

    @api.constrains("vcpu", "ram_gb", "storage_gb")
    def _check_resources(self):
        for plan in self:
            if plan.vcpu <= 0 or plan.ram_gb <= 0 or plan.storage_gb <= 0:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s: vCPU, RAM (GB) and Storage (GB) must all be positive.",
                        plan=plan.name,
                    )
                )

    @api.constrains("db_connection_limit", "db_statement_timeout", "db_work_mem_mb")
    def _check_database_limits(self):
        for plan in self:
            if min(plan.db_connection_limit, plan.db_statement_timeout, plan.db_work_mem_mb) < 0:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s: Connection Limit, Statement Timeout and Work Memory "
                        "cannot be negative (0 means no limit / the server's default).",
                        plan=plan.name,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if {"db_connection_limit", "db_statement_timeout", "db_work_mem_mb"} & set(vals):
            # the running dedicated databases on these plans take the new limits at once
            running = self.env["tenant.environment"].search(
                [
                    ("plan_id", "in", self.ids),
                    ("state", "in", ("active", "suspended")),
                    ("tenant_id.deployment_model", "=", "dedicated"),
                ]
            )
            if running:
                running.tenant_id._check_manager()
                running._apply_deployment()
        return result

    def _compute_environment_count(self):
        groups = self.env["tenant.environment"]._read_group(
            [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
        )
        counts = {plan.id: count for plan, count in groups}
        for plan in self:
            plan.environment_count = counts.get(plan.id, 0)
