from odoo import api, models


class IrCron(models.Model):
    _inherit = "ir.cron"

    @api.model
    def _channel_batch_jobs(self):
        """The batch jobs of this module that run in parallel slices (see partner_scorecard)."""
        return {
            **super()._channel_batch_jobs(),
            "governance_gates.ir_cron_governance_gate_evaluate": "_cron_evaluate_open_gates",
        }
