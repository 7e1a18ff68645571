import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.governance_gates.models.governance_gate_template import TIERS

from ..core import deployment


class TenantTenant(models.Model):
    """How the tenant is deployed: the recommendation its complexity tier implies (deployment
    model and plan, core/deployment.py), which the user may override: the override is tracked
    and the form warns. A change of the deployment model is applied to the running
    environments' databases by the backend (owner, connection limit, parameters)."""

    _inherit = "tenant.tenant"

    complexity_tier = fields.Selection(
        TIERS,
        string="Complexity Tier",
        tracking=True,
        help="The implementation's complexity tier (copied from the project the tenant was "
        "created from): it recommends the deployment model and the plan.",
    )
    recommended_deployment_model = fields.Selection(
        [(deployment.MULTI_TENANT, "Multi-Tenant SaaS"), (deployment.DEDICATED, "Dedicated")],
        compute="_compute_recommendation",
        string="Recommended Deployment",
    )
    recommended_plan_id = fields.Many2one(
        "tenant.plan", compute="_compute_recommendation", string="Recommended Plan"
    )
    deployment_warning = fields.Char(compute="_compute_deployment_warning")

    @api.depends("complexity_tier", "company_id")
    def _compute_recommendation(self):
        plans = self.env["tenant.plan"].search([])
        for tenant in self:
            specs = [
                deployment.PlanSpec(
                    plan.id,
                    plan.vcpu,
                    plan.ram_gb,
                    plan.storage_gb,
                    int(plan.recommended_tier or 0),
                )
                for plan in plans
                if not plan.company_id or plan.company_id == tenant.company_id
            ]
            result = deployment.recommend(tenant.complexity_tier, specs)
            tenant.recommended_deployment_model = result.deployment_model
            tenant.recommended_plan_id = result.plan_id

    @api.depends(
        "deployment_model",
        "recommended_deployment_model",
        "recommended_plan_id",
        "environment_ids.plan_id",
        "environment_ids.stage",
    )
    def _compute_deployment_warning(self):
        for tenant in self:
            tenant.deployment_warning = tenant._deployment_override_message() or False

    def _deployment_override_message(self):
        """What departs from the tier's recommendation, in one sentence ('' when nothing)."""
        self.ensure_one()
        parts = []
        if (
            self.recommended_deployment_model
            and self.deployment_model != self.recommended_deployment_model
        ):
            labels = dict(self._fields["deployment_model"]._description_selection(self.env))
            parts.append(
                self.env._(
                    "runs %(model)s where tier %(tier)s recommends %(recommended)s",
                    model=labels.get(self.deployment_model),
                    tier=self.complexity_tier,
                    recommended=labels.get(self.recommended_deployment_model),
                )
            )
        production = self._production_environments()
        if self.recommended_plan_id and production.plan_id - self.recommended_plan_id:
            parts.append(
                self.env._(
                    "production runs on %(plan)s where tier %(tier)s recommends %(recommended)s",
                    plan=", ".join(production.plan_id.mapped("name")),
                    tier=self.complexity_tier,
                    recommended=self.recommended_plan_id.name,
                )
            )
        if not parts:
            return ""
        return self.env._("%(tenant)s %(parts)s.", tenant=self.display_name, parts="; ".join(parts))

    def write(self, vals):
        changing = (
            self.filtered(lambda t: t.deployment_model != vals["deployment_model"])
            if "deployment_model" in vals
            else self.browse()
        )
        if changing.environment_ids.filtered(lambda e: e.state in ("active", "suspended")):
            # it changes running databases: a tenant operation
            self._check_manager()
        result = super().write(vals)
        for tenant in changing:
            if message := tenant._deployment_override_message():
                tenant.message_post(
                    body=self.env._(
                        "Deployment overridden by %(user)s: %(message)s",
                        user=self.env.user.name,
                        message=message,
                    )
                )
            # the running databases follow (a dedicated one gets its role and plan limits)
            tenant.environment_ids.filtered(
                lambda e: e.state in ("active", "suspended")
            )._apply_deployment()
        return result

    @api.model
    def _create_from_project(self, project):
        """The tenant of ``project``: its end customer, partner and tier, deployed as the tier
        recommends, with a draft production environment on the recommended plan (the caller
        checked the rights and the project)."""
        tenant = self.create(
            {
                "name": project.name,
                "project_id": project.id,
                "partner_id": project.channel_partner_id.id,
                "end_customer_id": project.partner_id.commercial_partner_id.id or False,
                "complexity_tier": project.complexity_tier,
                "company_id": project.company_id.id or self.env.company.id,
            }
        )
        if tenant.recommended_deployment_model:
            tenant.deployment_model = tenant.recommended_deployment_model
        plan = tenant.recommended_plan_id
        if not plan:
            raise UserError(
                self.env._(
                    "No infrastructure plan fits a tier %(tier)s tenant: create one (Configuration "
                    "> Infrastructure Plans) before creating the tenant of %(project)s.",
                    tier=project.complexity_tier,
                    project=project.display_name,
                )
            )
        slug = re.sub(r"[^a-z0-9]+", "_", (project.name or "").lower()).strip("_")[:40]
        self.env["tenant.environment"].create(
            {
                "tenant_id": tenant.id,
                "stage": "production",
                "plan_id": plan.id,
                "database_name": f"{slug or 'tenant'}_{tenant.id}_prod",
            }
        )
        tenant.message_post(
            body=self.env._(
                "Created from the implementation project %(project)s (tier %(tier)s): "
                "%(model)s on %(plan)s, as recommended.",
                project=project.display_name,
                tier=project.complexity_tier,
                model=dict(self._fields["deployment_model"]._description_selection(self.env))[
                    tenant.deployment_model
                ],
                plan=plan.name,
            )
        )
        return tenant
