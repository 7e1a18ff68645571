from odoo import fields, models


class TenantPromotion(models.Model):
    """A promotion overwrites production: refused while the tenant's production lacks a passed
    disaster-recovery drill within its policy's period, and its gate shows that criterion."""

    _inherit = "tenant.promotion"

    def _gate_python_checks(self):
        checks = super()._gate_python_checks()
        checks["promotion_drill_current"] = self.env._(
            "Production passed a disaster-recovery drill within the SLA policy's period"
        )
        return checks

    def _gate_check_promotion_drill_current(self):
        self.ensure_one()
        target = self.target_environment_id
        return not (target.state == "active" and target._drill_overdue_at(fields.Datetime.now()))

    def action_promote(self):
        self.tenant_id._check_manager()
        self.target_environment_id._check_drill_current()
        return super().action_promote()
