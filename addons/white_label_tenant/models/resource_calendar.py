from collections import defaultdict

from odoo import models

from ..core.sla_clock import BusinessSchedule


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _tenant_business_schedule(self, date_from=None, date_to=None):
        """This calendar as a pure :class:`BusinessSchedule`: weekly hours and global leaves.

        Global leaves (public holidays) between ``date_from`` and ``date_to`` (naive UTC
        datetimes; all of them when omitted) become non-working time. Two-week calendars use the
        pattern of their first week.
        """
        self.ensure_one()
        weekly = defaultdict(list)
        for attendance in self.attendance_ids:
            if attendance.day_period == "lunch" or attendance.resource_id:
                continue
            if self.two_weeks_calendar and attendance.week_type != "0":
                continue
            weekly[int(attendance.dayofweek)].append((attendance.hour_from, attendance.hour_to))
        leaves = self.global_leave_ids
        if date_from:
            leaves = leaves.filtered(lambda leave: leave.date_to >= date_from)
        if date_to:
            leaves = leaves.filtered(lambda leave: leave.date_from <= date_to)
        return BusinessSchedule(
            dict(weekly),
            self.tz or "UTC",
            leaves=[(leave.date_from, leave.date_to) for leave in leaves],
        )
