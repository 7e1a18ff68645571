from urllib.parse import urlparse

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..backends.base import BackendError

ENVIRONMENT_STATES = [
    ("draft", "Draft"),
    ("provisioning", "Provisioning"),
    ("active", "Running"),
    ("suspended", "Suspended"),
    ("decommissioned", "Decommissioned"),
    ("error", "Error"),
]
REGIONS = [
    ("eu-west", "EU West (Ireland)"),
    ("eu-central", "EU Central (Frankfurt)"),
    ("uk-south", "UK South (London)"),
    ("ch-north", "Switzerland (Zurich)"),
    ("us-east", "US East (Virginia)"),
    ("ca-central", "Canada (Montreal)"),
    ("ap-southeast", "Asia Pacific (Singapore)"),
    ("local", "Local (this server)"),
]


class TenantEnvironment(models.Model):
    """One running instance of a tenant: its own database, URL, region and infrastructure plan."""

    _name = "tenant.environment"
    _description = "Tenant Environment"
    # its database (name, template, what the suite created) lives in tenant.environment.database,
    # the probe and backup crons in tenant.environment.batch
    _inherit = [
        "channel.workflow.guard",
        "tenant.environment.database",
        "tenant.environment.batch",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "tenant_id, stage, id"
    # set only by the actions and the scheduled work (channel.workflow.guard, every caller)
    _workflow_fields = (
        "state",
        "error_message",
        "state_changed_at",
        "state_changed_by_id",
        "provisioned_at",
        "database_created_at",
        "database_created_by_id",
        "health_state",
        "consecutive_failures",
        "last_probe_at",
        "next_backup_at",
    )
    _workflow_actions = {"state": "Provision, Suspend, Resume or Decommission (on the tenant)"}

    name = fields.Char(compute="_compute_name", store=True)
    tenant_id = fields.Many2one(
        "tenant.tenant", string="Tenant", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        related="tenant_id.partner_id", store=True, index=True, string="Channel Partner"
    )
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    stage = fields.Selection(
        [("production", "Production"), ("staging", "Staging"), ("development", "Development")],
        required=True,
        default="production",
        tracking=True,
    )
    url = fields.Char(string="URL", tracking=True)
    odoo_version = fields.Char(string="Odoo Version", default="18.0", required=True)
    region = fields.Selection(REGIONS, required=True, default="eu-west", tracking=True)
    data_residency = fields.Char(
        help="Jurisdiction the customer's data must stay in, e.g. EU, Switzerland, US."
    )
    plan_id = fields.Many2one("tenant.plan", string="Plan", required=True, tracking=True)
    state = fields.Selection(
        ENVIRONMENT_STATES,
        required=True,
        default="draft",
        index=True,
        tracking=True,
        copy=False,
        readonly=True,
    )
    error_message = fields.Text(copy=False, readonly=True)
    state_changed_at = fields.Datetime(string="State Changed On", readonly=True, copy=False)
    state_changed_by_id = fields.Many2one("res.users", string="State Changed By", readonly=True)
    provisioned_at = fields.Datetime(readonly=True, copy=False)
    health_state = fields.Selection(
        [("unknown", "Unknown"), ("up", "Up"), ("down", "Down")],
        default="unknown",
        required=True,
        index=True,
        copy=False,
        readonly=True,
    )
    consecutive_failures = fields.Integer(readonly=True, copy=False)
    last_probe_at = fields.Datetime(readonly=True, copy=False)
    next_backup_at = fields.Datetime(
        string="Next Scheduled Backup",
        compute="_compute_next_backup_at",
        store=True,
        readonly=True,
        copy=False,
        index=True,
        help="When the scheduled backups take this environment next: its SLA policy's backup "
        "frequency after the last backup (empty: at the next run).",
    )
    backup_ids = fields.One2many("tenant.backup", "environment_id", string="Backups")
    restore_test_ids = fields.One2many(
        "tenant.restore.test", "environment_id", string="Restore Tests"
    )
    last_backup_at = fields.Datetime(compute="_compute_last_backup_at")

    _sql_constraints = [
        (
            "database_name_uniq",
            "unique (database_name)",
            "This database name is already used by another environment: choose another one.",
        ),
    ]

    @api.depends("tenant_id.name", "stage")
    def _compute_name(self):
        labels = dict(self._fields["stage"]._description_selection(self.env))
        for env in self:
            env.name = f"{env.tenant_id.name or ''} / {labels.get(env.stage, '')}"

    def _compute_last_backup_at(self):
        groups = self.env["tenant.backup"]._read_group(
            [("environment_id", "in", self.ids), ("state", "=", "done")],
            ["environment_id"],
            ["finished_at:max"],
        )
        last = {env.id: when for env, when in groups}
        for env in self:
            env.last_backup_at = last.get(env.id)

    @api.constrains("url")
    def _check_url(self):
        for env in self.filtered("url"):
            parsed = urlparse(env.url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname or " " in env.url:
                raise ValidationError(
                    self.env._(
                        "URL %(url)s is not valid: use an absolute http(s) address such as "
                        "https://erp.example.com.",
                        url=env.url,
                    )
                )

    # --- operations -------------------------------------------------------------------------
    def _get_branding_values(self):
        """The tenant's effective branding, plus the address this environment answers on:
        production the brand's custom domain, other stages their own URL."""
        self.ensure_one()
        branding = self.tenant_id.effective_branding_id
        values = branding._get_branding_values() if branding else {}
        if self.stage == "production" and branding.custom_domain:
            values["base_url"] = f"https://{branding.custom_domain}"
        else:
            values["base_url"] = self.url or False
        return values

    def _set_state(self, state, error=None):
        self._workflow_write(
            {
                "state": state,
                "error_message": error or False,
                "state_changed_at": fields.Datetime.now(),
                "state_changed_by_id": self.env.user.id,
            }
        )

    def _run_backend(self, operation, state):
        """Run one simple backend operation; a failure is an error state, never silent.
        Suspending or resuming an environment without a database (``_has_no_database``) has
        nothing to act on: only its state changes, and its chatter says so."""
        self.ensure_one()
        backend = self.tenant_id._get_backend()
        try:
            if operation in ("suspend", "resume") and self._has_no_database(backend):
                self._set_state(state)
                self.message_post(body=self._no_database_note(operation))
                return True
            result = getattr(backend, operation)(self)
        except (BackendError, OSError) as exc:
            self._set_state("error", str(exc))
            self.message_post(body=self.env._("%(op)s failed: %(e)s", op=operation, e=exc))
            return False
        self._set_state(state)
        self.message_post(body=result.get("details") or operation)
        return True

    def _has_no_database(self, backend):
        """No database at all: the suite never created one and none exists under its name (a
        demo or imported record). One that exists is the backend's, which refuses a foreign one."""
        return not self.database_created_at and not backend.exists(self)

    def _no_database_note(self, operation):
        if operation == "suspend":
            return self.env._(
                "Suspended without any infrastructure change: no database %(db)s exists (the "
                "suite never created one for this environment), so nothing was stopped.",
                db=self.database_name,
            )
        return self.env._(
            "Resumed without any infrastructure change: no database %(db)s exists (the suite "
            "never created one for this environment), so nothing was started again.",
            db=self.database_name,
        )

    def _provision(self):
        """Create the database and brand it; returns False (and records why) on failure."""
        self.ensure_one()
        backend = self.tenant_id._get_backend()
        self._set_state("provisioning")
        try:
            result = backend.provision(self)
        except (BackendError, OSError) as exc:
            self._set_state("error", str(exc))
            self.message_post(body=self.env._("Provisioning failed: %(e)s", e=exc))
            return False
        self._workflow_write(
            {"database_created_at": fields.Datetime.now(), "database_created_by_id": self.env.uid}
        )
        branding = self.tenant_id.effective_branding_id
        if branding:
            try:
                backend.apply_branding(self, self._get_branding_values())
            except Exception as exc:
                try:
                    backend.decommission(self)
                    self._workflow_write(
                        {"database_created_at": False, "database_created_by_id": False}
                    )
                    cleanup = self.env._("the new database was dropped")
                except Exception as drop_exc:
                    cleanup = self.env._(
                        "the new database %(db)s could NOT be dropped: %(e)s",
                        db=self.database_name,
                        e=drop_exc,
                    )
                self._set_state(
                    "error",
                    self.env._("Applying the branding failed (%(e)s); %(c)s.", e=exc, c=cleanup),
                )
                return False
        self._set_state("active")
        self._workflow_write({"provisioned_at": fields.Datetime.now()})
        self.message_post(body=result.get("details"))
        return True

    def _backup(self, kind="manual"):
        """Take a real backup and record it (a failure is recorded too). Returns the record."""
        self.ensure_one()
        started = fields.Datetime.now()
        Backup = self.env["tenant.backup"].sudo()
        try:
            result = self.tenant_id._get_backend().backup(self)
        except (BackendError, OSError) as exc:
            return self._record_failed_backup(kind, started, exc)
        return Backup.create(
            {
                "environment_id": self.id,
                "kind": kind,
                "state": "done",
                "started_at": started,
                "finished_at": fields.Datetime.now(),
                "file_path": result["path"],
                "size_bytes": result["size_bytes"],
                "checksum": result["checksum"],
                "table_count": result["table_count"],
            }
        )

    def _record_failed_backup(self, kind, started, error):
        self.ensure_one()
        self.message_post(body=self.env._("Backup failed: %(e)s", e=error))
        return (
            self.env["tenant.backup"]
            .sudo()
            .create(
                {
                    "environment_id": self.id,
                    "kind": kind,
                    "state": "failed",
                    "started_at": started,
                    "finished_at": fields.Datetime.now(),
                    "error_message": str(error),
                }
            )
        )

    def _decommission(self):
        self.ensure_one()
        backend = self.tenant_id._get_backend()
        if backend.exists(self) and not backend.created_by_suite(self):
            # never a final backup (a copy of someone else's data) nor a drop
            self._set_state(
                "error",
                self.env._(
                    "Decommissioning refused: the database %(db)s was not created by the suite "
                    "for this environment and is left untouched. Remove it yourself if it is "
                    "really to go.",
                    db=self.database_name,
                ),
            )
            return False
        if backend.exists(self):
            backup = self._backup(kind="final")
            if backup.state != "done":
                self._set_state(
                    "error",
                    self.env._(
                        "Decommissioning stopped: the final backup failed (%(e)s); the database "
                        "was kept.",
                        e=backup.error_message,
                    ),
                )
                return False
        return self._run_backend("decommission", "decommissioned")

    def action_backup(self):
        self.tenant_id._check_manager()
        for env in self:
            if env.state not in ("active", "suspended"):
                raise UserError(
                    self.env._("%(env)s is not running: nothing to back up.", env=env.display_name)
                )
            env._backup()
        return True

    def action_restore_test(self):
        self.tenant_id._check_manager()
        for env in self:
            backup = self.env["tenant.backup"].search(
                [("environment_id", "=", env.id), ("state", "=", "done")],
                order="finished_at desc, id desc",
                limit=1,
            )
            if not backup:
                raise UserError(
                    self.env._(
                        "%(env)s has no successful backup to restore: take a backup first.",
                        env=env.display_name,
                    )
                )
            backup._restore_test()
        return True

    def action_apply_branding(self):
        """Push the current branding (name, colours, contact, logo, domain) into running
        environments, e.g. after the partner changed its logo."""
        self.tenant_id._check_manager()
        for env in self:
            if env.state != "active":
                raise UserError(
                    self.env._(
                        "%(env)s is not running: provision or resume it before applying the "
                        "branding.",
                        env=env.display_name,
                    )
                )
            try:
                result = env.tenant_id._get_backend().apply_branding(
                    env, env._get_branding_values()
                )
            except (BackendError, OSError) as exc:
                raise UserError(
                    self.env._(
                        "Applying the branding to %(env)s failed: %(e)s", env=env.name, e=exc
                    )
                ) from exc
            env.message_post(body=result.get("details"))
        return True

    def action_promote(self):
        """Staging -> production: open (or reuse) a promotion request, whose governance gate
        shows what is still missing; the copy itself runs from the request's Promote button."""
        self.ensure_one()
        self.tenant_id._check_manager()
        target = self._promotion_target()
        Promotion = self.env["tenant.promotion"]
        promotion = Promotion.search(
            [("source_environment_id", "=", self.id), ("state", "=", "draft")], limit=1
        ) or Promotion.create(
            {"source_environment_id": self.id, "target_environment_id": target.id}
        )
        return promotion._get_form_action()

    def _promotion_target(self):
        self.ensure_one()
        if self.stage != "staging":
            raise UserError(
                self.env._(
                    "%(env)s is not a staging environment: only staging is promoted to production.",
                    env=self.display_name,
                )
            )
        target = self.tenant_id.environment_ids.filtered(lambda e: e.stage == "production")[:1]
        if not target:
            raise UserError(
                self.env._(
                    "Tenant %(tenant)s has no production environment to promote to: add one.",
                    tenant=self.tenant_id.name,
                )
            )
        return target

    def action_provision(self):
        self.tenant_id._check_manager()
        for env in self.filtered(lambda e: e.state in ("draft", "error")):
            env._provision()
        return True

    def action_decommission(self):
        self.tenant_id._check_manager()
        for env in self.filtered(lambda e: e.state not in ("decommissioned",)):
            if env.state == "draft":
                env._set_state("decommissioned")
            else:
                env._decommission()
        return True
