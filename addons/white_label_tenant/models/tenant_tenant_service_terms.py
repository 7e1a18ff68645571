from datetime import timedelta

from odoo import fields, models
from odoo.tools.misc import format_datetime

from ..core.status_page import upcoming_windows
from .tenant_sla_target import PRIORITIES

# how far ahead the portal announces a tenant's maintenance windows
MAINTENANCE_HORIZON = timedelta(days=30)


class TenantTenant(models.Model):
    """The service terms a partner reads on its tenant's portal page: those of the SLA policy
    version in force, never typed twice."""

    _inherit = "tenant.tenant"

    def _format_minutes(self, minutes):
        if minutes >= 60 and not minutes % 60:
            return self.env._("%(hours)s h", hours=int(minutes // 60))
        value = f"{minutes:g}"  # outside _(): babel evaluates f-strings
        return self.env._("%(minutes)s min", minutes=value)

    def _portal_service_terms(self, now=None, tz_name="UTC"):
        """The terms in force at ``now`` (default: the present), as text: ``None`` without a
        policy or an active version. Maintenance windows come from the tenant's own windows when the module that
        plans them is installed (``_maintenance_windows``)."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        tenant = self.sudo()
        version = tenant.sla_policy_id._version_at(now) if tenant.sla_policy_id else None
        if not version:
            return None
        priorities = dict(
            self.env["tenant.sla.target"]._fields["priority"]._description_selection(self.env)
        )
        by_priority = {target.priority: target for target in version.target_ids}
        targets = [
            {
                "priority": priorities[key],
                "response": f"{by_priority[key].response_hours:g}\N{NO-BREAK SPACE}h",
                "resolution": f"{by_priority[key].resolution_hours:g}\N{NO-BREAK SPACE}h",
            }
            for key, _label in PRIORITIES
            if key in by_priority
        ]
        units = dict(version._fields["backup_frequency_unit"]._description_selection(self.env))
        rules = version._retention_rules()
        frequency = f"{version.backup_frequency:g}"  # outside _(): babel evaluates f-strings
        maintenance = []
        if hasattr(tenant, "_maintenance_windows"):
            windows = tenant._maintenance_windows(now, now + MAINTENANCE_HORIZON)
            maintenance = [
                {
                    "start": format_datetime(self.env, start, tz=tz_name, dt_format="medium"),
                    "end": format_datetime(self.env, end, tz=tz_name, dt_format="medium"),
                }
                for start, end in upcoming_windows(windows, now, MAINTENANCE_HORIZON)
            ]
        return {
            "version": version.display_name,
            "effective_from": format_datetime(
                self.env, version.effective_from, tz=tz_name, dt_format="medium"
            ),
            "uptime_slo": f"{version.uptime_slo:g}\N{NO-BREAK SPACE}%",
            "clock": self.env._("Business hours (%(calendar)s)", calendar=version.calendar_id.name)
            if version.business_hours
            else self.env._("Around the clock (24/7)"),
            "targets": targets,
            "rpo": self._format_minutes(version.rpo_minutes),
            "rto": self._format_minutes(version.rto_minutes),
            "backup_frequency": self.env._(
                "Every %(value)s %(unit)s",
                value=frequency,
                unit=units[version.backup_frequency_unit].lower(),
            ),
            "retention": self.env._(
                "Every backup kept %(all)s days, then the newest of each day %(days)s days, of "
                "each week %(weeks)s weeks, of each month %(months)s months",
                all=rules.keep_all_days,
                days=rules.daily_days,
                weeks=rules.weekly_weeks,
                months=rules.monthly_months,
            ),
            "maintenance_supported": hasattr(tenant, "_maintenance_windows"),
            # the window of the terms in words (e.g. "Sunday 02:00-06:00 Europe/Brussels")
            "maintenance_window": version.maintenance_window_display
            if "maintenance_window_display" in version._fields
            else False,
            "maintenance": maintenance,
        }
