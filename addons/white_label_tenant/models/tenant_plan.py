from odoo import api, fields, models
from odoo.exceptions import ValidationError


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

    def _compute_environment_count(self):
        groups = self.env["tenant.environment"]._read_group(
            [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
        )
        counts = {plan.id: count for plan, count in groups}
        for plan in self:
            plan.environment_count = counts.get(plan.id, 0)
