import json

from odoo import fields, models
from odoo.exceptions import UserError

from ..backends.base import BackendError

# read from the database only: the actions write them through the workflow bypass
VERSION_FIELDS = ("odoo_version", "module_versions", "versions_read_at")


class TenantEnvironment(models.Model):
    """The Odoo version and module versions of an environment, read from its own database
    (``backend.read_versions``) by Read Versions and by every upgrade step, never typed."""

    _inherit = "tenant.environment"
    # refused on create as well as on write (the guard gathers them with the base model's)
    _workflow_fields = VERSION_FIELDS
    _workflow_actions = dict.fromkeys(VERSION_FIELDS, "Read Versions")

    odoo_version = fields.Char(
        readonly=True,
        required=False,
        default=False,
        tracking=True,
        help="Read from the environment's database (the version of its base module) by Read "
        "Versions and by upgrade campaigns; empty until read or when the database cannot tell.",
    )
    module_versions = fields.Json(readonly=True, copy=False)
    module_versions_display = fields.Text(
        string="Installed Modules", compute="_compute_module_versions_display"
    )
    versions_read_at = fields.Datetime(string="Versions Read On", readonly=True, copy=False)
    upgrade_step_ids = fields.One2many(
        "tenant.upgrade.step", "environment_id", string="Upgrade Steps"
    )

    def _compute_module_versions_display(self):
        for env in self:
            modules = env.module_versions or {}
            env.module_versions_display = "\n".join(
                f"{name} {values.get('version') or '?'} ({values.get('state')})"
                for name, values in sorted(modules.items())
            )

    def _read_versions(self):
        """Read and store the versions of these running environments. Returns {id: versions}
        (None for an environment that could not be read, with the reason in its chatter)."""
        read = {}
        for env in self:
            try:
                versions = env.tenant_id._get_backend().read_versions(env)
            except (BackendError, OSError) as exc:
                env.message_post(body=self.env._("Reading the versions failed: %(e)s", e=exc))
                read[env.id] = None
                continue
            env._workflow_write(
                {
                    "odoo_version": versions["odoo_version"] or False,
                    "module_versions": versions["modules"],
                    "versions_read_at": fields.Datetime.now(),
                }
            )
            read[env.id] = versions
        return read

    def action_read_versions(self):
        self.tenant_id._check_manager()
        not_running = self.filtered(lambda e: e.state not in ("active", "suspended"))
        if not_running:
            raise UserError(
                self.env._(
                    "%(env)s has no database to read yet: provision it first.",
                    env=not_running[0].display_name,
                )
            )
        failed = [env for env, versions in self._read_versions().items() if versions is None]
        if failed:
            raise UserError(
                self.env._(
                    "The versions of %(envs)s could not be read: see their chatter.",
                    envs=", ".join(self.browse(failed).mapped("display_name")),
                )
            )
        return True

    @staticmethod
    def _versions_text(versions):
        """A compact record of versions for an upgrade step's log."""
        if not versions:
            return ""
        modules = versions.get("modules") or {}
        return json.dumps(
            {"odoo": versions.get("odoo_version"), **{n: v["version"] for n, v in modules.items()}},
            sort_keys=True,
        )
