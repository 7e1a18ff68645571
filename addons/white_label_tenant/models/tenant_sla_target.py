import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


def check_finite(model, vals):
    """Refuse NaN and infinity in the float fields of ``vals`` before the ORM rounds them (Odoo
    fails on a NaN with digits with a bare ValueError, and stores an infinity without them)."""
    for name, value in vals.items():
        field = model._fields.get(name)
        if (
            field
            and field.type == "float"
            and isinstance(value, float)
            and not math.isfinite(value)
        ):
            raise ValidationError(
                model.env._(
                    "%(field)s must be a finite number, not %(value)s.",
                    field=field._description_string(model.env),
                    value=value,
                )
            )


PRIORITIES = [("1", "Critical"), ("2", "High"), ("3", "Normal"), ("4", "Low")]


class TenantSlaTarget(models.Model):
    """First-response and resolution targets of one priority in one policy version."""

    _name = "tenant.sla.target"
    _description = "SLA Target"
    _order = "version_id, priority"

    version_id = fields.Many2one(
        "tenant.sla.policy.version", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="version_id.company_id", store=True, index=True)
    priority = fields.Selection(PRIORITIES, required=True)
    response_hours = fields.Float(string="First Response (h)", required=True)
    resolution_hours = fields.Float(string="Resolution (h)", required=True)

    _sql_constraints = [
        ("priority_uniq", "unique (version_id, priority)", "One target per priority and version."),
    ]

    @api.constrains("response_hours", "resolution_hours")
    def _check_hours(self):
        labels = {
            "response_hours": self.env._("First Response (h)"),
            "resolution_hours": self.env._("Resolution (h)"),
        }
        for target in self:
            for field_name, label in labels.items():
                hours = target[field_name]
                # NaN compares false with everything: test finiteness before the sign
                if not math.isfinite(hours) or hours <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be a positive number of hours (e.g. 4), not %(value)s.",
                            field=label,
                            value=hours,
                        )
                    )
            if target.resolution_hours < target.response_hours:
                raise ValidationError(
                    self.env._("Resolution (h) cannot be shorter than First Response (h).")
                )

    def _check_version_draft(self, versions):
        if versions.filtered(lambda v: v.state != "draft"):
            raise UserError(
                self.env._(
                    "The targets of an active SLA policy version cannot change: use New Version "
                    "on the policy version instead."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_finite(self, vals)
        versions = self.env["tenant.sla.policy.version"].browse(
            [vals["version_id"] for vals in vals_list if vals.get("version_id")]
        )
        self._check_version_draft(versions)
        return super().create(vals_list)

    def write(self, vals):
        check_finite(self, vals)
        self._check_version_draft(self.version_id)
        return super().write(vals)

    def unlink(self):
        self._check_version_draft(self.version_id)
        return super().unlink()
