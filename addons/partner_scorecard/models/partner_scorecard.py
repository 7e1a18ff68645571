import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..core import charts, ranking, scoring, tiers
from ..core.pg_arrays import array_literal
from .scorecard_metric import METRIC_DOMAINS

_logger = logging.getLogger(__name__)

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

    The figures are computed in batch by :meth:`_compute_scores`: one query per metric for all the
    scorecards given, the arithmetic in ``core/``, and bulk writes. Closed scorecards never change.
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
    date_start = fields.Date(required=True, index=True, readonly=True)
    date_end = fields.Date(required=True, readonly=True)
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
        return {
            "domain_bars": charts.bar_chart(domains),
            "domain_radar": charts.radar_chart(domains) if len(domains) >= 3 else None,
            "trend_chart": charts.line_chart(
                [(c.period_id.name, c.overall_score if c.is_complete else None) for c in past]
            ),
        }

    def _check_manager(self):
        self._workflow_check_group(
            "partner_scorecard.group_channel_manager",
            self.env._("recompute, close or decide the tier of a scorecard"),
        )

    # -- batch computation -----------------------------------------------------------------------
    @api.model
    def _recompute_memberships(self, memberships, ref_date=None):
        """Create (if needed) and compute the open-period scorecards of ``memberships``."""
        day = ref_date or fields.Date.context_today(self)
        cards = self.browse()
        for company, members in memberships.grouped("company_id").items():
            period = self.env["scorecard.period"]._get_or_create(day, company)
            if period.state == "closed":
                raise UserError(self.env._("Period %(period)s is closed.", period=period.name))
            cards |= self._ensure_scorecards(period, members)
        for _period, batch in (
            cards.filtered(lambda c: c.state in ("draft", "computed")).grouped("period_id").items()
        ):
            batch._compute_scores(day)
        return cards

    @api.model
    def _ensure_scorecards(self, period, memberships):
        """The scorecards of ``memberships`` for ``period``, created when missing.

        ``INSERT ... ON CONFLICT DO NOTHING`` on the (membership, period) unique constraint makes
        this safe when two workers run it at once.
        """
        self.env["partner.membership"].flush_model()
        self.env.cr.execute(
            SQL(
                """INSERT INTO partner_scorecard
                       (name, membership_id, partner_id, partner_type_id, period_id, date_start,
                        date_end, company_id, state, recommendation_state, create_uid,
                        create_date, write_uid, write_date)
                   SELECT p.name || ' - ' || %(pname)s, m.id, m.partner_id, m.partner_type_id,
                          %(period)s, %(start)s, %(end)s, m.company_id, 'draft', 'none',
                          %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
                     FROM partner_membership m
                     JOIN res_partner p ON p.id = m.partner_id
                    WHERE m.id = ANY(%(ids)s)
              ON CONFLICT (membership_id, period_id) DO NOTHING""",
                pname=period.name,
                period=period.id,
                start=period.date_start,
                end=period.date_end,
                uid=self.env.uid,
                ids=memberships.ids,
            )
        )
        return self.search(
            [("period_id", "=", period.id), ("membership_id", "in", memberships.ids)]
        )

    def _compute_scores(self, ref_date):
        """Compute every figure of these scorecards (all of one period) in a fixed number of queries.

        One query per metric (the provider), a handful to read tiers, certifications and history,
        and bulk writes: the count does not grow with the number of partners.
        """
        if not self:
            return
        period = self.period_id
        period.ensure_one()
        company = period.company_id
        templates = self.env["scorecard.template"].search(
            [
                ("partner_type_id", "in", self.partner_type_id.ids),
                ("company_id", "in", [company.id, False]),
            ],
            order="company_id",  # a company's own template wins over a shared one
        )
        template_by_type = {}
        for template in templates:
            template_by_type.setdefault(template.partner_type_id.id, template)

        # raw values: one provider call per metric, each in its own savepoint
        partners_by_metric = defaultdict(list)
        for card in self:
            template = template_by_type.get(card.partner_type_id.id)
            for line in template.line_ids if template else []:
                partners_by_metric[line.metric_id].append(card.partner_id.id)
        provider = self.env["partner.scorecard.provider"]
        values, failures = {}, {}
        for metric, partner_ids in partners_by_metric.items():
            try:
                with self.env.cr.savepoint():
                    values[metric.id] = provider._compute_metric(
                        metric, period.date_start, period.date_end, partner_ids
                    )
            except Exception as error:
                _logger.warning("Provider of metric %s failed: %s", metric.code, error)
                values[metric.id] = {}
                failures[metric.id] = str(error)

        provider_labels = provider._get_providers()
        # the templates as plain tuples: the loop below runs once per partner and metric
        plans, domain_weights, errors = {}, {}, {}
        for template in template_by_type.values():
            domain_weights[template.id] = {d.domain: d.weight for d in template.domain_weight_ids}
            errors[template.id] = "\n".join(
                f"{m.code}: {failures[m.id]}"
                for m in template.line_ids.metric_id
                if m.id in failures
            )
            plans[template.id] = [
                (
                    line.metric_id.id,
                    line.domain,
                    line.weight,
                    line.target,
                    line.floor,
                    line.metric_id.scoring_method,
                    line.metric_id.direction,
                    [(b.threshold, b.score) for b in line.metric_id.band_ids],
                    failures.get(line.metric_id.id) or provider_labels.get(line.metric_id.provider),
                    line.metric_id.is_recurring_revenue,
                )
                for line in template.line_ids
            ]
        tier_records = self.env["partner.tier"].search([("company_id", "in", [company.id, False])])
        tier_criteria = tier_records._to_criteria()
        tier_by_level = {t.level: t for t in tier_records}
        certs = self._certifications_on(period.date_end)
        history = self._previous_results()
        promote_after = max(company.scorecard_promote_after, 1)
        demote_grace = max(company.scorecard_demote_grace, 0)
        min_coverage = company.scorecard_min_coverage

        line_rows, domain_rows, gap_rows, card_rows = [], [], [], []
        labels = dict(METRIC_DOMAINS)
        for card in self:
            template = template_by_type.get(card.partner_type_id.id)
            current_tier = card.membership_id.tier_id
            if not template:
                card_rows.append(
                    self._card_row(
                        card,
                        ref_date,
                        current_tier,
                        error=self.env._(
                            "No active scorecard template for partner type %(type)s.",
                            type=card.partner_type_id.name,
                        ),
                    )
                )
                continue
            partner_id, card_id = card.partner_id.id, card.id
            inputs, recurring = [], None
            first_row = len(line_rows)
            for seq, plan in enumerate(plans[template.id]):
                metric_id, domain, weight, target, floor, method, direction, bands, source, rr = (
                    plan
                )
                raw = values[metric_id].get(partner_id)
                if method == "bands":
                    score = scoring.band_score(raw, bands, direction)
                else:
                    score = scoring.linear_score(raw, target, floor, direction)
                if rr and recurring is None:
                    recurring = raw
                inputs.append(scoring.MetricInput(metric_id, domain, weight, score))
                line_rows.append(
                    {
                        "metric": metric_id,
                        "seq": seq,
                        "domain": domain,
                        "raw": raw,
                        "score": score,
                        "weight": weight,
                        "target": target,
                        "source": source,
                        "card": card_id,
                    }
                )
            result = scoring.aggregate(inputs, domain_weights[template.id])
            effective = {m.key: m.effective_weight for m in result.metrics}
            for row in line_rows[first_row:]:
                row["effective"] = effective[row["metric"]]
            for domain in result.domains:
                domain_rows.append((card.id, domain))

            cert_count, cert_types = certs.get(card.partner_id.id, (0, frozenset()))
            standing = tiers.PartnerStanding(
                overall=result.overall,
                domains={d.domain: d.score for d in result.domains},
                certification_count=cert_count,
                certification_types=cert_types,
                recurring_revenue=recurring,
            )
            qualifying = tiers.qualifying_tier(tier_criteria, standing)
            complete = result.overall is not None and result.coverage >= min_coverage
            past = history.get(card.membership_id.id, [])
            levels = [level for level, done, _overall in past if done]
            current_level = current_tier.level if current_tier else None
            if complete:
                decision, level = tiers.recommend(
                    current_level,
                    [*levels, qualifying.level if qualifying else None],
                    promote_after,
                    demote_grace,
                )
                note = ""
            else:
                decision, level = tiers.KEEP, current_level
                note = self.env._(
                    "Incomplete scorecard: coverage below %(min)s%%.", min=min_coverage
                )
            target_tier = tier_by_level.get(level) if level is not None else None
            if decision == tiers.KEEP or not target_tier or target_tier == current_tier:
                decision, target_tier = tiers.KEEP, current_tier
            upcoming = tiers.next_tier(tier_criteria, current_level)
            if upcoming:
                for seq, gap in enumerate(tiers.gaps(upcoming, standing)):
                    gap_rows.append(
                        (
                            card.id,
                            seq,
                            upcoming.key,
                            self._gap_label(gap, labels),
                            gap.required,
                            gap.actual,
                            gap.shortfall,
                        )
                    )
            # points since the previous period compare two complete scorecards, never a guess
            previous_overall = past[-1][2] if complete and past and past[-1][1] else None
            card_rows.append(
                self._card_row(
                    card,
                    ref_date,
                    current_tier,
                    template=template,
                    result=result,
                    complete=complete,
                    qualifying=qualifying,
                    upcoming=upcoming,
                    decision=decision,
                    target_tier=target_tier,
                    note=note,
                    cert_count=cert_count,
                    recurring=recurring,
                    previous_overall=previous_overall,
                    error="\n".join(
                        f"{m.code}: {failures[m.id]}"
                        for m in template.line_ids.metric_id
                        if m.id in failures
                    ),
                )
            )
        self._write_results(line_rows, domain_rows, gap_rows, card_rows, period)

    def _gap_label(self, gap, labels):
        if gap.criterion == "overall":
            return self.env._("Overall score")
        if gap.criterion == "domain":
            return self.env._("%(domain)s score", domain=labels.get(gap.subject, gap.subject))
        if gap.criterion == "certification_count":
            return self.env._("Active certifications")
        if gap.criterion == "certification":
            kind = self.env["partner.certification.type"].browse(gap.subject)
            return self.env._("Certification: %(name)s", name=kind.name)
        return self.env._("Recurring revenue")

    def _card_row(self, card, ref_date, current_tier, template=None, result=None, error="", **kw):
        row = {
            "id": card.id,
            "template": template.id if template else None,
            "tier": current_tier.id or None,
            "overall": None,
            "coverage": 0.0,
            "complete": False,
            "qualifying": None,
            "next": None,
            "recommendation": "keep",
            "recommended": current_tier.id or None,
            "rec_state": "none",
            "note": "",
            "certs": 0,
            "recurring": None,
            "trend": None,
            "computed_on": ref_date,
            "error": error or None,
        }
        if result is not None:
            decision = kw["decision"]
            row.update(
                overall=result.overall,
                coverage=result.coverage,
                complete=kw["complete"],
                qualifying=kw["qualifying"].key if kw["qualifying"] else None,
                next=kw["upcoming"].key if kw["upcoming"] else None,
                recommendation=decision,
                recommended=kw["target_tier"].id if kw["target_tier"] else None,
                rec_state="pending" if decision != tiers.KEEP else "none",
                note=kw["note"],
                certs=kw["cert_count"],
                recurring=kw["recurring"],
                trend=ranking.trend(result.overall, kw["previous_overall"]),
            )
        return row

    def _certifications_on(self, day):
        """{partner_id: (count, frozenset of certification type ids)} valid on ``day``."""
        self.env["partner.certification"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT partner_id, COUNT(*), ARRAY_AGG(DISTINCT certification_type_id)
                     FROM partner_certification
                    WHERE partner_id = ANY(%s) AND date_obtained <= %s
                      AND (date_expiry IS NULL OR date_expiry >= %s)
                 GROUP BY partner_id""",
                self.partner_id.ids,
                day,
                day,
            )
        )
        return {pid: (count, frozenset(types)) for pid, count, types in self.env.cr.fetchall()}

    def _previous_results(self, depth=6):
        """{membership_id: [(qualifying level, complete, overall), ...]} oldest first."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT membership_id, level, is_complete, overall_score FROM (
                       SELECT s.membership_id, t.level, s.is_complete, s.overall_score,
                              s.date_start,
                              ROW_NUMBER() OVER (PARTITION BY s.membership_id
                                                 ORDER BY s.date_start DESC) AS age
                         FROM partner_scorecard s
                    LEFT JOIN partner_tier t ON t.id = s.qualifying_tier_id
                        WHERE s.membership_id = ANY(%s) AND s.date_start < %s
                          AND s.state != 'draft'
                   ) h WHERE age <= %s ORDER BY membership_id, date_start""",
                self.membership_id.ids,
                self.period_id.date_start,
                depth,
            )
        )
        history = defaultdict(list)
        for membership_id, level, complete, overall in self.env.cr.fetchall():
            history[membership_id].append((level, complete, overall))
        return history

    def _write_results(self, line_rows, domain_rows, gap_rows, card_rows, period):
        """Bulk writes: a fixed number of statements whatever the number of scorecards."""
        cr, uid, ids = self.env.cr, self.env.uid, self.ids
        self.flush_model()
        cr.execute(SQL("DELETE FROM partner_scorecard_line WHERE scorecard_id = ANY(%s)", ids))
        cr.execute(SQL("DELETE FROM partner_scorecard_domain WHERE scorecard_id = ANY(%s)", ids))
        cr.execute(SQL("DELETE FROM partner_scorecard_gap WHERE scorecard_id = ANY(%s)", ids))
        if line_rows:
            cr.execute(
                SQL(
                    """INSERT INTO partner_scorecard_line
                           (scorecard_id, metric_id, sequence, domain, raw_value, has_value, score,
                            weight, effective_weight, target, source)
                       SELECT u.card, u.metric, u.seq, u.domain, COALESCE(u.raw, 0),
                              u.raw IS NOT NULL, u.score, u.weight, u.effective, u.target,
                              u.source
                         FROM unnest(%s::int[], %s::int[], %s::int[], %s::varchar[],
                                     %s::float8[], %s::float8[], %s::float8[], %s::float8[],
                                     %s::float8[], %s::varchar[])
                           AS u(card, metric, seq, domain, raw, score, weight, effective, target,
                                source)""",
                    *(
                        array_literal([row[key] for row in line_rows])
                        for key in (
                            "card",
                            "metric",
                            "seq",
                            "domain",
                            "raw",
                            "score",
                            "weight",
                            "effective",
                            "target",
                            "source",
                        )
                    ),
                )
            )
        if domain_rows:
            cr.execute(
                SQL(
                    """INSERT INTO partner_scorecard_domain
                           (scorecard_id, domain, score, has_score, weight, effective_weight,
                            coverage, partner_id, period_id, company_id)
                       SELECT u.card, u.domain, u.score, u.score IS NOT NULL, u.weight,
                              u.effective, u.coverage, s.partner_id, s.period_id, s.company_id
                         FROM unnest(%s::int[], %s::varchar[], %s::float8[], %s::float8[],
                                     %s::float8[], %s::float8[])
                           AS u(card, domain, score, weight, effective, coverage)
                         JOIN partner_scorecard s ON s.id = u.card""",
                    array_literal([card for card, _d in domain_rows]),
                    array_literal([d.domain for _c, d in domain_rows]),
                    array_literal([d.score for _c, d in domain_rows]),
                    array_literal([d.weight for _c, d in domain_rows]),
                    array_literal([d.effective_weight for _c, d in domain_rows]),
                    array_literal([d.coverage for _c, d in domain_rows]),
                )
            )
        if gap_rows:
            columns = list(zip(*gap_rows, strict=True))
            cr.execute(
                SQL(
                    """INSERT INTO partner_scorecard_gap
                           (scorecard_id, sequence, tier_id, name, required_value, actual_value,
                            has_actual, shortfall, partner_id, company_id)
                       SELECT u.card, u.seq, u.tier, u.name, u.required, COALESCE(u.actual, 0),
                              u.actual IS NOT NULL, u.shortfall, s.partner_id, s.company_id
                         FROM unnest(%s::int[], %s::int[], %s::int[], %s::varchar[], %s::float8[],
                                     %s::float8[], %s::float8[])
                           AS u(card, seq, tier, name, required, actual, shortfall)
                         JOIN partner_scorecard s ON s.id = u.card""",
                    *[array_literal(column) for column in columns],
                )
            )
        keys = (
            "id", "template", "tier", "overall", "coverage", "complete", "qualifying", "next",
            "recommendation", "recommended", "rec_state", "note", "certs", "recurring", "trend",
            "computed_on", "error",
        )  # fmt: skip
        cr.execute(
            SQL(
                """UPDATE partner_scorecard s
                      SET template_id = u.template, tier_id = u.tier,
                          overall_score = COALESCE(u.overall, 0), has_score = u.overall IS NOT NULL,
                          coverage = u.coverage, is_complete = u.complete,
                          qualifying_tier_id = u.qualifying, next_tier_id = u.next,
                          recommendation = u.recommendation, recommended_tier_id = u.recommended,
                          recommendation_state = u.rec_state, recommendation_note = u.note,
                          certification_count = u.certs, recurring_revenue = COALESCE(u.recurring, 0),
                          trend = COALESCE(u.trend, 0), has_trend = u.trend IS NOT NULL,
                          computed_on = u.computed_on, compute_error = u.error, state = 'computed',
                          write_uid = %s, write_date = now() at time zone 'utc'
                     FROM unnest(%s::int[], %s::int[], %s::int[], %s::float8[], %s::float8[],
                                 %s::bool[], %s::int[], %s::int[], %s::varchar[], %s::int[],
                                 %s::varchar[], %s::varchar[], %s::int[], %s::float8[],
                                 %s::float8[], %s::date[], %s::text[])
                       AS u(id, template, tier, overall, coverage, complete, qualifying, next,
                            recommendation, recommended, rec_state, note, certs, recurring, trend,
                            computed_on, error)
                    WHERE s.id = u.id""",
                uid,
                *(array_literal([row[key] for row in card_rows]) for key in keys),
            )
        )
        # rank within partner type over the whole period (competition ranking, like core.ranking),
        # among complete scorecards only: a score on a third of the weight ranks nobody
        cr.execute(
            SQL(
                """UPDATE partner_scorecard s SET rank_in_type = r.rank
                     FROM (SELECT id, CASE WHEN has_score AND is_complete THEN
                                  RANK() OVER (PARTITION BY partner_type_id,
                                                            has_score AND is_complete
                                               ORDER BY overall_score DESC) END AS rank
                             FROM partner_scorecard WHERE period_id = %s) r
                    WHERE s.id = r.id AND s.rank_in_type IS DISTINCT FROM r.rank""",
                period.id,
            )
        )
        self.env.invalidate_all()

    # -- scheduled action ------------------------------------------------------------------------
    @api.model
    def _cron_recompute(self, ref_date=None, batch_size=500):
        """Recompute the open period's scorecards of all active partners, one batch per call.

        Safe to run twice (a scorecard computed on ``ref_date`` is not taken again: ``computed_on``
        is the high-water mark) and on two workers at once (``FOR UPDATE SKIP LOCKED`` on the
        scorecards, ``ON CONFLICT DO NOTHING`` when creating them). Reports progress to the cron,
        which calls again at once while work remains. Returns the number of scorecards left.
        """
        day = ref_date or fields.Date.context_today(self)
        Period = self.env["scorecard.period"]
        periods = Period.browse()
        for company in self.env["res.company"].search([]):
            self._close_due_periods(day, company)
            period = Period._get_or_create(day, company)
            members = self.env["partner.membership"].search(
                [("company_id", "=", company.id), ("state", "=", "active")]
            )
            self._ensure_scorecards(period, members)
            periods |= period
        self.flush_model(["computed_on", "state"])  # scorecards marked for recompute since
        todo = SQL(
            """FROM partner_scorecard s
               JOIN partner_membership m ON m.id = s.membership_id
              WHERE s.period_id = ANY(%s) AND s.state IN ('draft', 'computed')
                AND m.state = 'active' AND (s.computed_on IS NULL OR s.computed_on < %s)""",
            periods.ids,
            day,
        )
        self.env.cr.execute(
            SQL(
                "SELECT s.id %s ORDER BY s.id LIMIT %s FOR UPDATE OF s SKIP LOCKED",
                todo,
                batch_size,
            )
        )
        batch = self.browse([row[0] for row in self.env.cr.fetchall()])
        for _period, cards in batch.grouped("period_id").items():
            cards._compute_scores(day)
        self.env.cr.execute(SQL("SELECT COUNT(*) %s", todo))
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
        return remaining

    @api.model
    def _mark_for_recompute(self, domain):
        """Have the next cron run take these open scorecards again, even if it already computed
        them today (``computed_on`` is its high-water mark): their inputs changed."""
        cards = self.sudo().search(
            [("state", "in", ("draft", "computed")), ("period_id.state", "=", "open"), *domain]
        )
        cards.filtered("computed_on")._workflow_write({"computed_on": False})

    @api.model
    def _close_due_periods(self, day, company):
        """Close the periods whose end lies ``scorecard_close_days`` or more before ``day``."""
        due = self.env["scorecard.period"].search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "open"),
                ("date_end", "<", fields.Date.subtract(day, days=company.scorecard_close_days)),
            ]
        )
        due.action_close()
