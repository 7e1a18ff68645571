from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..backends.base import BackendError
from ..core import deployment
from ..core.drill import grace_ends_at

MIGRATION_STATES = [
    ("draft", "Requested"),
    ("running", "Running"),
    ("switched", "Switched (old read-only)"),
    ("done", "Done"),
    ("failed", "Failed"),
]


class TenantMigration(models.Model):
    """The governed move of a tenant from the multi-tenant platform to a dedicated environment.

    Run Move does, inside the source's operation guard (never during an upgrade or a drill):
    a backup of the source; the source made read-only (nothing written after the copy is lost);
    a real copy into a new dedicated production environment through the backend, with the
    dedicated plan's own database settings; a health check of the copy; the switch: the new
    environment takes the URL, the tenant turns dedicated and its billing switches plan on that
    day (``_on_switched``, extended by recurring_billing). A failure before the switch undoes
    what it made (the copy dropped, the source writable again) and is recorded.

    The old environment stays read-only for the grace period, then the scheduled action
    decommissions it through the environments' own path (final backup, only a database the
    suite created), recording who and when.
    """

    _name = "tenant.migration"
    _description = "Move to a Dedicated Environment"
    _inherit = ["channel.workflow.guard", "mail.thread"]
    _order = "id desc"
    _workflow_fields = (
        "state",
        "target_environment_id",
        "backup_id",
        "started_at",
        "started_by_id",
        "switched_at",
        "switched_by_id",
        "read_only_until",
        "decommissioned_at",
        "decommissioned_by_id",
        "details",
    )
    _workflow_frozen_fields = ("source_environment_id",)
    _workflow_actions = {"state": "Run Move"}
    # the environment and the plan of the move belong to the move's company (or to all)
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    source_environment_id = fields.Many2one(
        "tenant.environment",
        string="Multi-Tenant Environment",
        required=True,
        check_company=True,
        index=True,
        ondelete="cascade",
        domain="[('stage', '=', 'production'), ('tenant_id.deployment_model', '=', 'multi_tenant')]",
    )
    tenant_id = fields.Many2one(
        related="source_environment_id.tenant_id", store=True, index=True, string="Tenant"
    )
    partner_id = fields.Many2one(related="tenant_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    target_plan_id = fields.Many2one(
        "tenant.plan",
        string="Dedicated Plan",
        required=True,
        check_company=True,
        help="The infrastructure plan of the dedicated environment: its database limits, and the "
        "price its hosting line is billed at from the day of the switch.",
    )
    target_database_name = fields.Char(
        string="Dedicated Database Name",
        required=True,
        help="The new environment's database; it must not exist yet.",
    )
    grace_days = fields.Integer(
        string="Keep Old Read-Only (days)",
        default=14,
        required=True,
        help="After the switch the old environment stays, read-only, this many days; the "
        "scheduled action then decommissions it.",
    )
    state = fields.Selection(
        MIGRATION_STATES,
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
    )
    target_environment_id = fields.Many2one(
        "tenant.environment", string="Dedicated Environment", readonly=True, copy=False
    )
    backup_id = fields.Many2one(
        "tenant.backup", string="Backup Before the Move", readonly=True, copy=False
    )
    started_at = fields.Datetime(readonly=True, copy=False)
    started_by_id = fields.Many2one("res.users", string="Started By", readonly=True, copy=False)
    switched_at = fields.Datetime(readonly=True, copy=False)
    switched_by_id = fields.Many2one("res.users", string="Switched By", readonly=True, copy=False)
    read_only_until = fields.Datetime(
        string="Old Kept Until", readonly=True, copy=False, index=True
    )
    decommissioned_at = fields.Datetime(string="Old Decommissioned On", readonly=True, copy=False)
    decommissioned_by_id = fields.Many2one(
        "res.users", string="Old Decommissioned By", readonly=True, copy=False
    )
    details = fields.Text(readonly=True, copy=False)

    @api.depends("tenant_id.name")
    def _compute_name(self):
        for migration in self:
            migration.name = self.env._(
                "%(tenant)s: move to dedicated", tenant=migration.tenant_id.name or ""
            )

    @api.constrains("source_environment_id", "grace_days", "target_database_name")
    def _check_request(self):
        for migration in self:
            source = migration.source_environment_id
            if source.stage != "production":
                raise ValidationError(
                    self.env._(
                        "Multi-Tenant Environment: %(env)s is not a production environment; the "
                        "move takes the tenant's production.",
                        env=source.display_name,
                    )
                )
            if migration.grace_days < 0:
                raise ValidationError(
                    self.env._(
                        "Keep Old Read-Only (days) must be 0 or more (e.g. 14), not %(v)s.",
                        v=migration.grace_days,
                    )
                )
            if migration.target_database_name == source.database_name:
                raise ValidationError(
                    self.env._(
                        "Dedicated Database Name must differ from the current database %(db)s.",
                        db=source.database_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["tenant.tenant"]._check_manager()
        return super().create(vals_list)

    # --- the move -------------------------------------------------------------------------
    def action_run(self):
        """Run the move (Channel Managers). Refused with a clear error when the request is not
        draft, the tenant is already dedicated, or another operation holds the source."""
        self.tenant_id._check_manager()
        for migration in self:
            if migration.state != "draft":
                raise UserError(
                    self.env._(
                        "%(name)s is %(state)s: only a requested move runs.",
                        name=migration.display_name,
                        state=dict(MIGRATION_STATES)[migration.state],
                    )
                )
            source = migration.source_environment_id
            if migration.tenant_id.deployment_model != deployment.MULTI_TENANT:
                raise UserError(
                    self.env._(
                        "Tenant %(tenant)s is already dedicated: nothing to move.",
                        tenant=migration.tenant_id.display_name,
                    )
                )
            if source.state != "active":
                raise UserError(
                    self.env._(
                        "%(env)s is not running: only a running environment is moved.",
                        env=source.display_name,
                    )
                )
            with source._operation("migration"):
                migration._run()
        return True

    def _run(self):
        self.ensure_one()
        source = self.source_environment_id
        self._workflow_write(
            {
                "state": "running",
                "started_at": fields.Datetime.now(),
                "started_by_id": self.env.user.id,
            }
        )
        backup = source._backup(kind="migration")
        self._workflow_write({"backup_id": backup.id})
        if backup.state != "done":
            return self._fail(
                self.env._(
                    "The source was not backed up (%(e)s): nothing was moved.",
                    e=backup.error_message,
                )
            )
        backend = self.tenant_id._get_backend()
        steps = [self.env._("Backed up %(env)s.", env=source.display_name)]
        target = self._create_target()
        try:
            steps.append(backend.set_read_only(source)["details"])
            # the tenant turns dedicated first: the copy is given the dedicated settings
            self.tenant_id.with_context(tenant_migration_source_id=source.id).write(
                {"deployment_model": deployment.DEDICATED}
            )
            copied = backend.copy_to(source, target)
            target._workflow_write(
                {
                    "database_created_at": fields.Datetime.now(),
                    "database_created_by_id": self.env.uid,
                }
            )
            steps.append(copied["details"])
            health = backend.smoke_check(target, copied["table_count"])
            steps.append(health["details"])
            if not health["passed"]:
                raise BackendError(
                    self.env._("Health check of the copy failed: %(d)s", d=health["details"])
                )
        except (BackendError, OSError, UserError) as exc:
            steps.append(str(exc))
            return self._undo(target, backend, steps)
        return self._switch(target, steps)

    def _create_target(self):
        source = self.source_environment_id
        target = self.env["tenant.environment"]._workflow_create(
            {
                "tenant_id": self.tenant_id.id,
                "stage": "production",
                "database_name": self.target_database_name,
                "plan_id": self.target_plan_id.id,
                "region": source.region,
                "data_residency": source.data_residency,
                "odoo_version": source.odoo_version,
                "state": "provisioning",
                "migration_pending": True,
            }
        )
        self._workflow_write({"target_environment_id": target.id})
        return target

    def _switch(self, target, steps):
        """The new environment takes the URL and runs; the old one keeps its data read-only."""
        source = self.source_environment_id
        now = fields.Datetime.now()
        url = source.url
        source.write({"url": False})
        source._workflow_write({"migration_read_only": True})
        target.write({"url": url})
        target._workflow_write({"migration_pending": False, "provisioned_at": now})
        target._set_state("active")
        until = grace_ends_at(now, self.grace_days)
        self._workflow_write(
            {
                "state": "switched",
                "switched_at": now,
                "switched_by_id": self.env.user.id,
                "read_only_until": until,
                "details": "\n".join(filter(None, steps)),
            }
        )
        self._on_switched(fields.Date.context_today(self, now))
        message = self.env._(
            "Moved to the dedicated environment %(target)s by %(user)s; %(old)s stays "
            "read-only until %(until)s, then it is decommissioned.",
            target=target.display_name,
            user=self.env.user.name,
            old=source.display_name,
            until=until,
        )
        self.message_post(body=message)
        self.tenant_id.message_post(body=message)
        return True

    def _on_switched(self, day):
        """Hook: the move switched on ``day`` (recurring_billing switches the billing)."""
        return True

    def _undo(self, target, backend, steps):
        """Before the switch: drop the copy (only the suite's), make the source writable again
        and the tenant multi-tenant as it was; record why."""
        source = self.source_environment_id
        for undo in (
            lambda: backend.decommission(target) if backend.created_by_suite(target) else None,
            lambda: backend.set_read_only(source, read_only=False),
        ):
            try:
                result = undo()
                if result:
                    steps.append(result["details"])
            except (BackendError, OSError) as exc:
                steps.append(str(exc))
        # the copy never served: it stays out of the tenant's production (migration_pending)
        target._set_state("decommissioned")
        if self.tenant_id.deployment_model != deployment.MULTI_TENANT:
            self.tenant_id.with_context(tenant_migration_source_id=source.id).write(
                {"deployment_model": deployment.MULTI_TENANT}
            )
        return self._fail("\n".join(filter(None, steps)))

    def _fail(self, reason):
        self._workflow_write({"state": "failed", "details": reason})
        self.message_post(body=self.env._("The move failed: %(e)s", e=reason))
        return False

    # --- after the grace period -----------------------------------------------------------
    @api.model
    def _cron_decommission_old(self, now=None, batch_size=10):
        """Decommission the old environments whose grace period is over, one savepoint each;
        returns the number handled. A refusal (a database the suite did not create) or a
        failure is recorded on the move, which stays switched until it is settled."""
        now = now or fields.Datetime.now()
        domain = [("state", "=", "switched"), ("read_only_until", "<=", now)]
        migrations = self.sudo().search(domain, order="read_only_until, id", limit=batch_size)
        for migration in migrations:
            try:
                with self.env.cr.savepoint():
                    migration._decommission_old(now)
            except Exception as exc:
                migration.message_post(
                    body=self.env._("Decommissioning the old environment failed: %(e)s", e=exc)
                )
        self.env["ir.cron"]._notify_progress(
            done=len(migrations), remaining=self.sudo().search_count(domain)
        )
        return len(migrations)

    def _decommission_old(self, now):
        self.ensure_one()
        source = self.source_environment_id
        if not source._decommission():
            self.message_post(
                body=self.env._(
                    "The old environment %(env)s was not decommissioned: %(e)s",
                    env=source.display_name,
                    e=source.error_message,
                )
            )
            return False
        self._workflow_write(
            {"state": "done", "decommissioned_at": now, "decommissioned_by_id": self.env.uid}
        )
        self.message_post(
            body=self.env._(
                "The old environment %(env)s was decommissioned by %(user)s on %(at)s.",
                env=source.display_name,
                user=self.env.user.name,
                at=now,
            )
        )
        return True
