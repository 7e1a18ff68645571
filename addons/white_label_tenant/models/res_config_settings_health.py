from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    """The customer health's block of the Partner Channel settings (system parameters read by
    ``tenant.health.batch._health_settings``)."""

    _inherit = "res.config.settings"

    tenant_health_risk_threshold = fields.Float(
        string="Renewal Risk Below",
        config_parameter="white_label_tenant.health_risk_threshold",
        default=50.0,
        help="A tenant whose health score (0-100) is below this is flagged at renewal risk.",
    )
    tenant_health_fast_drop = fields.Float(
        string="Fast Fall (points in 30 days)",
        config_parameter="white_label_tenant.health_fast_drop",
        default=15.0,
        help="A fall of the health score by this many points over 30 days flags the renewal risk "
        "when a subscription term ends within 90 days.",
    )
    tenant_health_expected_users = fields.Integer(
        string="Expected Active Users",
        config_parameter="white_label_tenant.health_expected_users",
        default=5,
        help="Users expected to be active each month in a tenant whose contract says nothing.",
    )
    tenant_health_expected_apps = fields.Integer(
        string="Expected Applications",
        config_parameter="white_label_tenant.health_expected_apps",
        default=3,
        help="Applications expected to be installed in a tenant whose contract says nothing.",
    )

    @api.constrains(
        "tenant_health_risk_threshold",
        "tenant_health_fast_drop",
        "tenant_health_expected_users",
        "tenant_health_expected_apps",
    )
    def _check_tenant_health_settings(self):
        for settings in self:
            if not 0 <= settings.tenant_health_risk_threshold <= 100:
                raise ValidationError(
                    self.env._(
                        "Renewal Risk Below is %(value)s: enter a score from 0 to 100.",
                        value=settings.tenant_health_risk_threshold,
                    )
                )
            for name in (
                "tenant_health_fast_drop",
                "tenant_health_expected_users",
                "tenant_health_expected_apps",
            ):
                if settings[name] <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s is %(value)s: enter a number above zero.",
                            setting=settings._fields[name].get_description(self.env)["string"],
                            value=settings[name],
                        )
                    )
