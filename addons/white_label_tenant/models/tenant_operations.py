from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models

from ..core.reliability import error_budget, ratio


class TenantOperations(models.AbstractModel):
    """Operational figures per tenant or per channel partner over a period, in grouped queries.

    Used by the tenant form and the portal (through the tenant's figure fields). A figure without
    data is ``None`` (missing), never zero. The figures are read as superuser, so the entry point
    is private: a caller passes only tenants or partners its user may see, and the companies.
    """

    _name = "tenant.operations"
    _description = "Tenant Operations Figures"

    @api.model
    def _period_bounds(self, date_from, date_to):
        """``date_to`` is inclusive: datetimes [date_from 00:00, date_to + 1 day 00:00)."""
        return datetime.combine(date_from, time.min), datetime.combine(
            date_to + timedelta(days=1), time.min
        )

    @api.model
    def _get_figures(self, date_from, date_to, group_field="partner_id", ids=None, companies=None):
        """``{key: {uptime, error_budget_consumed, burn_rate, sla_compliance, mttr_hours, incidents,
        incident_rate, backup_success, restore_pass, rpo_achieved_s, rto_achieved_s,
        provisioning_lead_days}}`` with ``group_field`` ``partner_id`` or ``tenant_id``, over the
        tenants of ``companies`` only (default: the user's current companies), so a partner with
        tenants in two companies gets each company's figures apart."""
        assert group_field in ("partner_id", "tenant_id")
        start, stop = self._period_bounds(date_from, date_to)
        companies = self.env.companies if companies is None else companies
        key_filter = [("company_id", "in", companies.ids)]
        if ids is not None:
            key_filter.append((group_field, "in", list(ids)))
        figures = defaultdict(dict)
        Tenant = self.env["tenant.tenant"].sudo()

        # uptime and error budget: samples per tenant (one query), rolled up with each SLO
        groups = (
            self.env["tenant.uptime.sample"]
            .sudo()
            ._read_group(
                [*key_filter, ("probed_at", ">=", start), ("probed_at", "<", stop)],
                ["tenant_id"],
                ["success_count:sum", "__count"],
            )
        )
        tenants = Tenant.browse([tenant.id for tenant, _ok, _n in groups])
        slos = {
            tenant.id: (tenant.sla_policy_id.current_version_id.uptime_slo or 99.9) / 100.0
            for tenant in tenants
        }
        rollup = defaultdict(lambda: [0, 0, 0.0])  # successes, samples, allowed failures
        for tenant, successes, samples in groups:
            key = tenant.id if group_field == "tenant_id" else tenant.partner_id.id
            rollup[key][0] += successes
            rollup[key][1] += samples
            rollup[key][2] += (1 - slos[tenant.id]) * samples
        for key, (successes, samples, allowed) in rollup.items():
            slo = 1 - allowed / samples
            budget = error_budget(min(max(slo, 1e-9), 1 - 1e-9), successes, samples)
            figures[key].update(
                uptime=ratio(successes, samples),
                error_budget_consumed=budget["consumed"],
                burn_rate=budget["burn_rate"],
            )

        # SLA compliance: met / measured over incidents opened in the period
        Incident = self.env["tenant.incident"].sudo()
        in_period = [("opened_at", ">=", start), ("opened_at", "<", stop)]
        counts = defaultdict(lambda: defaultdict(int))
        for key, outcome, count in Incident._read_group(
            [*key_filter, *in_period], [group_field, "sla_outcome"], ["__count"]
        ):
            counts[key.id][outcome] += count
        for key, by_outcome in counts.items():
            measured = by_outcome["met"] + by_outcome["breached"]
            figures[key].update(
                sla_compliance=ratio(by_outcome["met"], measured),
                incidents=sum(by_outcome.values()),
            )

        # MTTR over incidents resolved in the period
        for key, avg in Incident._read_group(
            [*key_filter, ("resolved_at", ">=", start), ("resolved_at", "<", stop)],
            [group_field],
            ["time_to_resolve_hours:avg"],
        ):
            figures[key.id]["mttr_hours"] = avg

        # incident rate: incidents opened per live tenant
        tenant_rows = Tenant.search_read(
            [("company_id", "in", companies.ids)]
            + (
                [("id" if group_field == "tenant_id" else "partner_id", "in", list(ids))]
                if ids is not None
                else []
            )
            + ["|", ("state", "in", ("active", "suspended")), ("activated_at", ">=", start)],
            ["partner_id", "state", "activated_at", "provisioning_lead_days"],
        )
        live, lead = defaultdict(int), defaultdict(list)
        for row in tenant_rows:
            key = row["id"] if group_field == "tenant_id" else row["partner_id"][0]
            if row["state"] in ("active", "suspended"):
                live[key] += 1
            if row["activated_at"] and start <= row["activated_at"] < stop:
                lead[key].append(row["provisioning_lead_days"])
        for key, count in live.items():
            figures[key]["incident_rate"] = figures[key].get("incidents", 0) / count
        for key, values in lead.items():
            figures[key]["provisioning_lead_days"] = sum(values) / len(values)

        # backups and restore tests
        backups = defaultdict(lambda: defaultdict(int))
        for key, state, count in (
            self.env["tenant.backup"]
            .sudo()
            ._read_group(
                [*key_filter, ("started_at", ">=", start), ("started_at", "<", stop)],
                [group_field, "state"],
                ["__count"],
            )
        ):
            backups[key.id][state] += count
        for key, by_state in backups.items():
            figures[key]["backup_success"] = ratio(by_state["done"], sum(by_state.values()))
        for key, state, count, rto, rpo in (
            self.env["tenant.restore.test"]
            .sudo()
            ._read_group(
                [*key_filter, ("started_at", ">=", start), ("started_at", "<", stop)],
                [group_field, "state"],
                ["__count", "duration_seconds:avg", "backup_age_seconds:avg"],
            )
        ):
            row = figures[key.id]
            row.setdefault("_restores", {})[state] = count
            if state == "passed":
                row.update(rto_achieved_s=rto, rpo_achieved_s=rpo)
        for row in figures.values():
            restores = row.pop("_restores", None)
            if restores:
                row["restore_pass"] = ratio(restores.get("passed", 0), sum(restores.values()))

        return dict(figures)

    @api.model
    def _generate_demo_history(self, environment_ids):
        """Demo only: 30 days of hourly probes, daily backups, weekly restore tests, incidents.

        Deterministic (no randomness): outages are placed on fixed hours so the figures are the
        same on every demo database. Backup rows are illustrations without dump files.
        """
        environments = self.env["tenant.environment"].browse(environment_ids)
        now = datetime.combine(fields.Date.context_today(self), time(12, 0))
        samples, backups = [], []
        for index, env in enumerate(environments):
            for hour in range(30 * 24):
                moment = now - timedelta(hours=hour)
                # production of the second environment had a 3-hour outage 9 days ago
                down = (index == 1 and 9 * 24 <= hour < 9 * 24 + 3) or (hour % 97 == index)
                samples.append(
                    {
                        "environment_id": env.id,
                        "probed_at": moment,
                        "ok": not down,
                        "status_code": 503 if down else 200,
                        "latency_ms": 80.0 + (hour * 7 + index * 13) % 120,
                    }
                )
            for day in range(30):
                started = now - timedelta(days=day, hours=10)
                failed = index == 2 and day == 12
                backups.append(
                    {
                        "environment_id": env.id,
                        "kind": "scheduled",
                        "state": "failed" if failed else "done",
                        "started_at": started,
                        "finished_at": started + timedelta(minutes=4 + index),
                        "size_bytes": 0
                        if failed
                        else 350_000_000 + index * 90_000_000 + day * 1_000_000,
                        "error_message": "pg_dump: connection lost (demo)" if failed else False,
                        "table_count": 0 if failed else 612,
                    }
                )
        self.env["tenant.uptime.sample"].create(samples)
        backup_records = self.env["tenant.backup"].create(backups)
        weekly = backup_records.filtered(
            lambda b: b.state == "done" and b.started_at.weekday() == 0
        )
        tests = []
        for position, backup in enumerate(weekly):
            failed = position == 1
            tests.append(
                {
                    "backup_id": backup.id,
                    "started_at": backup.finished_at + timedelta(hours=2),
                    "state": "failed" if failed else "passed",
                    "duration_seconds": 0.0 if failed else 540.0 + position * 30,
                    "backup_age_seconds": 7200.0,
                    "rto_target_minutes": 120,
                    "rpo_target_minutes": 1440,
                    "details": "Restore aborted: missing role in dump (demo)"
                    if failed
                    else "Restored 612 tables (demo)",
                }
            )
        self.env["tenant.restore.test"].create(tests)
        # incidents: resolved ones within SLA, one breach, one still open waiting on the customer
        Incident = self.env["tenant.incident"]
        specs = [
            (0, "3", 20, 2, 6, "Tax report shows rounding differences", "Rounding setting"),
            (1, "1", 9, 0.2, 3, "Production unreachable (health checks failing)", "Disk full"),
            (1, "2", 4, 1, 30, "EDI import stuck for a supplier", "Connector timeout"),
            (4, "3", 2, 3, None, "Slow stock valuation report", False),
        ]
        for env_index, priority, days_ago, ack_hours, resolve_hours, subject, cause in specs:
            env = environments[env_index]
            opened = now - timedelta(days=days_ago, hours=3)
            incident = Incident.create(
                {
                    "tenant_id": env.tenant_id.id,
                    "environment_id": env.id,
                    "priority": priority,
                    "subject": subject,
                    "opened_at": opened,
                    "source": "probe" if "health" in subject else "manual",
                }
            )
            incident._write_clock(
                {"state": "acknowledged", "acknowledged_at": opened + timedelta(hours=ack_hours)}
            )
            if resolve_hours is not None:
                incident._write_clock(
                    {
                        "state": "resolved",
                        "resolved_at": opened + timedelta(hours=resolve_hours),
                        "root_cause": cause,
                    }
                )
            else:
                incident._write_clock(
                    {"state": "waiting_customer", "pause_started_at": now - timedelta(days=1)}
                )
        Incident.search([("environment_id", "in", environments.ids)])._sla_refresh(
            fields.Datetime.now(), notify=False
        )
        return True
