from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.partner_scorecard.core.charts import line_chart

from ..core import history as history_core
from ..core import metrics as metric_core
from ..core.ledger import CHURN, CONTRACTION, EXPANSION, NEW, REACTIVATION
from .billing_subscription import CLOSE_REASONS
from .billing_subscription_line import REVENUE_LAYERS

MOVEMENT_TYPES = [
    (NEW, "New Business"),
    (EXPANSION, "Expansion"),
    (CONTRACTION, "Contraction"),
    (CHURN, "Churn"),
    (REACTIVATION, "Reactivation"),
]


class BillingMrrMovement(models.Model):
    """The MRR ledger: every change of a subscription's monthly recurring revenue.

    Rows are only ever appended (by ``billing.subscription._sync_mrr_ledger``); the sum of the
    movements up to a date is the MRR on that date, per subscription, customer, partner, layer or
    in total.
    """

    _name = "billing.mrr.movement"
    _description = "MRR Movement"
    _order = "date desc, id desc"
    _rec_name = "subscription_id"

    date = fields.Date(required=True, index=True, readonly=True)
    subscription_id = fields.Many2one(
        "billing.subscription", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        related="subscription_id.partner_id", store=True, index=True, string="Channel Partner"
    )
    # the partner's standing when the movement happened, not today's: reports by type and tier
    # stay true after a tier change (filled on create, see _partner_standing)
    partner_type_id = fields.Many2one(
        "partner.type", string="Partner Type", index=True, readonly=True
    )
    partner_tier_id = fields.Many2one(
        "partner.tier", string="Partner Tier", index=True, readonly=True
    )
    customer_id = fields.Many2one(
        related="subscription_id.customer_key_id", store=True, index=True, string="Customer"
    )
    company_id = fields.Many2one(related="subscription_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="subscription_id.currency_id", store=True)
    revenue_layer = fields.Selection(REVENUE_LAYERS, required=True, index=True, readonly=True)
    movement_type = fields.Selection(MOVEMENT_TYPES, required=True, index=True, readonly=True)
    amount = fields.Monetary(string="MRR Change", required=True, readonly=True)
    reason = fields.Selection(
        CLOSE_REASONS,
        index="btree_not_null",
        readonly=True,
        help="Why the subscription was closed, on the movements its closing wrote (e.g. "
        "'Tenant decommissioned' for the churn of a decommissioned tenant's hosting).",
    )
    arr_amount = fields.Monetary(
        string="ARR Change", compute="_compute_arr_amount", store=True, readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        standing = {}
        subscriptions = self.env["billing.subscription"].browse(
            {vals["subscription_id"] for vals in vals_list}
        )
        for vals in vals_list:
            if "partner_tier_id" in vals and "partner_type_id" in vals:
                continue
            subscription = subscriptions.browse(vals["subscription_id"])
            day = fields.Date.to_date(vals["date"])
            key = (subscription.partner_id.id, subscription.company_id.id, day)
            if key not in standing:
                standing[key] = self._partner_standing(
                    subscription.partner_id, subscription.company_id, day
                )
            partner_type, tier = standing[key]
            vals.setdefault("partner_type_id", partner_type.id)
            vals.setdefault("partner_tier_id", tier.id)
        return super().create(vals_list)

    def _partner_standing(self, partner, company, day):
        """``(partner type, tier)`` of the partner's program membership on ``day``: the tier from
        its tier history (``core.history.value_at``), the type as it is now (it has no history)."""
        memberships = partner.commercial_partner_id.sudo().channel_membership_ids.filtered(
            lambda membership: membership.state != "ended"
        )
        membership = (
            memberships.filtered(lambda m: m.company_id == company)[:1]
            or partner.commercial_partner_id.sudo().channel_membership_id
        )
        changes = [
            (
                fields.Datetime.to_datetime(change.date).date(),
                change.old_tier_id,
                change.new_tier_id,
            )
            for change in membership.tier_history_ids.sorted(lambda c: (c.date, c.id))
        ]
        tier = history_core.value_at(changes, day, membership.tier_id)
        return membership.partner_type_id, tier or self.env["partner.tier"]

    @api.depends("amount")
    def _compute_arr_amount(self):
        for movement in self:
            movement.arr_amount = movement.amount * 12

    def _mrr_at(self, date, groupby=()):
        """``{group key: MRR}`` on ``date`` from the ledger (one grouped query)."""
        groups = self._read_group([("date", "<=", date)], list(groupby), ["amount:sum"])
        if not groupby:
            return {(): groups[0][0] or 0.0}
        return {tuple(row[:-1]): row[-1] for row in groups}

    # ---------------------------------------------------------------- reports

    def _churn_rates(self, date_from, date_to, domain=()):
        """Churn and retention over ``(date_from, date_to]``: MRR on ``date_from`` is the start.

        Two grouped queries for the movements and two for the customers' MRR at both ends.
        """
        domain = list(domain)
        start_mrr = self._read_group([*domain, ("date", "<=", date_from)], [], ["amount:sum"])[0][0]
        by_type = dict(
            self._read_group(
                [*domain, ("date", ">", date_from), ("date", "<=", date_to)],
                ["movement_type"],
                ["amount:sum"],
            )
        )
        start_by_customer = {
            customer.id: amount
            for customer, amount in self._read_group(
                [*domain, ("date", "<=", date_from)], ["customer_id"], ["amount:sum"]
            )
        }
        end_by_customer = {
            customer.id: amount
            for customer, amount in self._read_group(
                [*domain, ("date", "<=", date_to)], ["customer_id"], ["amount:sum"]
            )
        }
        grr, nrr = metric_core.retention(start_by_customer, end_by_customer)
        churn = -by_type.get(CHURN, 0.0)
        contraction = -by_type.get(CONTRACTION, 0.0)
        expansion = by_type.get(EXPANSION, 0.0)
        reactivation = by_type.get(REACTIVATION, 0.0)
        return {
            "start_mrr": start_mrr,
            "end_mrr": start_mrr + sum(by_type.values()),
            "movements": by_type,
            "gross_mrr_churn": metric_core.gross_mrr_churn(start_mrr, churn, contraction),
            "net_mrr_churn": metric_core.net_mrr_churn(
                start_mrr, churn, contraction, expansion, reactivation
            ),
            "grr": grr,
            "nrr": nrr,
        }

    def _portal_mrr_chart(self, partner, months=12):
        """Geometry of the partner's MRR over the last ``months`` month ends (one query)."""
        today = fields.Date.context_today(self)
        ends = [
            fields.Date.end_of(fields.Date.subtract(today, months=offset), "month")
            for offset in range(months - 1, -1, -1)
        ]
        monthly = dict(
            self._read_group(
                [("partner_id", "child_of", partner.id), ("date", "<=", ends[-1])],
                ["date:month"],
                ["amount:sum"],
            )
        )
        points = []
        running = sum(amount for day, amount in monthly.items() if day < ends[0].replace(day=1))
        for end in ends:
            running += monthly.get(end.replace(day=1), 0.0)
            points.append((end.strftime("%b %y"), round(running, 2)))
        top = max([value for _label, value in points] + [1.0])
        chart = line_chart(points, width=560, height=200, max_value=top)
        chart["grid"] = [
            {**grid, "text": f"{top * index / 2:,.0f}"} for index, grid in enumerate(chart["grid"])
        ]
        return chart

    def _cohort_retention(self, date_to):
        """``{cohort month: [retention at age 0, 1, ...]}``: customers grouped by the month of
        their first movement, their MRR at each month end as a share of the first one."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """WITH first AS (
                       SELECT customer_id, date_trunc('month', MIN(date))::date AS cohort
                         FROM billing_mrr_movement
                        WHERE company_id = ANY(%(companies)s)
                     GROUP BY customer_id),
                   months AS (
                       SELECT (m + interval '1 month - 1 day')::date AS month_end
                         FROM generate_series(
                                  (SELECT MIN(cohort) FROM first), %(date_to)s::date,
                                  interval '1 month') m)
                   SELECT f.cohort,
                          (EXTRACT(YEAR FROM age(m.month_end, f.cohort)) * 12
                           + EXTRACT(MONTH FROM age(m.month_end, f.cohort)))::int AS months_old,
                          SUM(mv.amount)
                     FROM first f
                     JOIN billing_mrr_movement mv ON mv.customer_id = f.customer_id
                     JOIN months m ON m.month_end >= f.cohort AND mv.date <= m.month_end
                    WHERE mv.company_id = ANY(%(companies)s)
                 GROUP BY 1, 2""",
                companies=self.env.companies.ids,
                date_to=date_to,
            )
        )
        by_age = {(cohort, age): amount for cohort, age, amount in self.env.cr.fetchall()}
        first = {cohort: amount for (cohort, age), amount in by_age.items() if age == 0}
        return metric_core.cohort_retention(first, by_age)
