from datetime import timedelta

from odoo import fields, models

from ..core.ledger import BOOKED_BY_CALLER


class TenantEnvironment(models.Model):
    _inherit = "tenant.environment"

    billing_line_ids = fields.One2many(
        "billing.subscription.line", "environment_id", string="Hosting Lines"
    )
    billing_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    hosting_mrr = fields.Monetary(
        string="Hosting per Month",
        compute="_compute_hosting_mrr",
        currency_field="billing_currency_id",
        help="What the hosting lines of this environment bring per month today, in the company "
        "currency (nothing while its subscription is paused).",
    )

    def _compute_hosting_mrr(self):
        today = fields.Date.context_today(self)
        for environment in self:
            total = 0.0
            for line in environment.billing_line_ids:
                if line._brings_mrr(today):
                    subscription = line.subscription_id
                    total += subscription.currency_id._convert(
                        line.mrr,
                        environment.billing_currency_id,
                        subscription.company_id,
                        today,
                    )
            environment.hosting_mrr = total

    def write(self, vals):
        if "plan_id" not in vals:
            return super().write(vals)
        changed = self.filtered(lambda env: env.plan_id.id != vals["plan_id"])
        result = super().write(vals)
        changed._billing_plan_changed(
            self.env.context.get("billing_change_date") or fields.Date.context_today(self)
        )
        return result

    def _billing_plan_changed(self, date):
        """Reprice the running hosting lines of these environments from ``date``, prorated."""
        for environment in self:
            for line in environment.billing_line_ids.filtered(
                lambda line, date=date: line._is_running(date)
                and line.subscription_id.state in ("active", "paused", "draft")
            ):
                # repricing follows the plan whoever changes it: not a billing manager action
                line.sudo().action_change(date, price_unit=line._plan_price(environment.plan_id))

    def action_decommission(self):
        """Decommissioning one environment ends its hosting lines too (the tenant's
        Decommission does the same for each of its environments)."""
        self.tenant_id._check_manager()
        day = self.env.context.get("billing_change_date")
        day = fields.Date.to_date(day) if day else fields.Date.context_today(self)
        before = self.filtered(lambda e: e.state != "decommissioned")
        result = super().action_decommission()
        before.filtered(lambda e: e.state == "decommissioned")._billing_end_hosting(day)
        return result

    def _billing_end_hosting(self, date):
        """End the hosting lines of these (decommissioned) environments: the last day served is
        the day before ``date``; days already invoiced after it are credited by the next run. A
        subscription left without a running recurring line is closed on ``date`` with the reason
        "Tenant decommissioned" (its churn in the MRR ledger carries it)."""
        lines = self.sudo().billing_line_ids.filtered(
            lambda line: line.subscription_id.state != "closed"
        )
        for line in lines:
            if line.tenant_suspended:
                # already stopped by the tenant's suspension: never to start again
                line._workflow_write(
                    {"tenant_suspended": False, "date_end_before_suspension": False}
                )
            elif not line.date_end or line.date_end >= date:
                # booked below, once per subscription (and with the closing's reason)
                line.with_context(**{BOOKED_BY_CALLER: True}).write(
                    {"date_end": max(date, line.date_start) - timedelta(days=1)}
                )
        for subscription in lines.subscription_id:
            left = subscription.line_ids.filtered(
                lambda line: line.recurring and (not line.date_end or line.date_end >= date)
            )
            if subscription.state in ("active", "paused") and not left:
                subscription.action_close(date, reason="decommissioned")
                subscription._workflow_write({"paused_tenant_id": False})
            else:
                subscription._sync_mrr_ledger(date)
            subscription.message_post(
                body=self.env._(
                    "Hosting of %(environments)s ended on %(date)s: decommissioned by %(user)s.",
                    environments=", ".join(
                        lines.filtered(
                            lambda line, s=subscription: line.subscription_id == s
                        ).environment_id.mapped("display_name")
                    ),
                    date=date - timedelta(days=1),
                    user=self.env.user.name,
                )
            )
