from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..core.periods import period_bounds, period_name


class ScorecardPeriod(models.Model):
    """A scoring period (a quarter by default). Closing it freezes its scorecards."""

    _name = "scorecard.period"
    _description = "Scorecard Period"
    _order = "date_start desc"

    name = fields.Char(required=True)
    date_start = fields.Date(string="Start Date", required=True, index=True)
    date_end = fields.Date(string="End Date", required=True, index=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], default="open", required=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    scorecard_ids = fields.One2many("partner.scorecard", "period_id")

    _sql_constraints = [
        ("dates_ordered", "CHECK(date_start <= date_end)", "A period must end after it starts."),
        (
            "start_unique",
            "unique(company_id, date_start)",
            "A period starting on this date already exists for this company.",
        ),
    ]

    @api.constrains("date_start", "date_end", "company_id")
    def _check_overlap(self):
        for period in self:
            clash = self.search(
                [
                    ("id", "!=", period.id),
                    ("company_id", "=", period.company_id.id),
                    ("date_start", "<=", period.date_end),
                    ("date_end", ">=", period.date_start),
                ],
                limit=1,
            )
            if clash:
                raise ValidationError(
                    self.env._(
                        "Period %(period)s overlaps period %(other)s: change its Start or End "
                        "date.",
                        period=period.name,
                        other=clash.name,
                    )
                )

    @api.model
    def _get_or_create(self, day, company, create=True):
        """The period of ``company`` that holds ``day``, created when missing (concurrency safe)
        unless ``create`` is False (then an empty recordset)."""
        months = int(company.scorecard_period_months)
        start, end = period_bounds(day, months)
        period = self.search(
            [("company_id", "=", company.id), ("date_start", "<=", day), ("date_end", ">=", day)],
            limit=1,
        )
        if period or not create:
            return period
        self.env.cr.execute(
            """INSERT INTO scorecard_period
                   (name, date_start, date_end, state, company_id, create_uid, create_date,
                    write_uid, write_date)
               VALUES (%s, %s, %s, 'open', %s, %s, now() at time zone 'utc', %s,
                       now() at time zone 'utc')
               ON CONFLICT (company_id, date_start) DO NOTHING""",
            (period_name(start, months), start, end, company.id, self.env.uid, self.env.uid),
        )
        return self.search([("company_id", "=", company.id), ("date_start", "=", start)], limit=1)

    def action_close(self):
        self.scorecard_ids.filtered(lambda c: c.state != "closed")._workflow_write(
            {"state": "closed"}
        )
        self.write({"state": "closed"})
