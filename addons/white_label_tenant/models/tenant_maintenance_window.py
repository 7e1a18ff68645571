from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _tz_get

from ..core.maintenance import WindowSpec, describe

# one tick box per local weekday (Monday 0 .. Sunday 6), as core.maintenance numbers them
WEEKDAY_FIELDS = (
    "maintenance_mon",
    "maintenance_tue",
    "maintenance_wed",
    "maintenance_thu",
    "maintenance_fri",
    "maintenance_sat",
    "maintenance_sun",
)


class TenantSlaPolicyVersion(models.Model):
    """The maintenance window of the terms: when production may be upgraded, in local time.

    Part of the contract like every other term: an active version keeps its window (a new
    version changes it from a date on). The defaults (Sunday 02:00, 4 hours) give versions that
    existed before windows did a window, so no upgrade of theirs needs an override.
    """

    _inherit = "tenant.sla.policy.version"

    maintenance_mon = fields.Boolean(string="Monday")
    maintenance_tue = fields.Boolean(string="Tuesday")
    maintenance_wed = fields.Boolean(string="Wednesday")
    maintenance_thu = fields.Boolean(string="Thursday")
    maintenance_fri = fields.Boolean(string="Friday")
    maintenance_sat = fields.Boolean(string="Saturday")
    maintenance_sun = fields.Boolean(string="Sunday", default=True)
    maintenance_start = fields.Float(
        string="Window Starts At",
        default=2.0,
        help="Local time (in the window's time zone) the maintenance window opens.",
    )
    maintenance_duration = fields.Float(
        string="Window Length (hours)",
        default=4.0,
        help="How long the window stays open, in real hours (a DST change does not stretch it).",
    )
    maintenance_tz = fields.Selection(
        _tz_get,
        string="Window Time Zone",
        compute="_compute_maintenance_tz",
        store=True,
        readonly=False,
        help="The time zone of the window; by default the working hours' time zone.",
    )
    maintenance_window_display = fields.Char(
        string="Maintenance Window", compute="_compute_maintenance_window_display"
    )

    @api.depends("calendar_id.tz")
    def _compute_maintenance_tz(self):
        for version in self:
            if not version.maintenance_tz:
                version.maintenance_tz = version.calendar_id.tz or "UTC"

    @api.depends(*WEEKDAY_FIELDS, "maintenance_start", "maintenance_duration", "maintenance_tz")
    def _compute_maintenance_window_display(self):
        for version in self:
            spec = version._maintenance_spec()
            version.maintenance_window_display = (
                describe(spec) if spec and not spec.problems() else self.env._("None")
            )

    def _maintenance_spec(self):
        """The window as ``core.maintenance.WindowSpec``; None without any weekday ticked."""
        self.ensure_one()
        weekdays = tuple(day for day, name in enumerate(WEEKDAY_FIELDS) if self[name])
        if not weekdays:
            return None
        return WindowSpec(
            weekdays=weekdays,
            start_minute=round(self.maintenance_start * 60),
            duration_minutes=round(self.maintenance_duration * 60),
            tz=self.maintenance_tz or "UTC",
        )

    @api.constrains(*WEEKDAY_FIELDS, "maintenance_start", "maintenance_duration", "maintenance_tz")
    def _check_maintenance_window(self):
        for version in self:
            spec = version._maintenance_spec()
            problems = spec.problems() if spec else []
            if not 0 <= version.maintenance_start < 24:
                problems.append(self.env._("Window Starts At must lie between 00:00 and 23:59"))
            if problems:
                raise ValidationError(
                    self.env._(
                        "%(policy)s: the maintenance window is not valid: %(problems)s. Fix "
                        "Window Starts At (00:00-23:59), Window Length (hours) (more than 0, "
                        "at most 24) or Window Time Zone.",
                        policy=version.display_name,
                        problems="; ".join(problems),
                    )
                )
