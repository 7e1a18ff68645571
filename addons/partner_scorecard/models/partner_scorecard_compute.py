import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..core import ranking, scoring, tiers
from .scorecard_metric import METRIC_DOMAINS

_logger = logging.getLogger(__name__)


class PartnerScorecardCompute(models.Model):
    """The compute engine of the scorecards: fetch in batch, score in ``core/``, write in bulk.

    One query per metric (the provider) for all the scorecards of a period, a handful to read
    tiers, certifications and history, and the bulk writes of ``partner_scorecard_batch.py``.
    """

    _inherit = "partner.scorecard"

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
        """The scorecards of ``memberships`` for ``period``, created when missing."""
        self._insert_missing_scorecards(period, SQL("m.id = ANY(%s)", memberships.ids))
        return self.search(
            [("period_id", "=", period.id), ("membership_id", "in", memberships.ids)]
        )

    def _insert_missing_scorecards(self, period, where):
        """Create the ``period`` scorecards of the memberships matching ``where`` (SQL on
        ``partner_membership m``) that have none yet, in one statement.

        Only the missing ones are inserted (an anti-join on the (membership, period) index), so a
        call where all exist writes nothing; ``ON CONFLICT DO NOTHING`` on that unique constraint
        keeps it safe when two workers run it at once.
        """
        self.env["partner.membership"].flush_model()
        self.flush_model(["membership_id", "period_id"])
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
                    WHERE %(where)s
                      AND NOT EXISTS (SELECT 1 FROM partner_scorecard s
                                       WHERE s.membership_id = m.id AND s.period_id = %(period)s)
              ON CONFLICT (membership_id, period_id) DO NOTHING""",
                pname=period.name,
                period=period.id,
                start=period.date_start,
                end=period.date_end,
                uid=self.env.uid,
                where=where,
            )
        )
        return self.env.cr.rowcount

    def _compute_scores(self, ref_date, rank=True):
        """Compute every figure of these scorecards (all of one period) in a fixed number of queries.

        One query per metric (the provider), a handful to read tiers, certifications and history,
        and bulk writes: the count does not grow with the number of partners. ``rank=False``
        leaves the period's ranking to the caller (the cron ranks once its slices are done).
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
            # the period's company only: a partner with a membership in another company is scored
            # there on that company's records
            context = provider._metric_context(
                company, period.date_start, period.date_end, partner_ids
            )
            try:
                with self.env.cr.savepoint():
                    values[metric.id] = provider._compute_metric(metric, context)
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
        certs = self._certifications_on(period.date_end, company)
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
        self._write_results(line_rows, domain_rows, gap_rows, card_rows, period, rank=rank)

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

    def _certifications_on(self, day, company):
        """{partner_id: (count, frozenset of certification type ids)} valid on ``day`` in
        ``company``."""
        self.env["partner.certification"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT partner_id, COUNT(*), ARRAY_AGG(DISTINCT certification_type_id)
                     FROM partner_certification
                    WHERE partner_id = ANY(%s) AND company_id = %s AND date_obtained <= %s
                      AND (date_expiry IS NULL OR date_expiry >= %s)
                 GROUP BY partner_id""",
                self.partner_id.ids,
                company.id,
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
