from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, models

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
