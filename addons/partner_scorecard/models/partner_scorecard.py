import json

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..core import charts
from .ondelete_guard import check_not_in_use
from .scorecard_metric import METRIC_DOMAINS

# Fields a closed (or reviewed) scorecard still accepts: workflow and chatter bookkeeping only.
FROZEN_WRITABLE = {
    "state",
    "recommendation_state",
    "message_main_attachment_id",
    "access_token",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
}


class PartnerScorecard(models.Model):
    """A partner's balanced scorecard for one period.

    This file holds the record and its workflow. The figures are computed in batch by
    :meth:`_compute_scores` (``partner_scorecard_compute.py``): one query per metric for all the
    scorecards given, the arithmetic in ``core/``, and the bulk writes and the scheduled action of
    ``partner_scorecard_batch.py``. Closed scorecards never change.
    """

    _name = "partner.scorecard"
    _description = "Partner Scorecard"
    _inherit = ["channel.workflow.guard", "mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "date_start desc, overall_score desc, id"

    # the figures come from the compute engine, the states from the actions (channel.workflow.guard)
    _workflow_fields = (
        "state",
        "computed_on",
        "compute_error",
        "overall_score",
        "has_score",
        "coverage",
        "is_complete",
        "rank_in_type",
        "trend",
        "has_trend",
        "certification_count",
        "recurring_revenue",
        "tier_id",
        "template_id",
        "qualifying_tier_id",
        "next_tier_id",
        "recommendation",
        "recommended_tier_id",
        "recommendation_state",
        "recommendation_note",
        "line_ids",
        "domain_ids",
        "gap_ids",
    )
    # which partner, period and company a scorecard is for never changes once it exists
    _workflow_frozen_fields = (
        "name",
        "membership_id",
        "partner_id",
        "partner_type_id",
        "period_id",
        "date_start",
        "date_end",
        "company_id",
    )
    _workflow_actions = {
        "state": "Recompute Now / Mark as Reviewed / Close",
        "recommendation_state": "Apply Tier Change / Reject Tier Change",
    }

    name = fields.Char(required=True, readonly=True)
    membership_id = fields.Many2one(
        "partner.membership", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Channel Partner", required=True, index=True, readonly=True
    )
    partner_type_id = fields.Many2one("partner.type", index=True, readonly=True)
    period_id = fields.Many2one("scorecard.period", required=True, index=True, readonly=True)
    date_start = fields.Date(string="Start Date", required=True, index=True, readonly=True)
    date_end = fields.Date(string="End Date", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    template_id = fields.Many2one("scorecard.template", readonly=True)
    tier_id = fields.Many2one(
        "partner.tier", string="Tier", readonly=True, help="The partner's tier when computed."
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("computed", "Computed"),
            ("reviewed", "Reviewed"),
            ("closed", "Closed"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
    )
    computed_on = fields.Date(
        readonly=True, help="Reference date of the last computation (the cron's high-water mark)."
    )
    compute_error = fields.Text(readonly=True)
    overall_score = fields.Float(readonly=True, aggregator="avg")
    has_score = fields.Boolean(string="Scored", readonly=True)
    coverage = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Percent of the template's weight that had data. Missing metrics give their weight "
        "to the measured ones; below the company's minimum coverage the scorecard is incomplete.",
    )
    is_complete = fields.Boolean(string="Complete", readonly=True, index=True)
    completeness = fields.Selection(
        [("pending", "Not Computed"), ("complete", "Complete"), ("incomplete", "Incomplete")],
        compute="_compute_completeness",
        help="Incomplete: below the company's minimum coverage. An incomplete scorecard has no "
        "score out of 100, no rank and no trend, and never changes the partner's tier.",
    )
    rank_in_type = fields.Integer(
        string="Rank", readonly=True, aggregator=False, help="Among complete scorecards only."
    )
    trend = fields.Float(
        readonly=True, help="Points gained since the previous period (complete scorecards only)."
    )
    has_trend = fields.Boolean(readonly=True)
    certification_count = fields.Integer(string="Active Certifications", readonly=True)
    recurring_revenue = fields.Float(readonly=True)
    line_ids = fields.One2many("partner.scorecard.line", "scorecard_id", string="Metrics")
    domain_ids = fields.One2many("partner.scorecard.domain", "scorecard_id", string="Domains")
    gap_ids = fields.One2many("partner.scorecard.gap", "scorecard_id", string="Gap to Next Tier")
    qualifying_tier_id = fields.Many2one(
        "partner.tier", readonly=True, help="Highest tier whose criteria this period meets."
    )
    next_tier_id = fields.Many2one("partner.tier", readonly=True)
    recommendation = fields.Selection(
        [("keep", "Keep"), ("promote", "Promote"), ("demote", "Demote")],
        readonly=True,
        index=True,
    )
    recommended_tier_id = fields.Many2one("partner.tier", readonly=True)
    recommendation_state = fields.Selection(
        [
            ("none", "Nothing to Decide"),
            ("pending", "To Decide"),
            ("applied", "Applied"),
            ("rejected", "Rejected"),
        ],
        default="none",
        index=True,
        tracking=True,
    )
    recommendation_note = fields.Char(readonly=True)
    review_ids = fields.One2many("partner.review", "scorecard_id", string="Reviews")
    sales_score = fields.Float(compute="_compute_domain_scores")
    implementation_score = fields.Float(compute="_compute_domain_scores")
    revenue_score = fields.Float(compute="_compute_domain_scores")
    operations_score = fields.Float(compute="_compute_domain_scores")
    customer_score = fields.Float(compute="_compute_domain_scores")
    ecosystem_score = fields.Float(compute="_compute_domain_scores")

    _sql_constraints = [
        (
            "membership_period_unique",
            "unique(membership_id, period_id)",
            "A partner has one scorecard per period.",
        ),
        # the last line of defence: a figure that is not a finite number in range is never stored
        # (PostgreSQL orders NaN above every number, so these ranges refuse it too)
        (
            "figures_in_range",
            "CHECK(overall_score BETWEEN 0 AND 100 AND coverage BETWEEN 0 AND 100 "
            "AND trend BETWEEN -100 AND 100 "
            "AND recurring_revenue > '-Infinity'::float8 AND recurring_revenue < 'Infinity'::float8)",
            "Scorecard figures must be finite numbers: scores and coverage between 0 and 100.",
        ),
    ]

    @api.depends("state", "is_complete")
    def _compute_completeness(self):
        for card in self:
            if card.state == "draft":
                card.completeness = "pending"
            else:
                card.completeness = "complete" if card.is_complete else "incomplete"

    @api.depends("domain_ids.score")
    def _compute_domain_scores(self):
        for card in self:
            scores = {d.domain: d.score for d in card.domain_ids}
            for domain, _label in METRIC_DOMAINS:
                card[f"{domain}_score"] = scores.get(domain, 0.0)

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for card in self:
            card.access_url = f"/my/scorecards/{card.id}"
        return result

    def write(self, vals):
        frozen = self.filtered(lambda c: c.state == "closed")
        if frozen and set(vals) - FROZEN_WRITABLE:
            raise UserError(
                self.env._(
                    "Scorecard %(name)s is closed: its figures are the record of the period and "
                    "cannot change.",
                    name=frozen[0].name,
                )
            )
        if frozen and vals.get("state") not in (None, "closed"):
            raise UserError(self.env._("A closed scorecard cannot be reopened."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if any(card.state == "closed" for card in self):
            raise UserError(self.env._("Closed scorecards cannot be deleted."))
        check_not_in_use(self, [("partner.review", "scorecard_id")])

    # -- workflow --------------------------------------------------------------------------------
    def action_recompute(self):
        self._check_manager()
        open_cards = self.filtered(lambda c: c.state in ("draft", "computed"))
        if not open_cards:
            raise UserError(self.env._("Only draft or computed scorecards can be recomputed."))
        for _period, cards in open_cards.grouped("period_id").items():
            cards._compute_scores(fields.Date.context_today(self))
        return True

    def action_mark_reviewed(self):
        if any(card.state != "computed" for card in self):
            raise UserError(self.env._("Only computed scorecards can be marked as reviewed."))
        self._workflow_write({"state": "reviewed"})

    def action_close(self):
        self._check_manager()
        self.filtered(lambda c: c.state != "closed")._workflow_write({"state": "closed"})

    def action_apply_recommendation(self):
        self._check_manager()
        for card in self:
            if card.recommendation_state != "pending":
                raise UserError(
                    self.env._("Scorecard %(name)s has no tier decision pending.", name=card.name)
                )
            membership = card.membership_id
            old_tier = membership.tier_id
            membership._set_tier(
                card.recommended_tier_id,
                self.env._("Applied the recommendation of %(card)s", card=card.name),
                scorecard=card,
            )
            card._workflow_write({"recommendation_state": "applied"})
            card.message_post(
                body=self.env._(
                    "Tier changed from %(old)s to %(new)s.",
                    old=old_tier.name or "-",
                    new=card.recommended_tier_id.name or "-",
                )
            )

    def action_reject_recommendation(self):
        self._check_manager()
        for card in self:
            if card.recommendation_state != "pending":
                raise UserError(
                    self.env._("Scorecard %(name)s has no tier decision pending.", name=card.name)
                )
            card._workflow_write({"recommendation_state": "rejected"})
            card.message_post(
                body=self.env._(
                    "Recommendation to move to %(tier)s rejected.",
                    tier=card.recommended_tier_id.name or "-",
                )
            )

    def action_send_by_email(self):
        """Open the composer with the scorecard e-mail and its PDF for the partner."""
        self.ensure_one()
        template = self.env.ref("partner_scorecard.mail_template_partner_scorecard")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }

    def action_open_review(self):
        self.ensure_one()
        review = self.review_ids[:1] or self.env["partner.review"].create({"scorecard_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "partner.review",
            "res_id": review.id,
            "view_mode": "form",
        }

    def _get_report_base_filename(self):
        # the PDF's file name when the portal serves it (CustomerPortal._show_report)
        self.ensure_one()
        return self.env._("Scorecard - %s", self.name)

    def _chart_values(self, history_size=8):
        """Geometry of the domain bars, radar and trend charts (portal page and PDF report)."""
        self.ensure_one()
        labels = dict(
            self.env["scorecard.metric"]._fields["domain"]._description_selection(self.env)
        )
        domains = [(labels[d.domain], d.score if d.has_score else None) for d in self.domain_ids]
        past = self.search(
            [
                ("membership_id", "=", self.membership_id.id),
                ("state", "!=", "draft"),
                ("date_start", "<=", self.date_start),
            ],
            order="date_start desc",
            limit=history_size,
        ).sorted("date_start")
        trend = [(c.period_id.name, c.overall_score if c.is_complete else None) for c in past]
        score = self.env._("Score")
        return {
            "domain_bars": charts.bar_chart(domains),
            "domain_radar": charts.radar_chart(domains) if len(domains) >= 3 else None,
            "trend_chart": charts.line_chart(trend),
            # the same figures for Chart.js on the portal page (the SVG stays the fallback)
            "chart_specs": {
                "domain_bars": json.dumps(charts.chartjs_spec("bar", domains, score, 100)),
                "domain_radar": json.dumps(charts.chartjs_spec("radar", domains, score, 100)),
                "trend_chart": json.dumps(charts.chartjs_spec("line", trend, score, 100)),
            },
        }

    def _check_manager(self):
        self._workflow_check_group(
            "partner_scorecard.group_channel_manager",
            self.env._("recompute, close or decide the tier of a scorecard"),
        )
