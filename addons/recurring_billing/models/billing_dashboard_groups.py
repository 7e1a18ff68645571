from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..core import attach as attach_core
from ..core import cohorts as cohort_core

COHORT_DIMENSIONS = ("vertical", "deployment_model", "partner_type")


class BillingDashboard(models.AbstractModel):
    """The dashboard's attach rates of the four recurring services (seed 001) and its cohort
    retention grouped by a dimension of the customer, each from one grouped query."""

    _inherit = "billing.dashboard"

    def _attach_figures(self, date_to, partner_rows):
        """Add each attach rate to the partners' rows and return the overall ones:
        ``{"attach_rates": {service: ratio}, "<service>_attach": ratio, ...}`` over the running
        lines of active subscriptions on ``date_to``."""
        self.env["billing.subscription.line"].flush_model()
        self.env["billing.subscription"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT s.partner_id, l.service_type, COUNT(DISTINCT s.id)
                     FROM billing_subscription s
                     JOIN billing_subscription_line l ON l.subscription_id = s.id
                    WHERE s.state = 'active' AND s.company_id = ANY(%(companies)s)
                      AND l.date_start <= %(day)s
                      AND (l.date_end IS NULL OR l.date_end >= %(day)s)
                 GROUP BY GROUPING SETS ((s.partner_id, l.service_type), (s.partner_id))""",
                companies=self.env.companies.ids,
                day=date_to,
            )
        )
        totals, with_service = defaultdict(int), defaultdict(dict)
        for partner_id, service, count in self.env.cr.fetchall():
            if service is None:
                totals[partner_id] = count
            else:
                with_service[partner_id][service] = count
        overall = defaultdict(int)
        for services in with_service.values():
            for service, count in services.items():
                overall[service] += count
        for row in partner_rows:
            rates = attach_core.attach_rates(totals[row["id"]], with_service[row["id"]])
            for service in ("monitoring", "enhancement"):
                row[service] = with_service[row["id"]].get(service, 0)
                row[f"{service}_attach"] = rates[service]
        rates = attach_core.attach_rates(sum(totals.values()), overall)
        return {
            "attach_rates": rates,
            "monitoring_attach": rates["monitoring"],
            "enhancement_attach": rates["enhancement"],
        }

    def _cohorts_by(self, date_from, date_to, dimension):
        """Cohort retention per group of ``dimension`` (:data:`COHORT_DIMENSIONS`): a customer is
        grouped by what held at its first movement (the partner type it had then, the
        deployment model of that subscription's tenant, its partner's verticals).

        :return: ``{"dimension", "groups": [{"key", "label", "ages", "rows"}]}``
        """
        if dimension not in COHORT_DIMENSIONS:
            raise UserError(
                self.env._(
                    "Cohorts cannot be grouped by %(dimension)s: group them by one of "
                    "%(dimensions)s.",
                    dimension=dimension,
                    dimensions=", ".join(COHORT_DIMENSIONS),
                )
            )
        Movement = self.env["billing.mrr.movement"]
        Movement.flush_model()
        self.env.cr.execute(
            SQL(
                """WITH first AS (
                       SELECT customer_id, date_trunc('month', MIN(date))::date AS cohort,
                              (ARRAY_AGG(id ORDER BY date, id))[1] AS movement_id
                         FROM billing_mrr_movement
                        WHERE company_id = ANY(%(companies)s)
                     GROUP BY customer_id),
                   months AS (
                       SELECT (m + interval '1 month - 1 day')::date AS month_end
                         FROM generate_series(
                                  (SELECT MIN(cohort) FROM first), %(date_to)s::date,
                                  interval '1 month') m)
                   SELECT f.customer_id, f.cohort, f.movement_id,
                          (EXTRACT(YEAR FROM age(m.month_end, f.cohort)) * 12
                           + EXTRACT(MONTH FROM age(m.month_end, f.cohort)))::int,
                          SUM(mv.amount)
                     FROM first f
                     JOIN billing_mrr_movement mv ON mv.customer_id = f.customer_id
                     JOIN months m ON m.month_end >= f.cohort AND mv.date <= m.month_end
                    WHERE mv.company_id = ANY(%(companies)s)
                 GROUP BY 1, 2, 3, 4""",
                companies=self.env.companies.ids,
                date_to=date_to,
            )
        )
        customers, first_movement = {}, {}
        for customer, cohort, movement_id, age, amount in self.env.cr.fetchall():
            customers.setdefault(customer, (cohort, {}))[1][age] = amount
            first_movement[customer] = movement_id
        movements = Movement.browse(set(first_movement.values())).sudo()
        groups_of, labels = self._cohort_groups(movements, dimension)
        table = cohort_core.retention_by_group(
            customers, {c: groups_of.get(m, []) for c, m in first_movement.items()}
        )
        start = date_from.replace(day=1)
        groups = []
        for key, by_cohort in table.items():
            rows = [
                {"cohort": cohort.isoformat(), "retention": retention}
                for cohort, retention in sorted(by_cohort.items())
                if cohort >= start
            ]
            if rows:
                groups.append(
                    {
                        "key": key,
                        "label": labels.get(key) or self.env._("Not set"),
                        "ages": max(len(row["retention"]) for row in rows),
                        "rows": rows,
                    }
                )
        groups.sort(key=lambda group: (group["key"] is False, group["label"]))
        return {"dimension": dimension, "groups": groups}

    def _cohort_groups(self, movements, dimension):
        """``({movement id: [group keys]}, {key: label})`` of the first movements, read in
        batch (a fixed number of queries whatever the number of customers)."""
        subscriptions = movements.subscription_id
        if dimension == "partner_type":
            movements.partner_type_id.mapped("display_name")
            return (
                {m.id: m.partner_type_id.ids for m in movements},
                {t.id: t.display_name for t in movements.partner_type_id},
            )
        if dimension == "vertical":
            partners = subscriptions.partner_id.commercial_partner_id
            memberships = (
                self.env["partner.membership"]
                .sudo()
                .search([("partner_id", "in", partners.ids), ("state", "!=", "ended")])
            )
            verticals_of = defaultdict(lambda: self.env["partner.vertical"])
            for membership in memberships:
                verticals_of[membership.partner_id.id] |= membership.vertical_ids
            labels = {v.id: v.display_name for v in memberships.vertical_ids}
            return (
                {
                    m.id: verticals_of[m.subscription_id.partner_id.commercial_partner_id.id].ids
                    for m in movements
                },
                labels,
            )
        # deployment model: of the subscription's tenant, else of its hosting lines' tenants
        subscriptions.line_ids.environment_id.tenant_id.mapped("deployment_model")
        subscriptions.tenant_id.mapped("deployment_model")
        Tenant = self.env["tenant.tenant"]
        labels = dict(Tenant._fields["deployment_model"]._description_selection(self.env))
        groups_of = {}
        for movement in movements:
            subscription = movement.subscription_id
            tenants = subscription.tenant_id or subscription.line_ids.environment_id.tenant_id
            groups_of[movement.id] = sorted(set(tenants.mapped("deployment_model")))
        return groups_of, labels
