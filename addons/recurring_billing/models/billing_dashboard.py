from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..core import dashboard as dashboard_core
from ..core.periods import add_months


class BillingDashboard(models.AbstractModel):
    """The revenue dashboard's figures for a window, fetched in batch.

    ``get_dashboard_data`` runs a fixed number of grouped queries (whatever the number of
    subscriptions, partners or months) and hands the plain results to ``core.dashboard``; the web
    client (``static/src/dashboard``) only formats them and links to the pivot/graph reports.
    """

    _name = "billing.dashboard"
    _description = "Recurring Revenue Dashboard"

    @api.model
    @api.readonly
    def get_dashboard_data(self, date_from=False, date_to=False, cohort_group=False):
        """KPIs over ``(date_from, date_to]``: MRR on ``date_from`` is the start (default: the
        twelve months up to today). ``cohort_group`` (``vertical``, ``deployment_model`` or
        ``partner_type``) adds the cohort retention per group of it (``cohorts_by``)."""
        self.env["channel.workflow.guard"]._workflow_check_group(
            "partner_scorecard.group_channel_user", self.env._("read the revenue dashboard")
        )
        date_to = fields.Date.to_date(date_to) or fields.Date.context_today(self)
        date_from = fields.Date.to_date(date_from) or add_months(date_to, -12)
        if date_from >= date_to:
            raise UserError(
                self.env._(
                    "The dashboard's window starts on %(start)s and ends on %(end)s: pick a "
                    "From date before the To date.",
                    start=date_from,
                    end=date_to,
                )
            )
        Movement = self.env["billing.mrr.movement"]
        # explicit, not left to the record rules: the raw queries below scope the same way
        companies = [("company_id", "in", self.env.companies.ids)]
        opening = dict(
            Movement._read_group(
                [*companies, ("date", "<=", date_from)], ["revenue_layer"], ["amount:sum"]
            )
        )
        monthly = {
            (month.date() if hasattr(month, "date") else month, layer): amount
            for month, layer, amount in Movement._read_group(
                [*companies, ("date", ">", date_from), ("date", "<=", date_to)],
                ["date:month", "revenue_layer"],
                ["amount:sum"],
            )
        }
        by_type = {
            (month.date() if hasattr(month, "date") else month, kind): amount
            for month, kind, amount in Movement._read_group(
                [*companies, ("date", ">", date_from), ("date", "<=", date_to)],
                ["date:month", "movement_type"],
                ["amount:sum"],
            )
        }
        rates = Movement._churn_rates(date_from, date_to, companies)
        cohorts = Movement._cohort_retention(date_to)
        partners = self._partner_figures(date_to)
        data = dashboard_core.build(date_from, date_to, opening, monthly, rates, cohorts, partners)
        data["movements_by_month"] = dashboard_core.movements_by_month(date_from, date_to, by_type)
        data["stuck_count"] = self.env["billing.subscription"].search_count(
            [*companies, ("billing_stuck", "=", True)]
        )
        data.update(self._attach_figures(date_to, data["partners"]))
        if cohort_group:
            data["cohorts_by"] = self._cohorts_by(date_from, date_to, cohort_group)
        data["currency_id"] = self.env.company.currency_id.id
        data["labels"] = {
            "layers": dict(Movement._fields["revenue_layer"]._description_selection(self.env)),
            "movements": dict(Movement._fields["movement_type"]._description_selection(self.env)),
        }
        return data

    def _partner_figures(self, date_to):
        """``{(partner id, name): row}``: attach rates and shared margin of the running lines of
        active subscriptions on ``date_to`` (one query; the wholesale the partner pays, after
        its tier discount in force) and ledger MRR (one grouped query)."""
        self.env["billing.subscription.line"].flush_model()
        self.env["billing.subscription"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT s.partner_id, s.periodicity,
                          COUNT(DISTINCT s.id),
                          COUNT(DISTINCT s.id) FILTER (WHERE l.service_type = 'hosting'),
                          COUNT(DISTINCT s.id) FILTER (WHERE l.service_type = 'support'),
                          -- what the partner pays: after its tier discount in force
                          SUM(l.price_unit * l.quantity
                              * (1 - COALESCE(s.tier_discount, 0) / 100.0))
                              FILTER (WHERE l.recurring
                                      AND (l.resale_price > 0 OR s.resale_shared)),
                          SUM(l.resale_price * l.quantity)
                              FILTER (WHERE l.recurring AND l.resale_price > 0
                                      AND NOT COALESCE(s.resale_shared, FALSE))
                     FROM billing_subscription s
                     JOIN billing_subscription_line l ON l.subscription_id = s.id
                    WHERE s.state = 'active' AND s.company_id = ANY(%(companies)s)
                      AND l.date_start <= %(day)s
                      AND (l.date_end IS NULL OR l.date_end >= %(day)s)
                 GROUP BY s.partner_id, s.periodicity
                UNION ALL
                -- the partner's monthly price shared per subscription (ordered bundles) replaces
                -- its lines' prices: once per subscription, its lines' wholesale counted above
                   SELECT s.partner_id, 'monthly', 0, 0, 0, 0, SUM(s.resale_price)
                     FROM billing_subscription s
                    WHERE s.state = 'active' AND s.company_id = ANY(%(companies)s)
                      AND s.resale_shared
                      AND EXISTS (
                          SELECT 1 FROM billing_subscription_line l
                           WHERE l.subscription_id = s.id AND l.recurring
                             AND l.date_start <= %(day)s
                             AND (l.date_end IS NULL OR l.date_end >= %(day)s))
                 GROUP BY s.partner_id""",
                companies=self.env.companies.ids,
                day=date_to,
            )
        )
        line_rows = self.env.cr.fetchall()
        mrr_by_partner = {
            partner.id: amount
            for partner, amount in self.env["billing.mrr.movement"]._read_group(
                [("company_id", "in", self.env.companies.ids), ("date", "<=", date_to)],
                ["partner_id"],
                ["amount:sum"],
            )
            if not self.env.company.currency_id.is_zero(amount)
        }
        rows = dashboard_core.partner_rows(line_rows, mrr_by_partner)
        partners = self.env["res.partner"].browse(rows).with_prefetch(list(rows))
        return {(partner.id, partner.display_name): rows[partner.id] for partner in partners}
