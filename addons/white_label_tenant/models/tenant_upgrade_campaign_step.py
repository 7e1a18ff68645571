import time

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..backends.base import BackendError

STEP_STATES = [
    ("pending", "Pending"),
    ("running", "Running"),
    ("passed", "Passed"),
    ("failed", "Failed"),
    ("rolled_back", "Rolled Back"),
    ("skipped", "Skipped"),
]


class TenantUpgradeStep(models.Model):
    """The upgrade of one environment in a campaign: who ran it and when, the backup taken
    before (production), the versions before and after, the log, and the rollback."""

    _name = "tenant.upgrade.step"
    _description = "Upgrade Campaign Step"
    _inherit = ["channel.workflow.guard"]
    _order = "campaign_id, wave, id"
    # everything but the plan is the step's own record of what happened
    _workflow_fields = (
        "state",
        "backup_id",
        "started_at",
        "finished_at",
        "duration_seconds",
        "rollback_duration_seconds",
        "rolled_back_at",
        "rolled_back_by_id",
        "user_id",
        "versions_before",
        "versions_after",
        "log",
        "window_overridden",
    )
    _workflow_frozen_fields = ("campaign_id", "environment_id", "kind", "wave")

    campaign_id = fields.Many2one(
        "tenant.upgrade.campaign", required=True, index=True, ondelete="cascade"
    )
    environment_id = fields.Many2one(
        "tenant.environment", required=True, index=True, ondelete="cascade"
    )
    tenant_id = fields.Many2one(related="environment_id.tenant_id", store=True, index=True)
    partner_id = fields.Many2one(related="environment_id.partner_id", store=True)
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    kind = fields.Selection(
        [("staging", "Staging"), ("production", "Production")], required=True, readonly=True
    )
    wave = fields.Integer(readonly=True, help="0 for staging; production runs wave by wave.")
    state = fields.Selection(
        STEP_STATES, default="pending", required=True, readonly=True, index=True
    )
    backup_id = fields.Many2one(
        "tenant.backup",
        string="Backup Before",
        readonly=True,
        help="The backup of production taken just before its upgrade; a failure restores it.",
    )
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)
    duration_seconds = fields.Float(string="Duration (s)", readonly=True)
    rollback_duration_seconds = fields.Float(string="Rollback Duration (s)", readonly=True)
    rolled_back_at = fields.Datetime(readonly=True)
    rolled_back_by_id = fields.Many2one("res.users", string="Rolled Back By", readonly=True)
    user_id = fields.Many2one("res.users", string="Run By", readonly=True)
    versions_before = fields.Text(readonly=True)
    versions_after = fields.Text(readonly=True)
    window_overridden = fields.Boolean(
        string="Outside Window (Override)",
        readonly=True,
        help="Ran outside its tenant's maintenance window under the campaign's override.",
    )
    log = fields.Text(readonly=True)

    @api.depends("environment_id.name", "kind")
    def _compute_display_name(self):
        for step in self:
            step.display_name = f"{step.campaign_id.name}: {step.environment_id.name}"

    # --- may it run now? --------------------------------------------------------------------
    def _ready(self, now, interactive=False):
        """Production runs inside its tenant's maintenance window, or under the campaign's
        override; outside, the scheduled action waits and a person is told when it opens."""
        self.ensure_one()
        if self.kind != "production" or self.campaign_id.override_window:
            return True
        open_now, window = self.tenant_id._maintenance_state_at(now)
        if open_now:
            return True
        if interactive:
            when = (
                self.env._(
                    "its next window opens %(start)s (UTC)",
                    start=fields.Datetime.to_string(window[0]),
                )
                if window
                else self.env._("its SLA policy version has no maintenance window")
            )
            raise UserError(
                self.env._(
                    "%(env)s may not be upgraded now: %(when)s. Wait for the window, or tick "
                    "Override Maintenance Windows on the campaign and give a reason.",
                    env=self.environment_id.display_name,
                    when=when,
                )
            )
        return False

    # --- the run ----------------------------------------------------------------------------
    def _run(self, now):
        """Upgrade the environment (production: after a backup, rolled back on failure).
        Never raises for a failure of the environment: the step records it."""
        self.ensure_one()
        env, tenant = self.environment_id, self.tenant_id
        self._workflow_write(
            {
                "state": "running",
                "started_at": fields.Datetime.now(),
                "user_id": self.env.user.id,
                "window_overridden": self.kind == "production"
                and self.campaign_id.override_window
                and not tenant._maintenance_state_at(now)[0],
            }
        )
        refusal = self._refusal(now)
        if refusal:
            return self._end("failed", refusal)
        if env.operation:
            # another operation holds the environment (a drill, a move): try again later
            self._workflow_write(
                {
                    "state": "pending",
                    "log": self.env._(
                        "Waiting: %(operation)s is in progress on %(env)s.",
                        operation=env._operation_label(env.operation),
                        env=env.display_name,
                    ),
                }
            )
            return False
        with env._operation("upgrade"):
            return self._upgrade()

    def _refusal(self, now):
        env, tenant = self.environment_id, self.tenant_id
        if tenant.state == "suspended":
            return self.env._(
                "Tenant %(tenant)s is suspended: its environments are not upgraded.",
                tenant=tenant.name,
            )
        if env.state != "active":
            return self.env._("%(env)s is not running.", env=env.display_name)
        if self.kind == "production" and hasattr(env, "_check_drill_current"):
            try:
                env._check_drill_current(now)
            except UserError as exc:
                return str(exc)
        return None

    def _upgrade(self):
        env = self.environment_id
        backend = env.tenant_id._get_backend()
        modules = self.campaign_id._modules()
        started = time.monotonic()
        before = env._read_versions()[env.id]
        self._workflow_write({"versions_before": env._versions_text(before)})
        backup = self.env["tenant.backup"]
        if self.kind == "production":
            backup = env._backup(kind="upgrade")
            self._workflow_write({"backup_id": backup.id})
            if backup.state != "done":
                return self._end(
                    "failed",
                    self.env._(
                        "Production was not backed up (%(e)s): nothing was upgraded.",
                        e=backup.error_message,
                    ),
                    started,
                )
        try:
            result = backend.upgrade(env, modules)
            after = env._read_versions()[env.id]
            self._smoke_check(after, modules)
        except (BackendError, OSError) as exc:
            if self.kind == "production":
                return self._rollback(backup, str(exc), started)
            return self._end("failed", str(exc), started)
        self._workflow_write({"versions_after": env._versions_text(after)})
        env.message_post(
            body=self.env._(
                "Upgraded by campaign %(name)s: %(details)s",
                name=self.campaign_id.name,
                details=result.get("details"),
            )
        )
        return self._end("passed", result.get("log") or result.get("details"), started)

    def _smoke_check(self, versions, modules):
        """After the upgrade the database answers, and every module is installed (none left
        half-upgraded, 'to upgrade')."""
        found = (versions or {}).get("modules") if versions else None
        if found is None:
            raise BackendError(
                self.env._("Smoke check failed: the versions cannot be read after the upgrade.")
            )
        bad = [m for m in modules if found.get(m, {}).get("state") != "installed"]
        if bad:
            raise BackendError(
                self.env._(
                    "Smoke check failed: %(modules)s not installed after the upgrade.",
                    modules=", ".join(bad),
                )
            )

    def _rollback(self, backup, reason, started):
        """Restore the pre-upgrade backup over production (the backend acts only on the
        suite's own database), recording how long it took, who and when."""
        env = self.environment_id
        began = time.monotonic()
        try:
            result = env.tenant_id._get_backend().rollback(env, backup)
        except (BackendError, OSError) as exc:
            env.message_post(body=self.env._("Rollback failed: %(e)s", e=exc))
            return self._end(
                "failed",
                self.env._("%(reason)s\nRollback FAILED: %(e)s", reason=reason, e=exc),
                started,
            )
        self._workflow_write(
            {
                "rollback_duration_seconds": time.monotonic() - began,
                "rolled_back_at": fields.Datetime.now(),
                "rolled_back_by_id": self.env.user.id,
            }
        )
        env._read_versions()
        env.message_post(
            body=self.env._(
                "Upgrade failed and was rolled back from the backup of %(when)s: %(details)s",
                when=backup.finished_at,
                details=result.get("details"),
            )
        )
        return self._end(
            "rolled_back",
            self.env._(
                "%(reason)s\nRolled back: %(details)s", reason=reason, details=result["details"]
            ),
            started,
        )

    def _end(self, state, log, started=None):
        self._workflow_write(
            {
                "state": state,
                "finished_at": fields.Datetime.now(),
                "duration_seconds": time.monotonic() - started if started else 0.0,
                "log": log,
            }
        )
        return state == "passed"
