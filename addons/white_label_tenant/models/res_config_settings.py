from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    """The tenants' block of the Partner Channel settings: the health probe and provisioning
    system parameters (read by ``tenant.environment.batch`` and ``tenant.environment``)."""

    _inherit = "res.config.settings"

    tenant_probe_timeout = fields.Float(
        string="Probe Timeout (seconds)",
        config_parameter="white_label_tenant.probe_timeout",
        default=3.0,
        help="How long one health probe waits for an environment's answer.",
    )
    tenant_probe_failure_threshold = fields.Integer(
        string="Failed Probes Before Down",
        config_parameter="white_label_tenant.probe_failure_threshold",
        default=3,
        help="Consecutive failed probes after which an environment is down and an incident opens.",
    )
    tenant_probe_min_interval = fields.Integer(
        string="Probe Interval (seconds)",
        config_parameter="white_label_tenant.probe_min_interval_seconds",
        default=120,
        help="An environment is probed again at the earliest this long after its last probe.",
    )
    tenant_probe_workers = fields.Integer(
        string="Parallel Probes",
        config_parameter="white_label_tenant.probe_workers",
        default=64,
        help="Environments probed at the same time by one run of the scheduled action.",
    )
    tenant_template_database = fields.Char(
        string="Template Database",
        config_parameter="white_label_tenant.template_database",
        default="tenant_template",
        help="The database a new tenant environment is copied from.",
    )
    tenant_shared_connection_limit = fields.Integer(
        string="Connections per Shared Database",
        config_parameter="white_label_tenant.shared_connection_limit",
        default=10,
        help="PostgreSQL connection limit of a tenant database on shared hosting.",
    )

    @api.constrains(
        "tenant_probe_timeout",
        "tenant_probe_failure_threshold",
        "tenant_probe_min_interval",
        "tenant_probe_workers",
        "tenant_shared_connection_limit",
    )
    def _check_tenant_settings(self):
        for settings in self:
            for name in (
                "tenant_probe_timeout",
                "tenant_probe_failure_threshold",
                "tenant_probe_min_interval",
                "tenant_probe_workers",
                "tenant_shared_connection_limit",
            ):
                if settings[name] <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s is %(value)s: enter a number above zero.",
                            setting=settings._fields[name].get_description(self.env)["string"],
                            value=settings[name],
                        )
                    )
