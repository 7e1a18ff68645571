from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..core.pg_arrays import array_literal


class PartnerScorecardBatch(models.Model):
    """Bulk writes of computed figures and the scheduled action that computes in batches."""

    _inherit = "partner.scorecard"

    def _write_results(self, line_rows, domain_rows, gap_rows, card_rows, period, rank=True):
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
        if rank:
            self._rank_period(period)
        self.env.invalidate_all()

    @api.model
    def _rank_period(self, period):
        """Rank within partner type over the whole period (competition ranking, like
        core.ranking), among complete scorecards only: a score on a third of the weight ranks
        nobody. Writes only the ranks that change."""
        self.env.cr.execute(
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

    # -- scheduled action ------------------------------------------------------------------------
    @api.model
    def _cron_recompute(self, ref_date=None, batch_size=500, slice_index=0):
        """Recompute the open period's scorecards of all active partners, one batch per call.

        Safe to run twice (a scorecard computed on ``ref_date`` is not taken again: ``computed_on``
        is the high-water mark) and on two workers at once (``FOR UPDATE SKIP LOCKED`` on the
        scorecards, ``ON CONFLICT DO NOTHING`` when creating them). With parallel slices
        (``ir.cron._channel_slice_sql``), call ``slice_index`` takes only the memberships of its
        slice; the original (slice 0) alone closes and opens periods. Reports progress to the
        cron, which calls again at once while work remains. Returns the scorecards left in the
        slice (the period's ranking, when another call has to do it, counts as one).
        """
        day = ref_date or fields.Date.context_today(self)
        Cron = self.env["ir.cron"]
        mine = Cron._channel_slice_sql(SQL("m.id"), slice_index)
        Period = self.env["scorecard.period"]
        periods = opened = Period.browse()
        for company in self.env["res.company"].search([]):
            if slice_index:
                # the period is the original's to create: two creating it at once would conflict
                period = Period._get_or_create(day, company, create=False)
            else:
                self._close_due_periods(day, company)
                known = Period._get_or_create(day, company, create=False)
                period = known or Period._get_or_create(day, company)
                opened |= period - known
            # only the active memberships without a scorecard yet: one statement, no read of the
            # others (a call per batch used to re-insert every membership's scorecard)
            if period:
                self._insert_missing_scorecards(
                    period,
                    SQL("m.company_id = %s AND m.state = 'active' AND %s", company.id, mine),
                )
            periods |= period
        if opened:
            Cron._channel_trigger_twins("partner_scorecard.partner_scorecard_cron_recompute")
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
                "SELECT s.id %s AND %s ORDER BY s.id LIMIT %s FOR UPDATE OF s SKIP LOCKED",
                todo,
                mine,
                batch_size,
            )
        )
        batch = self.browse([row[0] for row in self.env.cr.fetchall()])
        for _period, cards in batch.grouped("period_id").items():
            cards._compute_scores(day, rank=False)
        self.env.cr.execute(SQL("SELECT COUNT(*) %s AND %s", todo, mine))
        remaining = self.env.cr.fetchone()[0]
        if not remaining:
            if Cron._channel_slice(slice_index).whole:
                self._rank_periods(periods)  # no other slice: this transaction sees every score
            elif batch:
                # the other slices' work since this transaction began is not visible to it: the
                # period is ranked by a call of its own, which sees what they committed
                remaining = 1
            else:
                self._rank_when_done(periods, todo)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=remaining)
        return remaining

    @api.model
    def _rank_periods(self, periods):
        for period in periods:
            self._rank_period(period)
        self.invalidate_model(["rank_in_type"])

    @api.model
    def _rank_when_done(self, periods, todo):
        """Rank ``periods`` once every slice is done: no scorecard left to compute and none
        missing, as this transaction sees them. Work another slice has in hand is seen as not
        done (its scorecards uncomputed or missing), and that slice ranks in its own last call.
        Returns whether it ranked."""
        self.env.cr.execute(
            SQL(
                """SELECT EXISTS (SELECT 1 %s)
                       OR EXISTS (SELECT 1 FROM partner_membership m
                                    JOIN scorecard_period p ON p.company_id = m.company_id
                                   WHERE p.id = ANY(%s) AND m.state = 'active'
                                     AND NOT EXISTS (SELECT 1 FROM partner_scorecard s
                                                      WHERE s.membership_id = m.id
                                                        AND s.period_id = p.id))""",
                todo,
                periods.ids,
            )
        )
        if self.env.cr.fetchone()[0]:
            return False
        try:
            with self.env.cr.savepoint():
                self._rank_periods(periods)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            return False  # another slice's last call ranks the same finished periods
        return True

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
