from odoo import fields, models

from ..core.maintenance import in_window, next_window, windows_between


class TenantTenant(models.Model):
    """A tenant's maintenance windows, from the SLA policy version in force at each moment."""

    _inherit = "tenant.tenant"

    maintenance_window_display = fields.Char(
        string="Maintenance Window",
        compute="_compute_maintenance_window",
        help="When production may be upgraded: the window of the SLA policy version in force.",
    )
    next_maintenance_at = fields.Datetime(
        string="Next Maintenance Window",
        compute="_compute_maintenance_window",
        help="When the running or next maintenance window opens.",
    )

    def _compute_maintenance_window(self):
        now = fields.Datetime.now()
        for tenant in self:
            version = tenant.sla_policy_id._version_at(now) if tenant.sla_policy_id else None
            _open, window = tenant._maintenance_state_at(now) if version else (False, None)
            tenant.maintenance_window_display = (
                version.maintenance_window_display if version else False
            )
            tenant.next_maintenance_at = window[0] if window else False

    def _maintenance_windows(self, date_from, date_to):
        """[(start, end)] (naive UTC datetimes) of this tenant's maintenance windows that
        overlap [date_from, date_to), each from the SLA policy version in force when it opens.
        Empty without a policy, or while a version in force has no weekday ticked. Private:
        it reads the policy as superuser, so callers (status page, portal) pass a tenant their
        user may see."""
        self.ensure_one()
        policy = self.sudo().sla_policy_id
        if not policy:
            return []
        versions = policy.version_ids.filtered(lambda v: v.state == "active").sorted(
            lambda v: (v.effective_from, v.version)
        )
        windows = []
        for index, version in enumerate(versions):
            begin = max(date_from, version.effective_from)
            following = versions[index + 1 :]
            end = min(date_to, following[0].effective_from) if following else date_to
            spec = version._maintenance_spec()
            if not spec or begin >= end:
                continue
            windows.extend(w for w in windows_between(begin, end, spec) if begin <= w[0] < end)
        # a window opened by the version before date_from may still be running at date_from
        first = self._maintenance_spec_at(date_from)
        if first:
            windows.extend(
                w for w in windows_between(date_from, date_from, first) if w[0] < date_from
            )
        return sorted(set(windows))

    def _maintenance_spec_at(self, moment):
        self.ensure_one()
        policy = self.sudo().sla_policy_id
        version = policy._version_at(moment) if policy else None
        return version._maintenance_spec() if version else None

    def _maintenance_state_at(self, moment):
        """(open now, the window running or the next one, or None) at ``moment``."""
        spec = self._maintenance_spec_at(moment)
        if not spec:
            return False, None
        return in_window(moment, spec), next_window(moment, spec)
