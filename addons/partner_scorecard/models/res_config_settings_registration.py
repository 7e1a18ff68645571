from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core import registration as reg


class ResConfigSettingsRegistration(models.TransientModel):
    """The deal registration windows, kept as system parameters (read by crm.lead's workflow)."""

    _inherit = "res.config.settings"

    registration_protection_days = fields.Integer(
        string="Registration Protection (days)",
        config_parameter="partner_scorecard.registration_protection_days",
        default=reg.DEFAULT_PROTECTION_DAYS,
    )
    registration_decision_days = fields.Integer(
        string="Registration Decision Delay (days)",
        config_parameter="partner_scorecard.registration_decision_days",
        default=reg.DEFAULT_DECISION_DAYS,
    )

    @api.constrains("registration_protection_days", "registration_decision_days")
    def _check_registration_days(self):
        for settings in self:
            if settings.registration_protection_days < 0 or settings.registration_decision_days < 0:
                raise ValidationError(
                    self.env._(
                        "Registration Protection and Registration Decision Delay are numbers of "
                        "days: 0 or more."
                    )
                )
