from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    scorecard_period_months = fields.Selection(
        [("1", "Month"), ("3", "Quarter"), ("6", "Half-year"), ("12", "Year")],
        string="Scorecard Period",
        default="3",
        required=True,
    )
    scorecard_close_days = fields.Integer(
        string="Close Period After (days)",
        default=15,
        help="Days after the end of a period at which the scheduled action closes it.",
    )
    scorecard_promote_after = fields.Integer(
        string="Promote After (periods)",
        default=2,
        help="Consecutive complete periods above a tier's criteria before promotion is proposed.",
    )
    scorecard_demote_grace = fields.Integer(
        string="Demotion Grace (periods)",
        default=1,
        help="Periods below the current tier tolerated before demotion is proposed.",
    )
    scorecard_min_coverage = fields.Float(
        string="Minimum Coverage (%)",
        default=60.0,
        help="Share of the template's weight that must have data for a scorecard to be complete. "
        "Incomplete scorecards never move a partner's tier.",
    )
