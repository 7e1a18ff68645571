from datetime import timedelta

from odoo import api, models

from ..core.ledger import EXPANSION

# expansion movements count over this many days before the health day
EXPANSION_DAYS = 90


class TenantHealthBatch(models.AbstractModel):
    """The commercial part of the customer health, from the subscriptions linked to a tenant:
    MRR on the day and 30 days before (from the MRR ledger, so a past day reads as it was),
    expansion MRR of the last 90 days and the next renewal (end date of a running
    subscription)."""

    _inherit = "tenant.health.batch"

    @api.model
    def _health_commercial_inputs(self, tenants, day):
        result = super()._health_commercial_inputs(tenants, day)
        Movement = self.env["billing.mrr.movement"].sudo()
        month_before = day - timedelta(days=30)
        subscriptions = (
            self.env["billing.subscription"]
            .sudo()
            .search([("tenant_id", "in", tenants.ids), ("state", "!=", "draft")])
        )
        if not subscriptions:
            return result
        tenant_of = {sub.id: sub.tenant_id.id for sub in subscriptions}
        # a billed tenant has an MRR, 0 included: only a tenant without subscription has no data
        values = {
            tenant_id: {"mrr": 0.0, "mrr_before": 0.0, "expansion": 0.0}
            for tenant_id in set(tenant_of.values())
        }
        for subscription, amount in Movement._read_group(
            [("subscription_id", "in", subscriptions.ids), ("date", "<=", day)],
            ["subscription_id"],
            ["amount:sum"],
        ):
            values[tenant_of[subscription.id]]["mrr"] += amount
        for subscription, amount in Movement._read_group(
            [("subscription_id", "in", subscriptions.ids), ("date", "<=", month_before)],
            ["subscription_id"],
            ["amount:sum"],
        ):
            values[tenant_of[subscription.id]]["mrr_before"] += amount
        for subscription, amount in Movement._read_group(
            [
                ("subscription_id", "in", subscriptions.ids),
                ("movement_type", "=", EXPANSION),
                ("date", ">", day - timedelta(days=EXPANSION_DAYS)),
                ("date", "<=", day),
            ],
            ["subscription_id"],
            ["amount:sum"],
        ):
            values[tenant_of[subscription.id]]["expansion"] += amount
        for sub in subscriptions.filtered(
            lambda s: s.state in ("active", "paused") and s.date_end and s.date_end >= day
        ):
            row = values[sub.tenant_id.id]
            if not row.get("renewal_date") or sub.date_end < row["renewal_date"]:
                row["renewal_date"] = sub.date_end
        result.update(values)
        return result
