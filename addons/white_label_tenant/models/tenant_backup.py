from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..backends.base import BackendError
from ..core.retention import DEFAULT_RULES


class TenantBackup(models.Model):
    """One backup of one environment: a real dump file with its size and checksum."""

    _name = "tenant.backup"
    _description = "Tenant Backup"
    _order = "started_at desc, id desc"
    _rec_name = "started_at"

    environment_id = fields.Many2one(
        "tenant.environment", required=True, index=True, ondelete="cascade"
    )
    tenant_id = fields.Many2one(related="environment_id.tenant_id", store=True, index=True)
    partner_id = fields.Many2one(related="environment_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="environment_id.company_id", store=True, index=True)
    kind = fields.Selection(
        [
            ("manual", "Manual"),
            ("scheduled", "Scheduled"),
            ("promotion", "Before Promotion"),
            ("final", "Final (decommission)"),
        ],
        required=True,
        default="manual",
    )
    state = fields.Selection(
        [("done", "Done"), ("failed", "Failed"), ("pruned", "Pruned")],
        required=True,
        default="done",
        index=True,
    )
    started_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    finished_at = fields.Datetime()
    duration_seconds = fields.Float(
        string="Duration (seconds)", compute="_compute_duration", store=True, digits=(16, 2)
    )
    file_path = fields.Char(readonly=True, groups="partner_scorecard.group_channel_manager")
    size_bytes = fields.Integer(string="Size (bytes)", readonly=True)
    checksum = fields.Char(string="SHA-256", readonly=True)
    table_count = fields.Integer(readonly=True, help="Tables in the database when it was dumped.")
    error_message = fields.Text(readonly=True)
    restore_test_ids = fields.One2many("tenant.restore.test", "backup_id", string="Restore Tests")
    expires_at = fields.Datetime(
        string="Kept At Least Until",
        compute="_compute_expires_at",
        store=True,
        index=True,
        help="Every backup is kept at least Keep Every Backup (days) of the SLA policy version "
        "in force when it was taken (2 days without one); after that the retention rules keep "
        "the newest backup of each day, week and month within their windows.",
    )
    purged_at = fields.Datetime(
        string="File Removed On",
        readonly=True,
        help="Set by releases before 18.0.1.1.0, which removed a dump file when its own retention "
        "had passed; the retention rules (state Pruned) now decide alone.",
    )

    @api.depends("started_at", "finished_at")
    def _compute_duration(self):
        for backup in self:
            if backup.started_at and backup.finished_at:
                backup.duration_seconds = (backup.finished_at - backup.started_at).total_seconds()
            else:
                backup.duration_seconds = 0.0

    @api.depends("started_at")
    def _compute_expires_at(self):
        for backup in self:
            policy = backup.environment_id.tenant_id.sla_policy_id
            version = (
                policy._version_at(backup.started_at) if policy and backup.started_at else None
            )
            days = version.backup_retention_days if version else DEFAULT_RULES.keep_all_days
            backup.expires_at = backup.started_at and backup.started_at + timedelta(days=days)

    def _restore_test(self, reference_at=None):
        """Restore this backup into a scratch database, smoke-check it, drop it, record the
        result with the RPO and RTO it measured. ``reference_at``: the incident the restore
        answers (default: now, a drill)."""
        self.ensure_one()
        if self.state == "pruned":
            raise UserError(
                self.env._(
                    "This backup was pruned on %(date)s by the retention rules (%(reason)s): "
                    "restore-test a more recent backup.",
                    date=self.pruned_at,
                    reason=self.prune_reason,
                )
            )
        if self.state != "done":
            raise UserError(self.env._("Only a successful backup can be restore-tested."))
        if self.purged_at:
            raise UserError(
                self.env._(
                    "The file of this backup was removed on %(date)s (its retention had passed): "
                    "restore-test a more recent backup.",
                    date=self.purged_at,
                )
            )
        environment = self.environment_id
        # to the microsecond (the datetime fields keep seconds): a restore can take under one
        started = datetime.now()
        try:
            result = environment.tenant_id._get_backend().restore_test(environment, self.sudo())
        except (BackendError, OSError) as exc:
            result = {"passed": False, "scratch_database": False, "details": str(exc)}
        finished = datetime.now()
        Test = self.env["tenant.restore.test"].sudo()
        vals = Test._prepare_measured_vals(self, reference_at or started, started, finished)
        vals.update(
            state="passed" if result["passed"] else "failed",
            scratch_database=result["scratch_database"],
            details=result["details"],
        )
        test = Test.create(vals)
        environment.message_post(
            body=self.env._(
                "Restore test %(state)s: %(details)s",
                state=dict(test._fields["state"]._description_selection(self.env))[test.state],
                details=result["details"],
            )
        )
        return test

    def action_restore_test(self):
        self.environment_id.tenant_id._check_manager()
        for backup in self:
            backup._restore_test()
        return True
