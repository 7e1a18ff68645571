from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .scorecard_metric import METRIC_DOMAINS


class PartnerTierDomainMinimum(models.Model):
    _name = "partner.tier.domain.minimum"
    _description = "Minimum Domain Score of a Tier"

    tier_id = fields.Many2one("partner.tier", required=True, ondelete="cascade", index=True)
    domain = fields.Selection(METRIC_DOMAINS, required=True)
    min_score = fields.Float(string="Minimum Score", required=True)

    _sql_constraints = [
        ("domain_unique", "unique(tier_id, domain)", "A tier has one minimum per domain."),
    ]

    @api.constrains("min_score")
    def _check_min_score(self):
        for line in self:
            if not 0 <= line.min_score <= 100:
                raise ValidationError(
                    self.env._("Minimum Score of a domain must be between 0 and 100.")
                )
