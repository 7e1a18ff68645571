from datetime import datetime, time, timedelta

from odoo import fields, models
from odoo.tools.misc import format_datetime

from ..core import status_page

# how far ahead the page announces scheduled maintenance
MAINTENANCE_HORIZON = timedelta(days=14)
# badge colour of each group status
STATUS_BADGES = {
    "operational": "success",
    "maintenance": "info",
    "unknown": "secondary",
    "partial_outage": "warning",
    "major_outage": "danger",
}


class TenantBranding(models.Model):
    """The brand's public status page: environment groups with a neutral name, their status,
    90 days of daily uptime, public incidents and scheduled maintenance; never a customer's
    or a tenant's name."""

    _inherit = "tenant.branding"

    status_page_grouping = fields.Selection(
        [
            ("region", "Production per Region"),
            ("region_stage", "Region and Stage"),
            ("plan", "Production per Plan"),
        ],
        string="Status Page Groups",
        default="region",
        required=True,
        help="How the status page groups the environments this brand serves: the page never "
        "names a tenant or a customer.",
    )
    status_page_group_label = fields.Char(
        string="Status Page Group Name",
        default="ERP cluster",
        translate=True,
        help="Put before each group's region or plan, e.g. 'ERP cluster' gives 'ERP cluster "
        "EU West (Ireland)'.",
    )

    def _status_page_for_slug(self, slug):
        """The published brand of this status page address (empty if none)."""
        return self.sudo().search(
            [("status_page_slug", "=", slug), ("status_page_published", "=", True)], limit=1
        )

    # --- what the page shows ----------------------------------------------------------------
    def _status_page_tenants(self):
        self.ensure_one()
        tenants = self.env["tenant.tenant"].sudo().search([("partner_id", "=", self.partner_id.id)])
        return tenants.filtered(lambda t: t.effective_branding_id == self)

    def _status_page_environments(self, tenants):
        # running environments only: a suspended one is a customer's matter, not the service's
        domain = [("tenant_id", "in", tenants.ids), ("state", "=", "active")]
        if self.status_page_grouping != "region_stage":
            domain.append(("stage", "=", "production"))
        environments = self.env["tenant.environment"].sudo().search(domain)
        stages = [key for key, _label in environments._fields["stage"].selection]
        return environments.sorted(lambda e: (e.region, stages.index(e.stage), e.id))

    def _status_page_group(self, environment):
        """``(key, label)`` of the group an environment is shown in."""
        Environment = self.env["tenant.environment"]
        prefix = self.status_page_group_label or self.env._("ERP cluster")
        regions = dict(Environment._fields["region"]._description_selection(self.env))
        if self.status_page_grouping == "plan":
            return ("plan", environment.plan_id.id), f"{prefix} {environment.plan_id.name}"
        if self.status_page_grouping == "region_stage":
            stages = dict(Environment._fields["stage"]._description_selection(self.env))
            key = ("region_stage", environment.region, environment.stage)
            return key, f"{prefix} {regions[environment.region]} · {stages[environment.stage]}"
        return ("region", environment.region), f"{prefix} {regions[environment.region]}"

    def _status_page_maintenance(self, tenants, now):
        """``{tenant: [(start, end)]}`` of the maintenance windows of the next two weeks (the
        tenants' maintenance windows, when the module providing them is installed)."""
        if not hasattr(tenants, "_maintenance_windows"):
            return {}
        windows = {}
        for tenant in tenants:
            found = tenant._maintenance_windows(now, now + MAINTENANCE_HORIZON)
            windows[tenant] = status_page.upcoming_windows(found, now, MAINTENANCE_HORIZON)
        return windows

    def _status_page_planned_upgrades(self, tenants):
        """Tenants whose production an upgrade campaign under way still has to upgrade (in
        their next maintenance window), when upgrade campaigns are installed."""
        if "tenant.upgrade.step" not in self.env:
            return self.env["tenant.tenant"]
        steps = (
            self.env["tenant.upgrade.step"]
            .sudo()
            .search(
                [
                    ("tenant_id", "in", tenants.ids),
                    ("kind", "=", "production"),
                    ("state", "=", "pending"),
                    ("campaign_id.state", "in", ("staging", "production")),
                ]
            )
        )
        return steps.tenant_id

    def _status_page_daily_rows(self, environments, first_day, now):
        """``{environment id: [(day, successes, samples)]}`` in one grouped query (UTC days)."""
        since = datetime.combine(first_day, time.min)
        rows = {}
        groups = (
            self.env["tenant.uptime.sample"]
            .sudo()
            .with_context(tz="UTC")
            ._read_group(
                [
                    ("environment_id", "in", environments.ids),
                    ("probed_at", ">=", since),
                    ("probed_at", "<=", now),
                ],
                ["environment_id", "probed_at:day"],
                ["success_count:sum", "__count"],
            )
        )
        for environment, day, successes, count in groups:
            rows.setdefault(environment.id, []).append((day.date(), successes, count))
        return rows

    def _format_share(self, share):
        if share is None:
            return self.env._("No data")
        return f"{100.0 * share:.2f}\N{NO-BREAK SPACE}%"

    def _format_utc(self, moment):
        return format_datetime(self.env, moment, tz="UTC", dt_format="d MMM y, HH:mm") + " UTC"

    def _status_page_values(self, now):
        """Everything the public page renders, computed for the instant ``now`` (UTC)."""
        self.ensure_one()
        tenants = self._status_page_tenants()
        environments = self._status_page_environments(tenants)
        last_day = now.date()
        window = status_page.day_window(last_day)
        daily = self._status_page_daily_rows(environments, window[0], now)
        maintenance = self._status_page_maintenance(tenants, now)

        groups = {}
        for environment in environments:
            key, label = self._status_page_group(environment)
            group = groups.setdefault(key, {"label": label, "environments": [], "rows": []})
            group["environments"].append(environment)
            group["rows"].extend(daily.get(environment.id, []))
        group_of_tenant = {}
        for key, group in groups.items():
            for environment in group["environments"]:
                group_of_tenant.setdefault(environment.tenant_id, set()).add(key)

        status_labels = self._status_labels()
        rows = []
        for key, group in groups.items():
            envs = group["environments"]
            windows = [
                window_
                for tenant in {env.tenant_id for env in envs}
                for window_ in maintenance.get(tenant, [])
            ]
            status = status_page.group_status(
                [env.health_state for env in envs],
                in_maintenance=status_page.in_window(windows, now),
            )
            bars = status_page.daily_uptime(group["rows"], last_day)
            rows.append(
                {
                    "key": key,
                    "label": group["label"],
                    "status": status,
                    "status_label": status_labels[status],
                    "status_class": STATUS_BADGES[status],
                    "uptime_text": self._format_share(status_page.window_uptime(bars)),
                    "bars": [
                        {
                            "level": bar.level,
                            "title": f"{bar.day.isoformat()}: {self._format_share(bar.share)}",
                        }
                        for bar in bars
                    ],
                }
            )
        labels = {row["key"]: row["label"] for row in rows}

        incidents = self.env["tenant.incident"]._status_page_incidents(
            tenants, now - timedelta(days=status_page.HISTORY_DAYS), now
        )
        Update = self.env["tenant.incident.update"]
        update_labels = dict(Update._fields["status"]._description_selection(self.env))
        incident_rows = []
        for incident in incidents:
            keys = (
                {self._status_page_group(incident.environment_id)[0]}
                if incident.environment_id
                else group_of_tenant.get(incident.tenant_id, set())
            )
            updates = incident._public_updates(now)
            incident_rows.append(
                {
                    "title": incident.public_title,
                    "is_open": incident.is_open,
                    "status_label": update_labels[updates[0].status]
                    if updates
                    else update_labels["investigating" if incident.is_open else "resolved"],
                    "groups": sorted(labels[key] for key in keys if key in labels),
                    "opened": self._format_utc(incident.opened_at),
                    "resolved": incident.resolved_at and self._format_utc(incident.resolved_at),
                    "updates": [
                        {
                            "posted": self._format_utc(update.posted_at),
                            "status_label": update_labels[update.status],
                            "body": update.body,
                        }
                        for update in updates
                    ],
                }
            )

        # one row per window, with the groups of the tenants it concerns; the next window of a
        # tenant an upgrade campaign is waiting for carries the upgrade
        upgrading = self._status_page_planned_upgrades(tenants)
        windows_by_key = {}
        for tenant, windows in maintenance.items():
            for position, window_ in enumerate(windows):
                keys, upgrade = windows_by_key.setdefault(window_, (set(), [False]))
                keys.update(group_of_tenant.get(tenant, set()))
                if tenant in upgrading and position == 0:
                    upgrade[0] = True
        maintenance_rows = [
            {
                "start": self._format_utc(start),
                "end": self._format_utc(end),
                "groups": sorted(labels[key] for key in keys if key in labels),
                "in_progress": start <= now < end,
                "upgrade": upgrade[0],
            }
            for (start, end), (keys, upgrade) in sorted(windows_by_key.items())
            if keys
        ]
        overall = status_page.worst_status(row["status"] for row in rows)
        if any(row["is_open"] for row in incident_rows) and overall in ("operational", "unknown"):
            overall = "partial_outage"
        return {
            "branding": self,
            "rows": rows,
            "overall_status": overall,
            "overall_label": self._overall_labels()[overall],
            "overall_class": STATUS_BADGES[overall],
            "current_incidents": [row for row in incident_rows if row["is_open"]],
            "past_incidents": [row for row in incident_rows if not row["is_open"]],
            "maintenance": maintenance_rows,
            "first_day": window[0].isoformat(),
            "last_day": window[-1].isoformat(),
        }

    def _status_labels(self):
        return {
            "operational": self.env._("Operational"),
            "maintenance": self.env._("Under maintenance"),
            "unknown": self.env._("No data"),
            "partial_outage": self.env._("Partial outage"),
            "major_outage": self.env._("Major outage"),
        }

    def _overall_labels(self):
        return {
            "operational": self.env._("All systems operational"),
            "maintenance": self.env._("Maintenance in progress"),
            "unknown": self.env._("Status not measured yet"),
            "partial_outage": self.env._("Some systems are affected"),
            "major_outage": self.env._("Major outage"),
        }
