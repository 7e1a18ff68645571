from odoo import api, models
from odoo.exceptions import ValidationError

from ..core import slices
from .ir_cron_slices import SLICES_PARAM


class IrConfigParameter(models.Model):
    """The Parallel Slices setting is checked where it is stored, and its twins follow it, whether
    it is set from the settings page or as a system parameter."""

    _inherit = "ir.config_parameter"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("key") == SLICES_PARAM:
                self._check_batch_slices(vals.get("value"))
        params = super().create(vals_list)
        if SLICES_PARAM in params.mapped("key"):
            self.env["ir.cron"]._channel_sync_slices()
        return params

    def write(self, vals):
        touched = SLICES_PARAM in self.mapped("key") or vals.get("key") == SLICES_PARAM
        if touched and "value" in vals:
            self._check_batch_slices(vals["value"])
        res = super().write(vals)
        if touched:
            self.env["ir.cron"]._channel_sync_slices()
        return res

    def unlink(self):
        touched = SLICES_PARAM in self.mapped("key")
        res = super().unlink()
        if touched:
            self.env["ir.cron"]._channel_sync_slices()
        return res

    @api.model
    def _check_batch_slices(self, value):
        try:
            slices.parse_slice_count(value)
        except ValueError as error:
            raise ValidationError(
                self.env._(
                    "Parallel Slices (%(key)s): %(value)s is not a valid number of slices. Enter "
                    "a whole number from %(min)s (no parallel slices) to %(max)s.",
                    key=SLICES_PARAM,
                    value=value,
                    min=slices.MIN_SLICES,
                    max=slices.MAX_SLICES,
                )
            ) from error
