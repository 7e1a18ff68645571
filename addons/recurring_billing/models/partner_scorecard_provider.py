from collections import defaultdict
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from ..core import metrics as metric_core


class PartnerScorecardProvider(models.AbstractModel):
    """Revenue metrics of the scorecard, from the MRR ledger and the subscription lines.

    Each provider runs one grouped query for all partners of the period, on the subscriptions of
    the context's company. A partner without any MRR at the start (for ratios over the start) or
    at all is missing, never zero.
    """

    _inherit = "partner.scorecard.provider"

    @api.model
    def _get_providers(self):
        providers = super()._get_providers()
        providers.update(
            billing_mrr=self.env._("Billing: MRR at the end of the period"),
            billing_mrr_growth=self.env._("Billing: MRR growth (%)"),
            billing_nrr=self.env._("Billing: net revenue retention (%)"),
            billing_grr=self.env._("Billing: gross revenue retention (%)"),
            billing_renewal_rate=self.env._("Billing: renewal rate (%)"),
            billing_expansion=self.env._("Billing: expansion MRR"),
            billing_hosting_attach=self.env._("Billing: hosting attach rate (%)"),
            billing_support_attach=self.env._("Billing: support attach rate (%)"),
            billing_monitoring_attach=self.env._("Billing: monitoring attach rate (%)"),
            billing_enhancement_attach=self.env._("Billing: enhancement retainer attach rate (%)"),
            billing_arr_per_account=self.env._("Billing: managed ARR per account"),
        )
        return providers

    def _billing_customer_mrr(self, context, date_from=None):
        """``{partner: {customer: (mrr the day before date_from, mrr on date_to)}}``, with
        ``date_from`` the context's unless given."""
        self.env["billing.mrr.movement"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT partner_id, customer_id,
                          SUM(amount) FILTER (WHERE date < %(start)s),
                          SUM(amount)
                     FROM billing_mrr_movement
                    WHERE date <= %(end)s AND partner_id = ANY(%(partners)s)
                      AND company_id = %(company)s
                 GROUP BY partner_id, customer_id""",
                start=date_from or context.date_from,
                end=context.date_to,
                partners=context.partner_ids,
                company=context.company_id,
            )
        )
        result = defaultdict(dict)
        for partner_id, customer_id, start, end in self.env.cr.fetchall():
            result[partner_id][customer_id] = (start or 0.0, end or 0.0)
        return result

    def _provide_billing_mrr(self, metric, context):
        """The partner's MRR on the period's last day, from the MRR ledger (0 once every
        subscription churned; missing for a partner that never billed)."""
        self.env["billing.mrr.movement"].flush_model()
        return self._fetch_values(
            SQL(
                """SELECT partner_id, SUM(amount)
                     FROM billing_mrr_movement
                    WHERE date <= %s AND partner_id = ANY(%s) AND %s
                 GROUP BY partner_id""",
                context.date_to,
                context.partner_ids,
                self._company_clause(context),
            )
        )

    def _provide_billing_mrr_growth(self, metric, context):
        values = {}
        for partner_id, customers in self._billing_customer_mrr(context).items():
            start = sum(s for s, _e in customers.values())
            end = sum(e for _s, e in customers.values())
            if start > 0:
                values[partner_id] = (end - start) / start * 100
        return values

    def _billing_retention(self, context, index):
        values = {}
        for partner_id, customers in self._billing_customer_mrr(context).items():
            ratios = metric_core.retention(
                {c: s for c, (s, _e) in customers.items()},
                {c: e for c, (_s, e) in customers.items()},
            )
            if ratios[index] is not None:
                values[partner_id] = ratios[index] * 100
        return values

    def _provide_billing_grr(self, metric, context):
        return self._billing_retention(context, 0)

    def _provide_billing_nrr(self, metric, context):
        return self._billing_retention(context, 1)

    def _provide_billing_renewal_rate(self, metric, context):
        """Share of the subscriptions bringing MRR at the start still bringing MRR at the end."""
        self.env["billing.mrr.movement"].flush_model()
        return self._fetch_values(
            SQL(
                """SELECT partner_id,
                          100.0 * COUNT(*) FILTER (WHERE end_mrr > 0) / COUNT(*)
                     FROM (SELECT partner_id, subscription_id,
                                  SUM(amount) FILTER (WHERE date < %(start)s) AS start_mrr,
                                  SUM(amount) AS end_mrr
                             FROM billing_mrr_movement
                            WHERE date <= %(end)s AND partner_id = ANY(%(partners)s)
                              AND company_id = %(company)s
                         GROUP BY partner_id, subscription_id) s
                    WHERE start_mrr > 0
                 GROUP BY partner_id""",
                start=context.date_from,
                end=context.date_to,
                partners=context.partner_ids,
                company=context.company_id,
            )
        )

    def _provide_billing_expansion(self, metric, context):
        self.env["billing.mrr.movement"].flush_model()
        return self._fetch_values(
            SQL(
                """SELECT partner_id, SUM(amount)
                     FROM billing_mrr_movement
                    WHERE movement_type = 'expansion' AND date BETWEEN %s AND %s
                      AND partner_id = ANY(%s) AND %s
                 GROUP BY partner_id""",
                context.date_from,
                context.date_to,
                context.partner_ids,
                self._company_clause(context),
            )
        )

    def _billing_attach_rate(self, context, service_types):
        """Share of the partner's running subscriptions with a running line of those types."""
        self.env["billing.subscription.line"].flush_model()
        self.env["billing.subscription"].flush_model()
        return self._fetch_values(
            SQL(
                """SELECT s.partner_id,
                          100.0 * COUNT(DISTINCT s.id) FILTER (
                              WHERE l.service_type = ANY(%(types)s)) / COUNT(DISTINCT s.id)
                     FROM billing_subscription s
                     JOIN billing_subscription_line l ON l.subscription_id = s.id
                    WHERE s.state = 'active' AND s.partner_id = ANY(%(partners)s)
                      AND s.company_id = %(company)s AND l.date_start <= %(day)s
                      AND (l.date_end IS NULL OR l.date_end >= %(day)s)
                 GROUP BY s.partner_id""",
                types=list(service_types),
                partners=context.partner_ids,
                company=context.company_id,
                day=context.date_to,
            )
        )

    def _provide_billing_hosting_attach(self, metric, context):
        return self._billing_attach_rate(context, ["hosting"])

    def _provide_billing_support_attach(self, metric, context):
        return self._billing_attach_rate(context, ["support"])

    def _provide_billing_monitoring_attach(self, metric, context):
        return self._billing_attach_rate(context, ["monitoring"])

    def _provide_billing_enhancement_attach(self, metric, context):
        return self._billing_attach_rate(context, ["enhancement"])

    def _provide_billing_arr_per_account(self, metric, context):
        values = {}
        for partner_id, customers in self._billing_customer_mrr(
            context, date_from=context.date_to + timedelta(days=1)
        ).items():
            active = [e for _s, e in customers.values() if e > 0]
            if active:
                values[partner_id] = sum(active) * 12 / len(active)
        return values
