from odoo import api, fields, models
from odoo.exceptions import ValidationError

MDF_PERIODICITIES = [("quarter", "Per Quarter"), ("year", "Per Year")]


class PartnerTier(models.Model):
    """What a tier is worth to the partner: a discount on the wholesale price list, a marketing
    development fund (MDF) budget, and other benefits described as text."""

    _inherit = "partner.tier"

    discount_percent = fields.Float(
        string="Wholesale Discount (%)",
        digits=(5, 2),
        default=0.0,
        help="Discount on the wholesale price list, applied on the partner's invoices for the "
        "billing periods that start on or after the day the partner entered this tier (never "
        "retroactively: a period already started keeps the tier it started with).",
    )
    mdf_amount = fields.Monetary(
        string="MDF Budget",
        currency_field="currency_id",
        help="Marketing development funds a partner of this tier may claim per MDF period.",
    )
    mdf_periodicity = fields.Selection(
        MDF_PERIODICITIES,
        string="MDF Period",
        default="year",
        required=True,
        help="The MDF budget is granted per calendar quarter or per calendar year.",
    )
    benefit_notes = fields.Text(
        string="Other Benefits",
        translate=True,
        help="One benefit per line (e.g. 'Named partner manager'), shown on the partner portal.",
    )

    @api.constrains("discount_percent", "mdf_amount")
    def _check_benefits(self):
        for tier in self:
            if not 0 <= tier.discount_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "Wholesale Discount (%%) of tier %(tier)s must be between 0 and 100 "
                        "(it is %(value)s).",
                        tier=tier.name,
                        value=tier.discount_percent,
                    )
                )
            if tier.mdf_amount < 0:
                raise ValidationError(
                    self.env._(
                        "MDF Budget of tier %(tier)s cannot be negative: set 0 for no fund.",
                        tier=tier.name,
                    )
                )

    def _benefit_lines(self):
        """The other benefits, one per non-empty line."""
        self.ensure_one()
        return [line.strip() for line in (self.benefit_notes or "").splitlines() if line.strip()]

    def _next_tier(self):
        """The tier just above this one (same company or shared), or an empty recordset."""
        self.ensure_one()
        return self.search(
            [
                ("level", ">", self.level),
                ("company_id", "in", [self.company_id.id, False]),
            ],
            order="level, id",
            limit=1,
        )
