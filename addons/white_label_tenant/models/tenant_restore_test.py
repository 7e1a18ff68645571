from datetime import timedelta

from odoo import api, fields, models


class TenantRestoreTest(models.Model):
    """Proof that a backup restores: achieved RTO (restore duration) and RPO (backup age)."""

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
    state = fields.Selection(
        [("passed", "Passed"), ("failed", "Failed")], required=True, index=True
    )
    duration_seconds = fields.Float(
        string="Achieved RTO (s)", digits=(16, 2), help="Time to restore the backup and check it."
    )
    backup_age_seconds = fields.Float(
        string="Achieved RPO (s)",
        digits=(16, 0),
        help="Age of the restored backup when the test started: the data a failure would lose.",
    )
    rto_target_minutes = fields.Float(string="Contracted RTO (min)")
    rpo_target_minutes = fields.Float(string="Contracted RPO (min)")
    rto_met = fields.Boolean(string="RTO Met", compute="_compute_targets_met", store=True)
    rpo_met = fields.Boolean(string="RPO Met", compute="_compute_targets_met", store=True)
    scratch_database = fields.Char(readonly=True)
    details = fields.Text(readonly=True)

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
