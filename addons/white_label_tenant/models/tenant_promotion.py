from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..backends.base import BackendError


class TenantPromotion(models.Model):
    """One staging -> production promotion: the request, its governance gate and its outcome.

    A row per promotion (not a state of the environment) because a tenant promotes again and
    again; each attempt keeps its own gate decision, pre-promotion backup and result.
    """

    _name = "tenant.promotion"
    _description = "Staging to Production Promotion"
    _inherit = ["channel.workflow.guard", "governance.gate.mixin", "mail.thread"]
    _order = "id desc"
    # the outcome is the Promote action's; what is promoted into what is fixed once requested
    _workflow_fields = (
        "state",
        "requested_by_id",
        "promoted_by_id",
        "promoted_at",
        "backup_id",
        "details",
    )
    _workflow_frozen_fields = ("source_environment_id", "target_environment_id")
    _workflow_actions = {"state": "Promote"}
    # the copy is guarded (white_label_tenant.gate_template_tenant_promotion): fail closed
    _gate_stage_field = "state"
    _gate_guarded_stages = ["promoted"]

    name = fields.Char(compute="_compute_name", store=True)
    source_environment_id = fields.Many2one(
        "tenant.environment",
        string="Staging",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('stage', '=', 'staging')]",
    )
    target_environment_id = fields.Many2one(
        "tenant.environment",
        string="Production",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('stage', '=', 'production')]",
    )
    tenant_id = fields.Many2one(
        related="source_environment_id.tenant_id", store=True, index=True, string="Tenant"
    )
    partner_id = fields.Many2one(related="tenant_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    state = fields.Selection(
        [("draft", "Requested"), ("promoted", "Promoted"), ("failed", "Failed")],
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
    )
    requested_by_id = fields.Many2one(
        "res.users", string="Requested By", default=lambda self: self.env.user, readonly=True
    )
    promoted_by_id = fields.Many2one("res.users", string="Promoted By", readonly=True, copy=False)
    promoted_at = fields.Datetime(readonly=True, copy=False)
    backup_id = fields.Many2one(
        "tenant.backup",
        string="Production Backup",
        readonly=True,
        copy=False,
        help="Backup of production taken just before it was overwritten.",
    )
    details = fields.Text(readonly=True, copy=False)

    @api.depends("tenant_id.name")
    def _compute_name(self):
        for promotion in self:
            promotion.name = self.env._(
                "%(tenant)s: staging to production", tenant=promotion.tenant_id.name or ""
            )

    @api.constrains("source_environment_id", "target_environment_id")
    def _check_environments(self):
        for promotion in self:
            source, target = promotion.source_environment_id, promotion.target_environment_id
            if source.stage != "staging" or target.stage != "production":
                raise ValidationError(
                    self.env._(
                        "A promotion copies a Staging environment into a Production one: "
                        "%(source)s -> %(target)s is not.",
                        source=source.display_name,
                        target=target.display_name,
                    )
                )
            if source.tenant_id != target.tenant_id:
                raise ValidationError(
                    self.env._(
                        "Staging and Production must belong to the same tenant (%(tenant)s).",
                        tenant=source.tenant_id.name,
                    )
                )

    # --- gate criteria (governance_gates) ---------------------------------------------
    def _gate_python_checks(self):
        checks = super()._gate_python_checks()
        checks.update(
            promotion_environments_running=self.env._("Staging and production are running"),
            promotion_restore_verified=self.env._(
                "A backup of staging was restored successfully (restore test passed within the "
                "SLA policy's validity, 30 days by default)"
            ),
            promotion_sla_assigned=self.env._(
                "The tenant has an SLA policy with an active version"
            ),
        )
        return checks

    def _gate_check_promotion_environments_running(self):
        self.ensure_one()
        return self.source_environment_id.state == self.target_environment_id.state == "active"

    def _gate_check_promotion_restore_verified(self):
        self.ensure_one()
        staging = self.source_environment_id
        verified = self.env["tenant.restore.test"]._verified_environments(
            staging, self.tenant_id.sla_policy_id.current_version_id
        )
        return verified == staging

    def _gate_check_promotion_sla_assigned(self):
        self.ensure_one()
        return bool(self.tenant_id.sla_policy_id.current_version_id)

    # --- the promotion --------------------------------------------------------------------
    def action_promote(self):
        """Pass the gate (refused with the unmet criteria), back production up, copy staging
        over it through the backend, re-brand production. A failure is recorded, not raised:
        production is left untouched by a failed copy."""
        self.tenant_id._check_manager()
        for promotion in self:
            if promotion.state != "draft":
                raise UserError(
                    self.env._(
                        "%(name)s is already %(state)s: request a new promotion.",
                        name=promotion.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[
                            promotion.state
                        ],
                    )
                )
            # the governance gate guards this write
            promotion._workflow_write(
                {
                    "state": "promoted",
                    "promoted_by_id": self.env.user.id,
                    "promoted_at": fields.Datetime.now(),
                }
            )
            promotion._run()
        return True

    def _run(self):
        self.ensure_one()
        source, target = self.source_environment_id, self.target_environment_id
        backup = target._backup(kind="promotion")
        self._workflow_write({"backup_id": backup.id})
        if backup.state != "done":
            return self._fail(
                self.env._(
                    "Production was not backed up (%(e)s): nothing was copied.",
                    e=backup.error_message,
                )
            )
        backend = self.tenant_id._get_backend()
        try:
            result = backend.promote(source, target)
        except (BackendError, OSError) as exc:
            return self._fail(str(exc))
        details = [result.get("details") or ""]
        try:
            details.append(backend.apply_branding(target, target._get_branding_values())["details"])
        except (BackendError, OSError) as exc:
            details.append(self.env._("Re-branding production failed: %(e)s", e=exc))
        self._workflow_write({"details": "\n".join(details)})
        target.message_post(body=self.env._("Promoted from %(src)s.", src=source.display_name))
        return True

    def _fail(self, reason):
        self._workflow_write({"state": "failed", "details": reason})
        self.message_post(body=self.env._("Promotion failed: %(e)s", e=reason))
        return False

    def _gate_recycle(self, stage_value):
        return super(TenantPromotion, self._workflow_bypass_env())._gate_recycle(stage_value)

    def _get_form_action(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "white_label_tenant.tenant_promotion_action"
        )
        action.update(view_mode="form", views=[(False, "form")], res_id=self.id)
        return action
