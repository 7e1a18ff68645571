from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..backends.base import BackendError
from ..backends.local import valid_database_name
from ..core import deployment

MANAGER_GROUP = "partner_scorecard.group_channel_manager"


class TenantEnvironmentDatabase(models.AbstractModel):
    """An environment's database: its name, the template it is copied from and the record of
    what the suite created. Nothing destructive by surprise: the Odoo database itself, another
    environment's database or a name with anything around it is refused here, and the
    destructive operations act only on a database the suite created for the environment
    (stamped here, marked in the database itself by the backend)."""

    _name = "tenant.environment.database"
    _description = "Tenant Environment Database"
    # the retention cron's high-water mark (channel.workflow.guard, on tenant.environment)
    _workflow_fields = ("retention_checked_at",)

    database_name = fields.Char(required=True, copy=False, tracking=True)
    template_database = fields.Char(
        groups=MANAGER_GROUP,
        tracking=True,
        copy=False,
        help="Database copied at provisioning; empty uses the system parameter "
        "white_label_tenant.template_database. Channel Managers only.",
    )
    # what the suite created: provisioning stamps them (and marks the database itself); the
    # destructive operations act only on a database the suite created for this environment
    database_created_at = fields.Datetime(string="Database Created On", readonly=True, copy=False)
    retention_checked_at = fields.Datetime(
        string="Backups Pruned On",
        readonly=True,
        copy=False,
        help="When the retention rules were last applied to this environment's backups.",
    )
    database_created_by_id = fields.Many2one(
        "res.users", string="Database Created By", readonly=True, copy=False
    )

    @api.constrains("database_name")
    def _check_database_name(self):
        for env in self:
            if not valid_database_name(env.database_name):
                raise ValidationError(
                    self.env._(
                        "Database Name %(name)r is not valid: use 1-63 lower-case letters, digits, "
                        "'_' or '-', starting with a letter or digit (not postgres, template0 or "
                        "template1).",
                        name=env.database_name,
                    )
                )
            if env.database_name == self.env.cr.dbname:
                raise ValidationError(
                    self.env._(
                        "Database Name %(name)s is the Odoo database itself: choose another one.",
                        name=env.database_name,
                    )
                )
            if self.search_count([("database_name", "=", env.database_name), ("id", "!=", env.id)]):
                raise ValidationError(
                    self.env._(
                        "Database Name %(name)s is already used by another environment: choose "
                        "another one.",
                        name=env.database_name,
                    )
                )

    @api.constrains("template_database", "database_name")
    def _check_template_database(self):
        for env in self.sudo().filtered("template_database"):
            template = env.template_database
            if not valid_database_name(template) or template == self.env.cr.dbname:
                raise ValidationError(
                    self.env._(
                        "Template Database %(name)r is not valid: name a template database of "
                        "1-63 lower-case letters, digits, '_' or '-' (not the Odoo database "
                        "itself, nor postgres, template0 or template1).",
                        name=template,
                    )
                )
            if (
                self.sudo()
                .with_context(active_test=False)
                .search_count([("database_name", "=", template)], limit=1)
            ):
                raise ValidationError(
                    self.env._(
                        "Template Database %(name)s is an environment's own database: copying a "
                        "tenant's data into another is refused. Name a template database.",
                        name=template,
                    )
                )

    def _check_template_database_access(self, vals):
        """The template decides whose data a new tenant starts from: Channel Managers only,
        over any path (the field's groups hide it, this refuses the write itself)."""
        if "template_database" in vals:
            self._workflow_check_group(
                MANAGER_GROUP, self.env._("set the Template Database of an environment")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_template_database_access(vals)
            if vals.get("database_name"):
                # lower-case only: surrounding spaces or a newline are refused, never trimmed
                vals["database_name"] = vals["database_name"].lower()
        names = [vals["database_name"] for vals in vals_list if vals.get("database_name")]
        taken = self.sudo().with_context(active_test=False).search([("database_name", "in", names)])
        if taken or len(names) != len(set(names)):
            raise ValidationError(
                self.env._(
                    "Database Name %(name)s is already used by another environment: choose "
                    "another one.",
                    name=", ".join(taken.mapped("database_name")) or ", ".join(names),
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_template_database_access(vals)
        if "database_name" in vals and self.filtered(
            lambda e: e.state not in ("draft", "error") or e.database_created_at
        ):
            raise UserError(
                self.env._(
                    "The Database Name of an environment whose database the suite created "
                    "cannot change."
                )
            )
        # a running dedicated database takes its new plan's limits
        replanned = (
            self.filtered(
                lambda e: e.plan_id.id != vals["plan_id"]
                and e.state in ("active", "suspended")
                and e.tenant_id.deployment_model == deployment.DEDICATED
            )
            if vals.get("plan_id")
            else self.browse()
        )
        if replanned:
            replanned.tenant_id._check_manager()  # it changes running databases
        result = super().write(vals)
        replanned._apply_deployment()
        return result

    # --- deployment model -------------------------------------------------------------------
    def _get_database_settings(self):
        """What the tenant's deployment model and this environment's plan give its database
        (core/deployment.py): read by the backend."""
        self.ensure_one()
        plan = self.sudo().plan_id
        shared = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("white_label_tenant.shared_connection_limit", "10")
        )
        return deployment.database_settings(
            self.sudo().tenant_id.deployment_model,
            plan.db_connection_limit,
            plan.db_statement_timeout,
            plan.db_work_mem_mb,
            int(shared or 0),
        )

    def _apply_deployment(self):
        """Apply the deployment model to the running databases (owner, connection limit,
        parameters); a failure is refused with its reason, nothing is recorded as done."""
        for env in self:
            try:
                result = env.tenant_id._get_backend().apply_deployment(env)
            except (BackendError, OSError) as exc:
                raise UserError(
                    self.env._(
                        "Applying the deployment model to %(env)s failed: %(e)s",
                        env=env.display_name,
                        e=exc,
                    )
                ) from exc
            env.message_post(body=result.get("details"))

    def _get_template_database(self):
        """The template to copy: the environment's own, else the system parameter, which is
        held to the same rule (never an environment's database: its data would be copied)."""
        self.ensure_one()
        template = self.sudo().template_database or self.env[
            "ir.config_parameter"
        ].sudo().get_param("white_label_tenant.template_database", "tenant_template")
        if (
            self.sudo()
            .with_context(active_test=False)
            .search_count([("database_name", "=", template)], limit=1)
        ):
            raise UserError(
                self.env._(
                    "The template database %(name)s is an environment's own database: set the "
                    "system parameter white_label_tenant.template_database (or the environment's "
                    "Template Database) to a template database.",
                    name=template,
                )
            )
        return template
