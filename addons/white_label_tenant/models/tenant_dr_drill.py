from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..core.drill import next_drill_at

DRILL_STATES = [
    ("planned", "Planned"),
    ("running", "Running"),
    ("passed", "Passed"),
    ("failed", "Failed"),
]


class TenantDrDrill(models.Model):
    """One disaster-recovery drill of a production environment: its latest backup restored
    into a scratch database and smoke-checked (the backend's restore test), with the RPO and
    RTO achieved against the contract of the SLA version in force.

    A drill is planned for the moment the policy's interval owes it (core/drill.py), run by
    hand (Run Drill) or by the scheduled action when due, inside the environment's operation
    guard (never during an upgrade or a move); a passed drill plans the next one.
    """

    _name = "tenant.dr.drill"
    _description = "Disaster-Recovery Drill"
    _inherit = ["channel.workflow.guard", "mail.thread"]
    _order = "scheduled_at desc, id desc"
    _workflow_fields = (
        "state",
        "started_at",
        "finished_at",
        "run_by_id",
        "backup_id",
        "restore_test_id",
        "details",
        "last_error",
    )
    _workflow_frozen_fields = ("environment_id",)
    _workflow_actions = {"state": "Run Drill"}

    name = fields.Char(compute="_compute_name", store=True)
    environment_id = fields.Many2one(
        "tenant.environment",
        string="Production Environment",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('stage', '=', 'production')]",
    )
    tenant_id = fields.Many2one(related="environment_id.tenant_id", store=True, index=True)
    partner_id = fields.Many2one(related="environment_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="environment_id.company_id", store=True, index=True)
    state = fields.Selection(
        DRILL_STATES,
        required=True,
        default="planned",
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
    )
    scheduled_at = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        index=True,
        tracking=True,
        help="When the scheduled action runs the drill (the policy's interval after the last "
        "passed one).",
    )
    started_at = fields.Datetime(readonly=True, copy=False)
    finished_at = fields.Datetime(readonly=True, copy=False)
    run_by_id = fields.Many2one("res.users", string="Run By", readonly=True, copy=False)
    backup_id = fields.Many2one(
        "tenant.backup", string="Backup Restored", readonly=True, copy=False, index=True
    )
    restore_test_id = fields.Many2one(
        "tenant.restore.test", string="Restore Test", readonly=True, copy=False, index=True
    )
    rpo_achieved_minutes = fields.Float(
        related="restore_test_id.rpo_achieved_minutes", store=True, string="Achieved RPO (min)"
    )
    rto_achieved_minutes = fields.Float(
        related="restore_test_id.rto_achieved_minutes", store=True, string="Achieved RTO (min)"
    )
    rpo_target_minutes = fields.Float(
        related="restore_test_id.rpo_target_minutes", store=True, string="Contracted RPO (min)"
    )
    rto_target_minutes = fields.Float(
        related="restore_test_id.rto_target_minutes", store=True, string="Contracted RTO (min)"
    )
    rpo_met = fields.Boolean(related="restore_test_id.rpo_met", store=True, string="RPO Met")
    rto_met = fields.Boolean(related="restore_test_id.rto_met", store=True, string="RTO Met")
    details = fields.Text(readonly=True, copy=False)
    last_error = fields.Text(
        readonly=True,
        copy=False,
        help="Why the scheduled action could not start this drill at its last attempt.",
    )

    @api.depends("environment_id.display_name")
    def _compute_name(self):
        for drill in self:
            drill.name = self.env._(
                "DR drill %(env)s",
                env=drill.environment_id.display_name or "",
            )

    def init(self):
        # at most one drill waiting or running per environment: planning twice is a no-op
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS tenant_dr_drill_one_open_uniq "
            "ON tenant_dr_drill (environment_id) WHERE state IN ('planned', 'running')"
        )

    @api.constrains("environment_id")
    def _check_environment(self):
        for drill in self:
            if drill.environment_id.stage != "production":
                raise ValidationError(
                    self.env._(
                        "Production Environment: %(env)s is not a production environment; "
                        "disaster-recovery drills restore production's backups.",
                        env=drill.environment_id.display_name,
                    )
                )

    # --- running ------------------------------------------------------------------------
    def action_run(self):
        """Run the drill now (Channel Managers): refused with a clear error when the
        environment is not running or another operation (an upgrade, a move) holds it."""
        self.tenant_id._check_manager()
        for drill in self:
            if drill.state != "planned":
                raise UserError(
                    self.env._(
                        "%(name)s is %(state)s: only a planned drill runs. Plan a new drill "
                        "from the environment.",
                        name=drill.display_name,
                        state=dict(DRILL_STATES)[drill.state],
                    )
                )
            drill._run()
        return True

    def _run(self, now=None):
        """Restore the environment's latest backup through the backend, smoke-check it and
        record the measures; plan the next drill. Raises UserError when it cannot start."""
        self.ensure_one()
        environment = self.environment_id
        if environment.state != "active":
            raise UserError(
                self.env._(
                    "%(env)s is not running (%(state)s): a drill restores a running production "
                    "environment's latest backup. Resume or provision it first.",
                    env=environment.display_name,
                    state=dict(environment._fields["state"]._description_selection(self.env))[
                        environment.state
                    ],
                )
            )
        with environment._operation("drill"):
            started = fields.Datetime.now()
            self._workflow_write(
                {
                    "state": "running",
                    "started_at": started,
                    "run_by_id": self.env.user.id,
                    "last_error": False,
                }
            )
            backup = (
                self.env["tenant.backup"]
                .sudo()
                .search(
                    [
                        ("environment_id", "=", environment.id),
                        ("state", "=", "done"),
                        ("purged_at", "=", False),
                    ],
                    order="started_at desc, id desc",
                    limit=1,
                )
            )
            if not backup:
                self._finish(
                    "failed",
                    self.env._(
                        "No backup of %(env)s to restore: take a backup (or enable the "
                        "scheduled backups) before the drill.",
                        env=environment.display_name,
                    ),
                )
            else:
                # the drill's own start is the reference instant: the data a failure now loses
                test = backup._restore_test(reference_at=started)
                self._workflow_write({"backup_id": backup.id, "restore_test_id": test.id})
                self._finish(test.state, test.details)
        return self

    def _finish(self, state, details):
        self._workflow_write(
            {"state": state, "finished_at": fields.Datetime.now(), "details": details}
        )
        label = dict(DRILL_STATES)[state]
        self.message_post(body=self.env._("Drill %(state)s: %(d)s", state=label, d=details))
        self.environment_id.message_post(
            body=self.env._("Disaster-recovery drill %(state)s: %(d)s", state=label, d=details)
        )
        self.environment_id._refresh_drill_status()
        self.environment_id._plan_drill()

    # --- the scheduled action -------------------------------------------------------------
    @api.model
    def _cron_run_due(self, now=None, batch_size=5):
        """Plan a drill for every running production environment without one, refresh the
        overdue flags, then run one batch of the planned drills that are due; returns the
        number handled. Each drill runs in its own savepoint: one that cannot start (the
        environment busy with an upgrade, say) keeps its plan with the reason and is tried at
        the next run; one that fails is recorded failed; neither stops the batch."""
        now = now or fields.Datetime.now()
        Environment = self.env["tenant.environment"].sudo()
        production = Environment.search([("stage", "=", "production"), ("state", "=", "active")])
        production._plan_drill(now)
        Environment.search([("stage", "=", "production")])._refresh_drill_status()
        where = SQL("state = 'planned' AND scheduled_at <= %s", now)
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM tenant_dr_drill WHERE %s ORDER BY scheduled_at, id LIMIT %s "
                "FOR UPDATE SKIP LOCKED",
                where,
                batch_size,
            )
        )
        batch = self.sudo().browse(row[0] for row in self.env.cr.fetchall())
        for drill in batch:
            try:
                with self.env.cr.savepoint():
                    drill._run()
            except Exception as exc:  # recorded on the drill, the batch goes on
                # tried again in an hour (an upgrade or a move usually ends by then)
                drill._workflow_write(
                    {"last_error": str(exc), "scheduled_at": now + timedelta(hours=1)}
                )
                drill.message_post(body=self.env._("The drill could not run: %(e)s", e=exc))
        self.env.cr.execute(SQL("SELECT count(*) FROM tenant_dr_drill WHERE %s", where))
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=self.env.cr.fetchone()[0])
        return len(batch)

    @api.model
    def _next_drill_at(self, environment, now):
        version = environment.tenant_id.sla_policy_id._version_at(now)
        interval = version.dr_drill_interval_days if version else 90
        return next_drill_at(
            now, environment.last_drill_passed_at, environment._drill_live_since(), interval
        )
