from odoo import fields, models
from odoo.exceptions import UserError

from ..core import deployment

MIGRATION_FIELDS = ("migration_read_only", "migration_pending")


class TenantEnvironment(models.Model):
    """An environment in a move to dedicated (tenant.migration): the new one while it is being
    copied, the old one kept read-only after the switch. Neither counts as the tenant's
    production meanwhile (drills, promotion, go-live checks), and the deployment model is never
    re-applied to the old one (it would lift its read-only setting)."""

    _inherit = "tenant.environment"
    # set by the move only (Run Move), refused on create as well as on write
    _workflow_fields = MIGRATION_FIELDS
    _workflow_actions = dict.fromkeys(MIGRATION_FIELDS, "Run Move")

    migration_read_only = fields.Boolean(
        string="Read-Only After Move",
        readonly=True,
        copy=False,
        index=True,
        help="The tenant moved to a dedicated environment: this one is kept read-only for the "
        "grace period, then decommissioned.",
    )
    migration_pending = fields.Boolean(
        string="Being Copied",
        readonly=True,
        copy=False,
        help="The dedicated environment of a move while the data are copied into it; kept when "
        "the move failed (it never served).",
    )
    migration_ids = fields.One2many(
        "tenant.migration", "source_environment_id", string="Moves to Dedicated"
    )

    def _apply_deployment(self):
        skip = self.env.context.get("tenant_migration_source_id")
        return super(
            TenantEnvironment,
            self.filtered(
                lambda e: not e.migration_read_only and not e.migration_pending and e.id != skip
            ),
        )._apply_deployment()

    def _in_migration(self):
        self.ensure_one()
        return self.migration_read_only or self.migration_pending

    def action_request_migration(self):
        """Open a move of this multi-tenant production to a dedicated environment (Channel
        Managers): the request's form, to choose the plan and run it."""
        self.ensure_one()
        self.tenant_id._check_manager()
        if self.stage != "production" or self.tenant_id.deployment_model != deployment.MULTI_TENANT:
            raise UserError(
                self.env._(
                    "%(env)s is not the production of a multi-tenant tenant: only that moves to a "
                    "dedicated environment.",
                    env=self.display_name,
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "white_label_tenant.tenant_migration_action"
        )
        action.update(
            view_mode="form",
            views=[(False, "form")],
            context={
                "default_source_environment_id": self.id,
                "default_target_database_name": f"{self.database_name[:50]}_dedicated",
                "default_target_plan_id": self.tenant_id.recommended_plan_id.id or self.plan_id.id,
            },
        )
        return action
