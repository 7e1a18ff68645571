from odoo import fields, models

from ..core.slices import DEFAULT_SLICES
from .ir_cron_slices import SLICES_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    scorecard_period_months = fields.Selection(
        related="company_id.scorecard_period_months", readonly=False
    )
    scorecard_close_days = fields.Integer(related="company_id.scorecard_close_days", readonly=False)
    scorecard_promote_after = fields.Integer(
        related="company_id.scorecard_promote_after", readonly=False
    )
    scorecard_demote_grace = fields.Integer(
        related="company_id.scorecard_demote_grace", readonly=False
    )
    scorecard_min_coverage = fields.Float(
        related="company_id.scorecard_min_coverage", readonly=False
    )
    # checked and applied (twin scheduled actions) by ir.config_parameter, see ir_cron_slices.py
    channel_batch_slices = fields.Integer(
        string="Parallel Slices",
        config_parameter=SLICES_PARAM,
        default=DEFAULT_SLICES,
    )
