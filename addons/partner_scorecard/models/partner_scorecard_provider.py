import inspect
from datetime import datetime, time, timedelta

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..core.certification import certification_progress, tier_to_reach
from ..core.metric_context import MetricContext
from ..core.numbers import finite_or_none


class PartnerScorecardProvider(models.AbstractModel):
    """The registry of metric providers.

    A provider computes the raw value of one metric for all partners of a :class:`MetricContext`
    (one company, one period) in one grouped query, on that company's records only, and returns
    ``{partner_id: value}``; a partner absent from the result has no data (shown as missing, never
    as zero). Modules add providers by extending :meth:`_get_providers` and defining
    ``_provide_<code>(metric, context)`` (see readme/DEVELOP.md).
    """

    _name = "partner.scorecard.provider"
    _description = "Scorecard Metric Providers"

    @api.model
    def _get_providers(self):
        return {
            "manual": self.env._("Manual or imported value"),
            "crm_qualified_pipeline": self.env._("CRM: qualified pipeline created"),
            "crm_win_rate": self.env._("CRM: win rate (%)"),
            "crm_avg_deal_size": self.env._("CRM: average won deal size"),
            "crm_sales_cycle": self.env._("CRM: sales cycle length (days)"),
            "cert_active_count": self.env._("Certifications: active certifications"),
            "cert_certified_consultants": self.env._("Certifications: certified consultants"),
            "cert_tier_progress": self.env._(
                "Certifications: progress to the next tier's requirements (%)"
            ),
        }

    @api.model
    def _metric_context(self, company, date_from, date_to, partners):
        """The :class:`MetricContext` of ``company`` over [date_from, date_to] for ``partners``
        (a recordset or ids)."""
        if not isinstance(partners, models.BaseModel):
            partners = self.env["res.partner"].browse(partners)
        return MetricContext(company, date_from, date_to, partners)

    @api.model
    def _compute_metric(self, metric, context):
        """``{partner_id: raw value}`` of ``metric`` on ``context`` (a :class:`MetricContext`).

        Dispatches to the provider of ``metric``; fails loudly on an unknown one."""
        method = getattr(self, f"_provide_{metric.provider}", None)
        if metric.provider not in self._get_providers() or method is None:
            raise UserError(
                self.env._(
                    "Metric %(metric)s uses provider %(provider)r, which no installed module "
                    "provides. Choose another Provider on the metric.",
                    metric=metric.code,
                    provider=metric.provider,
                )
            )
        required = [
            parameter
            for parameter in inspect.signature(method).parameters.values()
            if parameter.default is parameter.empty
        ]
        if len(required) != 2:
            # a provider written for the loose arguments (metric, date_from, date_to, partner_ids)
            # would count the records of every company: refuse it rather than guess
            raise UserError(
                self.env._(
                    "Provider %(provider)r of metric %(metric)s takes the arguments of the "
                    "former API. Define it as _provide_%(provider)s(self, metric, context) and "
                    "count only the records of context.company (see partner_scorecard's "
                    "readme/DEVELOP.md).",
                    metric=metric.code,
                    provider=metric.provider,
                )
            )
        if not context.partners:
            return {}
        values = method(metric, context)
        # a NaN or infinite value (a NaN numeric in the database, a division by zero in a
        # third-party provider) is no data: it must never reach a score
        return {
            partner_id: number
            for partner_id, value in values.items()
            if (number := finite_or_none(value)) is not None
        }

    # -- measured metrics ------------------------------------------------------------------------
    @api.model
    def _measure_metric(self, metric, provider):
        """Have ``metric`` (a record or XML id) measured by ``provider`` from now on.

        A module that can measure a metric of a module below it (billing the MRR typed by hand
        so far) calls it from its data, in a noupdate block: a user who sets the metric back to
        Manual keeps it so. The module's uninstall hook calls :meth:`_release_providers`. Open
        scorecards using the metric are computed again by the next cron run.
        """
        if isinstance(metric, str):
            metric = self.env.ref(metric)
        metric.sudo().write({"provider": provider})
        self._mark_metric_scorecards(metric)
        return True

    @api.model
    def _release_providers(self, providers):
        """Set the metrics measured by ``providers`` back to Manual (their module is being
        uninstalled: its providers are about to disappear). The values typed by hand before
        the metric was measured count again."""
        metrics = (
            self.env["scorecard.metric"]
            .sudo()
            .with_context(active_test=False)
            .search([("provider", "in", list(providers))])
        )
        if metrics:
            metrics.write({"provider": "manual"})
            self._mark_metric_scorecards(metrics)
        return metrics

    def _mark_metric_scorecards(self, metrics):
        types = (
            self.env["scorecard.template.line"]
            .sudo()
            .search([("metric_id", "in", metrics.ids)])
            .template_id.partner_type_id
        )
        if types:
            self.env["partner.scorecard"]._mark_for_recompute(
                [("partner_type_id", "in", types.ids)]
            )

    # -- helpers ---------------------------------------------------------------------------------
    @staticmethod
    def _datetime_bounds(date_from, date_to):
        """[start, end) datetimes covering the inclusive dates (UTC, as Odoo stores them)."""
        return datetime.combine(date_from, time.min), datetime.combine(
            date_to + timedelta(days=1), time.min
        )

    @staticmethod
    def _company_clause(context, alias="", shared=False):
        """SQL keeping the rows of the context's company (``alias.company_id``).

        ``shared=True`` for models whose company is optional (CRM leads, projects): a row without
        a company is shared by every company, as Odoo's multi-company rules read it."""
        column = SQL.identifier(alias, "company_id") if alias else SQL.identifier("company_id")
        if shared:
            return SQL("(%s = %s OR %s IS NULL)", column, context.company_id, column)
        return SQL("%s = %s", column, context.company_id)

    def _fetch_values(self, query):
        """Run ``query`` (an :class:`SQL` selecting partner_id, value) into {partner_id: value}."""
        self.env.cr.execute(query)
        return {
            partner_id: float(value)
            for partner_id, value in self.env.cr.fetchall()
            if value is not None
        }

    # -- manual ----------------------------------------------------------------------------------
    def _provide_manual(self, metric, context):
        self.env["partner.metric.value"].flush_model()
        return self._fetch_values(
            SQL(
                """SELECT v.partner_id, v.value
                 FROM partner_metric_value v
                 JOIN scorecard_period p ON p.id = v.period_id
                WHERE v.metric_id = %s AND p.date_start = %s AND %s
                  AND v.partner_id = ANY(%s)""",
                metric.id,
                context.date_from,
                self._company_clause(context, "p"),
                context.partner_ids,
            )
        )

    # -- CRM: deals the channel partner registered or owns -----------------------------------------
    def _crm_closed_in_period(self, expression, context, won_only=True):
        start, end = self._datetime_bounds(context.date_from, context.date_to)
        self.env["crm.lead"].flush_model()
        won = SQL("AND l.probability >= 100 AND l.active" if won_only else "")
        return self._fetch_values(
            SQL(
                """SELECT l.channel_partner_id, %s
                     FROM crm_lead l
                    WHERE l.channel_partner_id = ANY(%s) AND l.type = 'opportunity' AND %s
                      AND l.date_closed >= %s AND l.date_closed < %s %s
                 GROUP BY l.channel_partner_id""",
                SQL(expression),
                context.partner_ids,
                self._company_clause(context, "l", shared=True),
                start,
                end,
                won,
            )
        )

    def _provide_crm_qualified_pipeline(self, metric, context):
        start, end = self._datetime_bounds(context.date_from, context.date_to)
        self.env["crm.lead"].flush_model()
        return self._fetch_values(
            SQL(
                """SELECT l.channel_partner_id, SUM(COALESCE(l.expected_revenue, 0))
                 FROM crm_lead l
                WHERE l.channel_partner_id = ANY(%s) AND l.type = 'opportunity' AND %s
                  AND l.create_date >= %s AND l.create_date < %s
                  AND (l.active OR l.probability > 0)
             GROUP BY l.channel_partner_id""",
                context.partner_ids,
                self._company_clause(context, "l", shared=True),
                start,
                end,
            )
        )

    def _provide_crm_win_rate(self, metric, context):
        return self._crm_closed_in_period(
            """100.0 * COUNT(*) FILTER (WHERE l.active AND l.probability >= 100)
               / NULLIF(COUNT(*) FILTER (WHERE (l.active AND l.probability >= 100)
                                           OR (NOT l.active AND l.probability = 0)), 0)""",
            context,
            won_only=False,
        )

    def _provide_crm_avg_deal_size(self, metric, context):
        return self._crm_closed_in_period("AVG(COALESCE(l.expected_revenue, 0))", context)

    def _provide_crm_sales_cycle(self, metric, context):
        return self._crm_closed_in_period(
            "AVG(EXTRACT(EPOCH FROM (l.date_closed - l.create_date)) / 86400.0)", context
        )

    # -- certifications ----------------------------------------------------------------------------
    def _provide_cert_active_count(self, metric, context):
        return self._certifications(context, "COUNT(*)")

    def _provide_cert_certified_consultants(self, metric, context):
        return self._certifications(context, "COUNT(DISTINCT c.consultant_id)")

    def _certifications(self, context, expression):
        """Certifications valid on the period's last day; a partner with none scores 0, it is
        not missing."""
        self.env["partner.certification"].flush_model()
        day = context.date_to
        values = self._fetch_values(
            SQL(
                """SELECT c.partner_id, %s
                  FROM partner_certification c
                 WHERE c.partner_id = ANY(%s) AND %s AND c.date_obtained <= %s
                   AND (c.date_expiry IS NULL OR c.date_expiry >= %s)
              GROUP BY c.partner_id""",
                SQL(expression),
                context.partner_ids,
                self._company_clause(context, "c"),
                day,
                day,
            )
        )
        return {partner_id: values.get(partner_id, 0.0) for partner_id in context.partner_ids}

    def _provide_cert_tier_progress(self, metric, context):
        """Share of the certification requirements of the tier the partner works towards (the
        next level up; its own at the top) met on the period's last day: each required type
        held and each certification up to the tier's minimum count is one step. A partner
        whose target tier asks for nothing has no value. Two queries: the program's tiers, then
        the partners' current levels with their valid certifications."""
        for model in ("partner.tier", "partner.membership", "partner.certification"):
            self.env[model].flush_model()
        required = self.env["partner.tier"]._fields["required_certification_type_ids"]
        self.env.cr.execute(
            SQL(
                """SELECT t.level, t.min_certification_count,
                          ARRAY(SELECT r.%s FROM %s r WHERE r.%s = t.id)
                     FROM partner_tier t
                    WHERE t.active AND %s
                 ORDER BY t.level, t.id""",
                SQL.identifier(required.column2),
                SQL.identifier(required.relation),
                SQL.identifier(required.column1),
                self._company_clause(context, "t", shared=True),
            )
        )
        tiers = {}
        for level, min_count, type_ids in self.env.cr.fetchall():
            tiers.setdefault(level, (min_count or 0, set(type_ids)))
        self.env.cr.execute(
            SQL(
                """SELECT m.partner_id, t.level, c.certification_type_id, COUNT(c.id)
                     FROM partner_membership m
                LEFT JOIN partner_tier t ON t.id = m.tier_id
                LEFT JOIN partner_certification c
                       ON c.partner_id = m.partner_id AND c.company_id = m.company_id
                      AND c.date_obtained <= %s
                      AND (c.date_expiry IS NULL OR c.date_expiry >= %s)
                    WHERE m.partner_id = ANY(%s) AND %s AND m.state != 'ended'
                 GROUP BY m.partner_id, t.level, c.certification_type_id""",
                context.date_to,
                context.date_to,
                context.partner_ids,
                self._company_clause(context, "m"),
            )
        )
        levels, held, counts = {}, {}, {}
        for partner_id, level, type_id, count in self.env.cr.fetchall():
            levels[partner_id] = level
            if type_id:
                held.setdefault(partner_id, set()).add(type_id)
                counts[partner_id] = counts.get(partner_id, 0) + count
        values = {}
        for partner_id, level in levels.items():
            target = tiers.get(tier_to_reach(level, list(tiers)))
            if not target:
                continue
            min_count, required_types = target
            value = certification_progress(
                held.get(partner_id, set()), counts.get(partner_id, 0), required_types, min_count
            )
            if value is not None:
                values[partner_id] = value
        return values
