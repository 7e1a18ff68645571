from odoo import fields, models

from .scorecard_metric import METRIC_DOMAINS


class PartnerScorecardDomain(models.Model):
    _name = "partner.scorecard.domain"
    _description = "Scorecard Domain Score"
    _order = "scorecard_id, domain"

    scorecard_id = fields.Many2one(
        "partner.scorecard", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="scorecard_id.partner_id", store=True, index=True)
    period_id = fields.Many2one(related="scorecard_id.period_id", store=True, index=True)
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    domain = fields.Selection(METRIC_DOMAINS, required=True)
    score = fields.Float(aggregator="avg")
    has_score = fields.Boolean(string="Measured")
    weight = fields.Float(aggregator="avg")
    effective_weight = fields.Float(aggregator="avg")
    coverage = fields.Float(aggregator="avg", help="Percent of the domain's weight that had data.")

    _sql_constraints = [
        ("domain_unique", "unique(scorecard_id, domain)", "A scorecard has one score per domain."),
    ]
