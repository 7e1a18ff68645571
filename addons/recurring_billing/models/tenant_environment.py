from odoo import fields, models


class TenantEnvironment(models.Model):
    _inherit = "tenant.environment"

    billing_line_ids = fields.One2many(
        "billing.subscription.line", "environment_id", string="Hosting Lines"
    )

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
