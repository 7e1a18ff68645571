from odoo import models
from odoo.exceptions import UserError

from ..core.business_time import Attendance, BusinessSchedule, ScheduleError


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _tenant_business_leaves_domain(self, date_from=None, date_to=None):
        """The leaves Odoo removes from this calendar's own working time (no resource): time off
        of type "leave" on this calendar or on every calendar (``_leave_intervals_batch``)."""
        self.ensure_one()
        domain = [
            ("time_type", "=", "leave"),
            ("calendar_id", "in", [False, self.id]),
            ("resource_id", "=", False),
        ]
        if date_from:
            domain.append(("date_to", ">=", date_from))
        if date_to:
            domain.append(("date_from", "<=", date_to))
        return domain

    def _tenant_business_schedule(self, date_from=None, date_to=None):
        """This calendar as a pure :class:`BusinessSchedule`, the working time Odoo computes for
        the calendar itself: attendances (two-week patterns and date ranges included, lunch and
        section lines and resource-specific lines excluded) minus its leaves between ``date_from``
        and ``date_to`` (naive UTC datetimes; all of them when omitted).

        A calendar without fixed hours is refused: business time needs them.
        """
        self.ensure_one()
        if self.flexible_hours:
            raise UserError(
                self.env._(
                    "Working Hours %(calendar)s have Flexible Hours (no fixed attendance): SLA "
                    "clocks count business time in fixed working hours. Choose a calendar with "
                    "attendances or untick Business Hours on the SLA policy version.",
                    calendar=self.display_name,
                )
            )
        attendances = [
            Attendance(
                int(line.dayofweek),
                line.hour_from,
                line.hour_to,
                int(line.week_type) if self.two_weeks_calendar else None,
                line.date_from or None,
                line.date_to or None,
            )
            for line in self.attendance_ids
            if line.day_period != "lunch" and not line.resource_id and not line.display_type
        ]
        leaves = self.env["resource.calendar.leaves"].search(
            self._tenant_business_leaves_domain(date_from, date_to)
        )
        try:
            return BusinessSchedule(
                None,
                self.tz or "UTC",
                leaves=[(leave.date_from, leave.date_to) for leave in leaves],
                attendances=attendances,
                two_weeks=self.two_weeks_calendar,
            )
        except ScheduleError as exc:
            raise UserError(
                self.env._(
                    "Working Hours %(calendar)s cannot be used for SLA clocks: %(reason)s",
                    calendar=self.display_name,
                    reason=str(exc),
                )
            ) from exc
