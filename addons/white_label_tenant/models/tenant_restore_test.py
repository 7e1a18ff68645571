from datetime import timedelta

from odoo import api, fields, models

from ..core.continuity import restore_measures


class TenantRestoreTest(models.Model):
    """Proof that a backup restores, with the RPO and RTO it achieved (core.continuity):
    RPO from the backup's snapshot to the reference instant, RTO from the restore's start to
    its passed smoke check."""

    _name = "tenant.restore.test"
    _description = "Tenant Restore Test"
    _order = "started_at desc, id desc"
    _rec_name = "started_at"

    backup_id = fields.Many2one("tenant.backup", required=True, index=True, ondelete="cascade")
    environment_id = fields.Many2one(
        related="backup_id.environment_id", store=True, index=True, string="Environment"
    )
    tenant_id = fields.Many2one(related="backup_id.tenant_id", store=True, index=True)
    partner_id = fields.Many2one(related="backup_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="backup_id.company_id", store=True, index=True)
    started_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    finished_at = fields.Datetime(help="When the smoke check of the restored data ended.")
    reference_at = fields.Datetime(
        string="Reference Instant",
        help="The incident (or, for a drill, the test's start) the restored data is aged at.",
    )
    state = fields.Selection(
        [("passed", "Passed"), ("failed", "Failed")], required=True, index=True
    )
    duration_seconds = fields.Float(
        string="Achieved RTO (s)",
        digits=(16, 2),
        help="Measured from the start of the restore to its passed smoke check.",
    )
    backup_age_seconds = fields.Float(
        string="Achieved RPO (s)",
        digits=(16, 0),
        help="Age of the restored data at the reference instant (from the backup's snapshot, "
        "its start): the data a failure then would lose.",
    )
    rto_achieved_minutes = fields.Float(
        string="Achieved RTO (min)", compute="_compute_achieved_minutes", store=True, digits=(16, 1)
    )
    rpo_achieved_minutes = fields.Float(
        string="Achieved RPO (min)", compute="_compute_achieved_minutes", store=True, digits=(16, 1)
    )
    rto_target_minutes = fields.Float(string="Contracted RTO (min)")
    rpo_target_minutes = fields.Float(string="Contracted RPO (min)")
    rto_met = fields.Boolean(string="RTO Met", compute="_compute_targets_met", store=True)
    rpo_met = fields.Boolean(string="RPO Met", compute="_compute_targets_met", store=True)
    scratch_database = fields.Char(readonly=True)
    details = fields.Text(readonly=True)

    @api.depends("duration_seconds", "backup_age_seconds")
    def _compute_achieved_minutes(self):
        for test in self:
            test.rto_achieved_minutes = test.duration_seconds / 60.0
            test.rpo_achieved_minutes = test.backup_age_seconds / 60.0

    @api.model
    def _prepare_measured_vals(self, backup, reference_at, started_at, finished_at):
        """The RPO/RTO a restore of ``backup`` achieved (core.continuity.restore_measures) and
        the contracted targets of the SLA version in force at ``reference_at``."""
        rpo, rto = restore_measures(backup.started_at, reference_at, started_at, finished_at)
        policy = backup.environment_id.tenant_id.sla_policy_id
        version = policy._version_at(reference_at) if policy else None
        return {
            "backup_id": backup.id,
            "reference_at": reference_at,
            "started_at": started_at,
            "finished_at": finished_at,
            "duration_seconds": rto,
            "backup_age_seconds": rpo,
            "rto_target_minutes": version.rto_minutes if version else 0.0,
            "rpo_target_minutes": version.rpo_minutes if version else 0.0,
        }

    @api.depends(
        "state",
        "duration_seconds",
        "backup_age_seconds",
        "rto_target_minutes",
        "rpo_target_minutes",
    )
    def _compute_targets_met(self):
        for test in self:
            passed = test.state == "passed"
            test.rto_met = passed and (
                not test.rto_target_minutes or test.duration_seconds <= test.rto_target_minutes * 60
            )
            test.rpo_met = passed and (
                not test.rpo_target_minutes
                or test.backup_age_seconds <= test.rpo_target_minutes * 60
            )

    @api.model
    def _verified_environments(self, environments, sla_version):
        """The environments among ``environments`` with a passed restore test recent enough for
        ``sla_version`` (its validity, 30 days without a version): one grouped query."""
        days = sla_version.restore_test_validity_days or 30
        since = fields.Datetime.now() - timedelta(days=days)
        groups = self.sudo()._read_group(
            [
                ("environment_id", "in", environments.ids),
                ("state", "=", "passed"),
                ("started_at", ">=", since),
            ],
            ["environment_id"],
        )
        return self.env["tenant.environment"].browse(env.id for (env,) in groups)
