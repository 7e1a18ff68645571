from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.tiers import TierCriteria


class PartnerTier(models.Model):
    """A level of the partner program, earned by capability, not by revenue alone."""

    _name = "partner.tier"
    _description = "Partner Tier"
    _order = "level, id"

    name = fields.Char(required=True, translate=True)
    level = fields.Integer(
        required=True, help="Order of the tiers: a higher level is a better tier."
    )
    color = fields.Integer()
    description = fields.Html(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    min_overall_score = fields.Float(string="Minimum Overall Score")
    domain_minimum_ids = fields.One2many(
        "partner.tier.domain.minimum", "tier_id", string="Minimum Domain Scores", copy=True
    )
    min_certification_count = fields.Integer(string="Minimum Active Certifications")
    required_certification_type_ids = fields.Many2many(
        "partner.certification.type", string="Required Certifications"
    )
    min_recurring_revenue = fields.Monetary(
        string="Minimum Recurring Revenue",
        currency_field="currency_id",
        help="Optional: monthly recurring revenue the partner must reach (from the scorecard "
        "metric flagged as recurring revenue).",
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id, required=True
    )
    membership_count = fields.Integer(compute="_compute_membership_count")

    _sql_constraints = [
        ("level_unique", "unique(level, company_id)", "Two tiers cannot have the same level."),
    ]

    @api.constrains(
        "min_overall_score",
        "domain_minimum_ids",
        "min_certification_count",
        "required_certification_type_ids",
        "min_recurring_revenue",
        "level",
    )
    def _check_criteria(self):
        for tier in self:
            lowest = not self.search_count(
                [("level", "<", tier.level), ("company_id", "in", [tier.company_id.id, False])]
            )
            has_criteria = (
                tier.min_overall_score
                or tier.domain_minimum_ids
                or tier.min_certification_count
                or tier.required_certification_type_ids
                or tier.min_recurring_revenue
            )
            if not has_criteria and not lowest:
                raise ValidationError(
                    self.env._(
                        "Tier %(tier)s has no criteria: set a minimum overall score, a minimum "
                        "domain score, certifications or a minimum recurring revenue. Only the "
                        "entry tier (the lowest level) may have none.",
                        tier=tier.name,
                    )
                )
            if not 0 <= tier.min_overall_score <= 100:
                raise ValidationError(
                    self.env._(
                        "Minimum Overall Score of tier %(tier)s must be between 0 and 100.",
                        tier=tier.name,
                    )
                )
            if tier.min_certification_count < 0 or tier.min_recurring_revenue < 0:
                raise ValidationError(
                    self.env._(
                        "Tier %(tier)s: certification count and recurring revenue cannot be "
                        "negative.",
                        tier=tier.name,
                    )
                )

    def _compute_membership_count(self):
        counts = dict(
            self.env["partner.membership"]._read_group(
                [("tier_id", "in", self.ids)], ["tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.membership_count = counts.get(tier, 0)

    def _to_criteria(self):
        """The tiers as pure :class:`TierCriteria` for the core decisions."""
        return [
            TierCriteria(
                key=tier.id,
                level=tier.level,
                name=tier.name,
                min_overall=tier.min_overall_score,
                min_domain={m.domain: m.min_score for m in tier.domain_minimum_ids},
                min_certifications=tier.min_certification_count,
                required_certifications=frozenset(tier.required_certification_type_ids.ids),
                min_recurring_revenue=tier.min_recurring_revenue,
            )
            for tier in self
        ]
