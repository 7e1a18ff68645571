from odoo import models


class TenantMigration(models.Model):
    """A move to dedicated switches the billing on the day of the switch: each running hosting
    line of the old (multi-tenant) environment ends the day before, and the same subscription
    bills the dedicated environment from that day at its plan's price. The line change does it
    (``billing.subscription.line.action_change``): days already invoiced at the old price are
    credited and the same days charged at the new one on the next run, prorated daily; the MRR
    ledger records the expansion that day."""

    _inherit = "tenant.migration"

    def _on_switched(self, day):
        result = super()._on_switched(day)
        self._billing_switch(day)
        return result

    def _billing_switch(self, day):
        self.ensure_one()
        source, target = self.source_environment_id, self.target_environment_id
        plan = target.sudo().plan_id
        # the plan switch follows the move whoever runs it (as a plan change reprices its line)
        lines = source.sudo().billing_line_ids.filtered(
            lambda line: line.recurring
            and line._is_running(day)
            and line.subscription_id.state in ("active", "paused", "draft")
        )
        for line in lines:
            subscription = line.subscription_id
            new_line = line.action_change(day, price_unit=line._plan_price(plan, subscription))
            vals = {"environment_id": target.id}
            if plan.hosting_product_id and not new_line.last_date_invoiced:
                vals["product_id"] = plan.hosting_product_id.id
            new_line.write(vals)
            subscription.message_post(
                body=self.env._(
                    "Hosting moved to the dedicated environment %(target)s on %(day)s: billed on "
                    "plan %(plan)s from that day, prorated (%(user)s).",
                    target=target.display_name,
                    day=day,
                    plan=plan.display_name,
                    user=self.env.user.name,
                )
            )
        return lines
