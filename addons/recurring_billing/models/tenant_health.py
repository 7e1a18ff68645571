from collections import defaultdict
from datetime import timedelta

from odoo import api, models

from ..core import tenant_billing as tenant_billing_core
from ..core.ledger import EXPANSION

# expansion movements count over this many days before the health day
EXPANSION_DAYS = 90


class TenantHealthBatch(models.AbstractModel):
    """The commercial part of the customer health from billing: the tenant's MRR on the day and
    30 days before (as its form counts it: the subscriptions linked to it plus the hosting lines
    of its environments on other subscriptions, in the company currency), the expansion
    movements of the last 90 days in the MRR ledger and the next renewal (the nearest end date of
    a running subscription billing it). A tenant no subscription bills has no commercial data."""

    _inherit = "tenant.health.batch"

    @api.model
    def _health_commercial_inputs(self, tenants, day):
        result = super()._health_commercial_inputs(tenants, day)
        Subscription = self.env["billing.subscription"].sudo()
        linked = Subscription.search([("tenant_id", "in", tenants.ids), ("state", "!=", "draft")])
        lines = (
            self.env["billing.subscription.line"]
            .sudo()
            .search([("environment_id.tenant_id", "in", tenants.ids)])
        )
        billing = defaultdict(lambda: Subscription)
        for subscription in linked:
            billing[subscription.tenant_id.id] |= subscription
        for line in lines:
            billing[line.environment_id.tenant_id.id] |= line.subscription_id
        if not billing:
            return result
        month_before = day - timedelta(days=30)
        mrr_now = self._health_tenant_mrr(tenants, linked, lines, day)
        mrr_before = self._health_tenant_mrr(tenants, linked, lines, month_before)
        expansion = defaultdict(float)
        for subscription, amount in (
            self.env["billing.mrr.movement"]
            .sudo()
            ._read_group(
                [
                    ("subscription_id", "in", linked.ids),
                    ("movement_type", "=", EXPANSION),
                    ("date", ">", day - timedelta(days=EXPANSION_DAYS)),
                    ("date", "<=", day),
                ],
                ["subscription_id"],
                ["amount:sum"],
            )
        ):
            expansion[subscription.tenant_id.id] += amount
        for tenant_id, subscriptions in billing.items():
            running = subscriptions.filtered(
                lambda s: s.state in ("active", "paused") and s.date_end and s.date_end >= day
            )
            result[tenant_id] = {
                "mrr": mrr_now.get(tenant_id, 0.0),
                "mrr_before": mrr_before.get(tenant_id, 0.0),
                "expansion": expansion.get(tenant_id, 0.0),
                "renewal_date": min(running.mapped("date_end"), default=False),
            }
        return result

    @api.model
    def _health_tenant_mrr(self, tenants, linked, lines, day):
        """``{tenant id: MRR on day}``, the rule of the tenant's MRR field
        (``core/tenant_billing.tenant_mrr``) applied on ``day``."""
        Tenant = self.env["tenant.tenant"]
        linked_mrr = defaultdict(dict)
        for subscription in linked:
            linked_mrr[subscription.tenant_id.id][subscription.id] = Tenant._billing_convert(
                sum(subscription._mrr_by_layer_at(day).values()), subscription, day
            )
        hosting = defaultdict(list)
        for line in lines:
            if line._brings_mrr(day):
                hosting[line.environment_id.tenant_id.id].append(
                    (
                        line.subscription_id.id,
                        Tenant._billing_convert(line.mrr, line.subscription_id, day),
                    )
                )
        return {
            tenant.id: tenant_billing_core.tenant_mrr(linked_mrr[tenant.id], hosting[tenant.id])
            for tenant in tenants
        }
