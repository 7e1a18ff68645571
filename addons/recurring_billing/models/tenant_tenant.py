from collections import defaultdict
from datetime import timedelta

from odoo import fields, models

from ..core import tenant_billing as tenant_billing_core
from ..core.ledger import BOOKED_BY_CALLER


class TenantTenant(models.Model):
    """A tenant's billing: what bills it, what it brings, and its lifecycle acting on billing.

    - Suspend: from the day of the suspension (the first day not served), a subscription whose
      running lines all serve the tenant is paused (the subscription's pause: invoiced unused days
      credited, MRR zero); a subscription that also carries other tenants' lines only stops this
      tenant's hosting lines (each ends the day before, prorated and credited like any line end)
      (``core.tenant_billing.suspension_scope``).
    - Resume: the subscriptions its suspension paused resume, its stopped hosting lines start
      again as new lines from the resume day.
    - Decommission: the hosting lines of the environments actually decommissioned end the day
      before; a subscription left without any running recurring line is closed with the reason
      "Tenant decommissioned", which its churn movements in the MRR ledger carry.

    The billing steps run as superuser after the tenant manager check (they follow the tenant
    whoever acts, as a plan change reprices its line) in the tenant action's transaction: an error
    rolls the tenant back with them. Suspend and resume act on billing before the backend does, so
    a billing refusal (e.g. a resume whose catch-up invoicing fails) stops the action before any
    environment is touched; decommissioning bills after the backend, because only then is it
    known which environments were dropped (the billing steps it uses have no refusal of their own).
    The action's date is the context's ``billing_change_date`` or today.
    """

    _inherit = "tenant.tenant"

    subscription_ids = fields.One2many(
        "billing.subscription", "tenant_id", string="Linked Subscriptions"
    )
    billing_subscription_ids = fields.Many2many(
        "billing.subscription",
        compute="_compute_billing",
        string="Subscriptions",
        help="The subscriptions linked to this tenant and those carrying hosting lines of its "
        "environments.",
    )
    subscription_count = fields.Integer(compute="_compute_billing", string="Subscriptions Count")
    billing_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    billing_mrr = fields.Monetary(
        string="MRR",
        compute="_compute_billing",
        currency_field="billing_currency_id",
        help="Monthly recurring revenue of this tenant today, in the company currency: the MRR "
        "of the subscriptions linked to it (every line, nothing while paused) plus the running "
        "hosting lines of its environments on other subscriptions (each line counted once).",
    )

    def _compute_billing(self):
        today = fields.Date.context_today(self)
        linked = self.env["billing.subscription"].search([("tenant_id", "in", self.ids)])
        lines = self.env["billing.subscription.line"].search(
            [("environment_id.tenant_id", "in", self.ids)]
        )
        linked_mrr = defaultdict(dict)
        subscriptions = defaultdict(lambda: self.env["billing.subscription"])
        for subscription in linked:
            tenant = subscription.tenant_id
            subscriptions[tenant.id] |= subscription
            linked_mrr[tenant.id][subscription.id] = self._billing_convert(
                sum(subscription._mrr_by_layer_at(today).values()), subscription, today
            )
        hosting = defaultdict(list)
        for line in lines:
            tenant = line.environment_id.tenant_id
            subscription = line.subscription_id
            subscriptions[tenant.id] |= subscription
            if line._brings_mrr(today):
                hosting[tenant.id].append(
                    (subscription.id, self._billing_convert(line.mrr, subscription, today))
                )
        for tenant in self:
            tenant.billing_subscription_ids = subscriptions[tenant.id]
            tenant.subscription_count = len(subscriptions[tenant.id])
            tenant.billing_mrr = tenant_billing_core.tenant_mrr(
                linked_mrr[tenant.id], hosting[tenant.id]
            )

    def _billing_convert(self, amount, subscription, day):
        company = subscription.company_id
        return subscription.currency_id._convert(amount, company.currency_id, company, day)

    def action_view_subscriptions(self):
        """The subscriptions that bill this tenant (the smart button)."""
        self.ensure_one()
        self._workflow_check_group(
            "partner_scorecard.group_channel_user", self.env._("open a tenant's subscriptions")
        )
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "recurring_billing.billing_subscription_action"
        )
        action["domain"] = [("id", "in", self.billing_subscription_ids.ids)]
        action["context"] = {
            "default_tenant_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_end_customer_id": self.end_customer_id.id,
        }
        return action

    # --- the lifecycle acting on billing --------------------------------------------------

    def _billing_date(self):
        day = self.env.context.get("billing_change_date")
        return fields.Date.to_date(day) if day else fields.Date.context_today(self)

    def action_suspend(self):
        self._check_manager()
        day = self._billing_date()
        for tenant in self.filtered(lambda t: t.state == "active"):
            tenant._billing_suspend(day)
        return super().action_suspend()

    def action_resume(self):
        self._check_manager()
        day = self._billing_date()
        for tenant in self.filtered(lambda t: t.state == "suspended"):
            tenant._billing_resume(day)
        return super().action_resume()

    def action_decommission(self):
        self._check_manager()
        day = self._billing_date()
        before = self.environment_ids.filtered(lambda e: e.state != "decommissioned")
        result = super().action_decommission()
        before.filtered(lambda e: e.state == "decommissioned")._billing_end_hosting(day)
        return result

    def _billing_suspend(self, day):
        """Pause or stop this tenant's billing from ``day`` (the first day not served)."""
        self.ensure_one()
        Subscription = self.env["billing.subscription"].sudo()
        subscriptions = Subscription.search(
            [
                ("state", "=", "active"),
                ("date_start", "<=", day),
                "|",
                ("tenant_id", "=", self.id),
                ("line_ids.environment_id.tenant_id", "=", self.id),
            ]
        )
        for subscription in subscriptions:
            running = subscription.line_ids.filtered(
                lambda line: line.recurring and line._is_running(day)
            )
            scope = tenant_billing_core.suspension_scope(
                subscription.tenant_id.id or None,
                self.id,
                [line.environment_id.tenant_id.id or None for line in running],
            )
            if scope == tenant_billing_core.SUBSCRIPTION:
                subscription.action_pause(day)
                subscription._workflow_write({"paused_tenant_id": self.id})
                subscription.message_post(
                    body=self.env._(
                        "Paused from %(date)s: tenant %(tenant)s suspended by %(user)s.",
                        date=day,
                        tenant=self.display_name,
                        user=self.env.user.name,
                    )
                )
            elif scope == tenant_billing_core.LINES:
                stopped = running.filtered(lambda line: line.environment_id.tenant_id == self)
                for line in stopped:
                    line._workflow_write(
                        {"tenant_suspended": True, "date_end_before_suspension": line.date_end}
                    )
                    line.with_context(**{BOOKED_BY_CALLER: True}).write(
                        {"date_end": day - timedelta(days=1)}
                    )
                subscription._sync_mrr_ledger(day)
                subscription.message_post(
                    body=self.env._(
                        "Hosting of tenant %(tenant)s stopped from %(date)s (tenant suspended by "
                        "%(user)s): %(lines)s.",
                        tenant=self.display_name,
                        date=day,
                        user=self.env.user.name,
                        lines=", ".join(stopped.mapped("name")),
                    )
                )

    def _billing_resume(self, day):
        """Resume what this tenant's suspension stopped, from ``day``."""
        self.ensure_one()
        paused = (
            self.env["billing.subscription"]
            .sudo()
            .search([("paused_tenant_id", "=", self.id), ("state", "=", "paused")])
        )
        paused.action_resume(day)
        paused._workflow_write({"paused_tenant_id": False})
        for subscription in paused:
            subscription.message_post(
                body=self.env._(
                    "Resumed on %(date)s with tenant %(tenant)s.",
                    date=day,
                    tenant=self.display_name,
                )
            )
        stopped = (
            self.env["billing.subscription.line"]
            .sudo()
            .search([("tenant_suspended", "=", True), ("environment_id.tenant_id", "=", self.id)])
        )
        for line in stopped:
            end = line.date_end_before_suspension
            line._workflow_write({"tenant_suspended": False, "date_end_before_suspension": False})
            if (end and end < day) or line.subscription_id.state not in ("active", "paused"):
                # its own end has passed, or its subscription was closed meanwhile
                continue
            line.with_context(**{BOOKED_BY_CALLER: True}).copy(
                {"date_start": day, "date_end": end, "name": line.name}
            )
        for subscription in stopped.subscription_id.filtered(
            lambda s: s.state in ("active", "paused")
        ):
            subscription._sync_mrr_ledger(day)
            subscription.message_post(
                body=self.env._(
                    "Hosting of tenant %(tenant)s billed again from %(date)s.",
                    tenant=self.display_name,
                    date=day,
                )
            )
