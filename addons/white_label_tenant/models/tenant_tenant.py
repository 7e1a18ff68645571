from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.partner_scorecard.models.ondelete_guard import check_not_in_use

TENANT_STATES = [
    ("draft", "Draft"),
    ("provisioning", "Provisioning"),
    ("active", "Active"),
    ("suspended", "Suspended"),
    ("decommissioned", "Decommissioned"),
    ("error", "Error"),
]
# Allowed moves of the lifecycle (the go-live move provisioning -> active is also gated).
TENANT_TRANSITIONS = {
    "draft": {"provisioning"},
    "provisioning": {"active", "error", "decommissioned"},
    "active": {"suspended", "decommissioned", "error"},
    "suspended": {"active", "decommissioned", "error"},
    "error": {"draft", "provisioning", "decommissioned"},
    "decommissioned": set(),
}


class TenantTenant(models.Model):
    """A customer deployment a channel partner resells under its own brand."""

    _name = "tenant.tenant"
    _description = "White-Label Tenant"
    _inherit = [
        "channel.workflow.guard",
        "governance.gate.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    # the lifecycle changes only through the actions (channel.workflow.guard, every caller)
    _workflow_fields = (
        "state",
        "error_message",
        "state_changed_at",
        "state_changed_by_id",
        "provisioning_requested_at",
        "activated_at",
    )
    _workflow_actions = {
        "state": "Provision, Go Live, Suspend, Resume, Decommission or Reset to Draft",
        "activated_at": "Go Live",
        "provisioning_requested_at": "Provision",
    }
    # going live is gated (white_label_tenant.gate_template_tenant_go_live): fail closed
    _gate_stage_field = "state"
    _gate_guarded_stages = ["active"]

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Channel Partner",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_channel_partner', '=', True)]",
        help="The partner that owns the brand, the price and the customer relationship.",
    )
    end_customer_id = fields.Many2one(
        "res.partner",
        string="End Customer",
        index=True,
        help="The partner's customer; visible to that partner only, never on public pages.",
    )
    deployment_model = fields.Selection(
        [("multi_tenant", "Multi-Tenant SaaS"), ("dedicated", "Dedicated Environment")],
        required=True,
        default="multi_tenant",
        tracking=True,
    )
    environment_ids = fields.One2many("tenant.environment", "tenant_id", string="Environments")
    environment_count = fields.Integer(compute="_compute_environment_count")
    state = fields.Selection(
        TENANT_STATES,
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
    )
    error_message = fields.Text(copy=False, tracking=True, readonly=True)
    state_changed_at = fields.Datetime(string="State Changed On", readonly=True, copy=False)
    state_changed_by_id = fields.Many2one(
        "res.users", string="State Changed By", readonly=True, copy=False
    )
    provisioning_requested_at = fields.Datetime(readonly=True, copy=False)
    activated_at = fields.Datetime(string="Live Since", readonly=True, copy=False)
    provisioning_lead_days = fields.Float(
        string="Provisioning Lead Time (days)",
        compute="_compute_provisioning_lead_days",
        store=True,
        digits=(16, 2),
    )
    backend = fields.Selection(
        selection="_selection_backend",
        required=True,
        default="local",
        tracking=True,
        help="Does the infrastructure work; the backends offered are those of the modules "
        "installed in this database.",
    )
    sla_policy_id = fields.Many2one("tenant.sla.policy", string="SLA Policy", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        help="Receives SLA warnings and breaches of this tenant's incidents.",
    )
    branding_id = fields.Many2one(
        "tenant.branding",
        string="Branding Override",
        domain="[('partner_id', '=', partner_id)]",
        help="Leave empty to use the partner's default branding.",
    )
    effective_branding_id = fields.Many2one(
        "tenant.branding", string="Branding", compute="_compute_effective_branding_id"
    )
    incident_ids = fields.One2many("tenant.incident", "tenant_id", string="Incidents")
    open_incident_count = fields.Integer(compute="_compute_open_incident_count")
    company_id = fields.Many2one(
        "res.company", string="Company", required=True, index=True, default=lambda s: s.env.company
    )

    # --- computes -----------------------------------------------------------------------
    def _compute_environment_count(self):
        for tenant in self:
            tenant.environment_count = len(tenant.environment_ids)

    @api.depends("provisioning_requested_at", "activated_at")
    def _compute_provisioning_lead_days(self):
        for tenant in self:
            if tenant.provisioning_requested_at and tenant.activated_at:
                delta = tenant.activated_at - tenant.provisioning_requested_at
                tenant.provisioning_lead_days = delta.total_seconds() / 86400.0
            else:
                tenant.provisioning_lead_days = 0.0

    @api.depends("branding_id", "partner_id", "company_id")
    def _compute_effective_branding_id(self):
        defaults = self.env["tenant.branding"].search(
            [("partner_id", "in", self.partner_id.ids), ("is_partner_default", "=", True)]
        )
        by_key = {(b.partner_id.id, b.company_id.id): b for b in defaults}
        for tenant in self:
            tenant.effective_branding_id = tenant.branding_id or by_key.get(
                (tenant.partner_id.id, tenant.company_id.id)
            )

    def _compute_open_incident_count(self):
        groups = self.env["tenant.incident"]._read_group(
            [("tenant_id", "in", self.ids), ("is_open", "=", True)], ["tenant_id"], ["__count"]
        )
        counts = {tenant.id: count for tenant, count in groups}
        for tenant in self:
            tenant.open_incident_count = counts.get(tenant.id, 0)

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for tenant in self:
            tenant.access_url = f"/my/tenants/{tenant.id}"
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        check_not_in_use(self, [("tenant.incident", "tenant_id")])

    # --- lifecycle ----------------------------------------------------------------------
    def _check_manager(self):
        """The one access check of the tenant and environment operations."""
        self._workflow_check_group(
            "partner_scorecard.group_channel_manager",
            self.env._("provision, promote, back up, suspend or decommission tenants"),
        )

    def _set_state(self, state, error=None):
        for tenant in self:
            if state not in TENANT_TRANSITIONS[tenant.state] and state != tenant.state:
                raise UserError(
                    self.env._(
                        "Tenant %(tenant)s cannot move from %(old)s to %(new)s.",
                        tenant=tenant.name,
                        old=dict(TENANT_STATES)[tenant.state],
                        new=dict(TENANT_STATES)[state],
                    )
                )
        vals = {
            "state": state,
            "state_changed_at": fields.Datetime.now(),
            "state_changed_by_id": self.env.user.id,
            "error_message": error or False,
        }
        self._workflow_write(vals)
        for tenant in self.filtered(lambda t: not t.activated_at and t.state == "active"):
            tenant._workflow_write({"activated_at": vals["state_changed_at"]})

    def _check_partner_membership(self):
        """A provisioning request needs a channel partner with an active membership."""
        Membership = self.env["partner.membership"].sudo()
        for tenant in self:
            if not Membership.search_count(
                [
                    ("partner_id", "=", tenant.partner_id.commercial_partner_id.id),
                    ("state", "=", "active"),
                    ("company_id", "=", tenant.company_id.id),
                ]
            ):
                raise UserError(
                    self.env._(
                        "%(partner)s has no active channel membership: activate its membership "
                        "before provisioning tenant %(tenant)s.",
                        partner=tenant.partner_id.display_name,
                        tenant=tenant.name,
                    )
                )

    def action_provision(self):
        """Create every draft (or failed) environment for real; errors park the tenant in Error."""
        self._check_manager()
        self._check_partner_membership()
        for tenant in self:
            if tenant.state not in ("draft", "error", "provisioning"):
                raise UserError(
                    self.env._(
                        "Tenant %(tenant)s is %(state)s: only draft or failed tenants are provisioned.",
                        tenant=tenant.name,
                        state=dict(TENANT_STATES)[tenant.state],
                    )
                )
            if not tenant.environment_ids.filtered(lambda e: e.stage == "production"):
                raise UserError(
                    self.env._(
                        "Tenant %(tenant)s has no production environment: add one (stage "
                        "Production) before provisioning.",
                        tenant=tenant.name,
                    )
                )
            if tenant.state == "error":
                tenant._set_state("draft")
            if not tenant.provisioning_requested_at:
                tenant._workflow_write({"provisioning_requested_at": fields.Datetime.now()})
            if tenant.state != "provisioning":
                tenant._set_state("provisioning")
            pending = tenant.environment_ids.filtered(lambda e: e.state in ("draft", "error"))
            failures = [env for env in pending if not env._provision()]
            if failures:
                tenant._set_state(
                    "error",
                    "\n".join(f"{env.display_name}: {env.error_message}" for env in failures),
                )
        return True

    # --- go-live gate (governance_gates) -------------------------------------------------
    def _gate_python_checks(self):
        checks = super()._gate_python_checks()
        checks.update(
            tenant_production_running=self.env._(
                "Every production environment is provisioned and running"
            ),
            tenant_sla_assigned=self.env._("An SLA policy with an active version is assigned"),
            tenant_restore_verified=self.env._(
                "A restore test of each production environment passed recently (within the SLA "
                "policy's validity, 30 days by default)"
            ),
        )
        return checks

    def _production_environments(self):
        return self.environment_ids.filtered(lambda e: e.stage == "production")

    def _gate_check_tenant_production_running(self):
        self.ensure_one()
        production = self._production_environments()
        return bool(production) and all(env.state == "active" for env in production)

    # the same checks as the implementation project's go-live, evidence included
    # (tenant_tenant_project.py)
    def _gate_check_tenant_sla_assigned(self):
        return self._golive_sla_result()

    def _gate_check_tenant_restore_verified(self):
        return self._golive_restore_result()

    def action_go_live(self):
        """Provisioning -> active. The governance gate guards the move (fail closed): it is
        refused, with the unmet criteria, unless the tenant's go-live gate passes."""
        self._check_manager()
        for tenant in self:
            if tenant.state != "provisioning":
                raise UserError(
                    self.env._(
                        "Tenant %(tenant)s must be provisioned before going live.",
                        tenant=tenant.name,
                    )
                )
            tenant._set_state("active")
        return True

    def action_suspend(self):
        return self._move_environments(
            "active", "suspend", "suspended", self.env._("Only an active tenant can be suspended.")
        )

    def action_resume(self):
        return self._move_environments(
            "suspended", "resume", "active", self.env._("Only a suspended tenant can be resumed.")
        )

    def _move_environments(self, from_state, operation, to_state, refusal):
        """Run the backend ``operation`` on each environment in ``from_state`` (it ends in
        ``to_state``), then move the tenant from ``from_state`` to ``to_state``."""
        self._check_manager()
        for tenant in self:
            if tenant.state != from_state:
                raise UserError(
                    self.env._("%(refusal)s (%(tenant)s)", refusal=refusal, tenant=tenant.name)
                )
            for env in tenant.environment_ids.filtered(lambda e: e.state == from_state):
                env._run_backend(operation, to_state)
            tenant._set_state(to_state)
        return True

    def action_decommission(self):
        """Final backup of each environment, then drop it; a failed backup keeps the database."""
        self._check_manager()
        for tenant in self:
            if tenant.state == "decommissioned":
                continue
            failures = [
                env
                for env in tenant.environment_ids.filtered(
                    lambda e: e.state not in ("draft", "decommissioned")
                )
                if not env._decommission()
            ]
            if failures:
                tenant._set_state(
                    "error",
                    "\n".join(f"{env.display_name}: {env.error_message}" for env in failures),
                )
            else:
                tenant.environment_ids.filtered(lambda e: e.state == "draft")._set_state(
                    "decommissioned"
                )
                tenant._set_state("decommissioned")
        return True

    def action_reset_to_draft(self):
        self._check_manager()
        for tenant in self:
            tenant._set_state("draft")
        return True

    def _gate_recycle(self, stage_value):
        # a recycle decision moves the lifecycle back: an action of its own
        return super(TenantTenant, self._workflow_bypass_env())._gate_recycle(stage_value)

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "white_label_tenant.tenant_incident_action"
        )
        action["domain"] = [("tenant_id", "=", self.id)]
        action["context"] = {"default_tenant_id": self.id}
        return action

    @api.model
    def _selection_backend(self):
        return self.env["tenant.backend"]._selection()

    def _get_backend(self):
        self.ensure_one()
        return self.env["tenant.backend"]._get(self.backend)
