import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..backends.base import BackendError
from ..core import health

_logger = logging.getLogger(__name__)

LIVE_STATES = ("active", "suspended")
PERIOD_DAYS = 30


class TenantHealthBatch(models.AbstractModel):
    """The daily customer-health run: gathers each tenant's inputs in grouped queries (adoption
    from its own database through the provisioning backend), scores them with ``core/health.py``
    and stores one ``tenant.health.snapshot`` per tenant and day.

    The cron takes bounded slices of the live tenants without a snapshot of the day (``FOR
    UPDATE SKIP LOCKED``) and reports ``done``/``remaining`` to ``ir.cron``, which commits and
    calls again: a second run the same day finds nothing left, the tenant's "Refresh Health"
    updates the day's row. Commercial inputs come from :meth:`_health_commercial_inputs`, a hook
    that returns nothing here (recurring_billing fills it from the subscriptions).
    """

    _name = "tenant.health.batch"
    _description = "Tenant Health Scheduled Work"

    # --- settings -------------------------------------------------------------------------------
    @api.model
    def _health_settings(self):
        """Risk threshold (score below it: at risk), fast drop (points lost over 30 days that,
        with a renewal within 90 days, flag the risk), default expected users and apps."""
        params = self.env["ir.config_parameter"].sudo()

        def number(key, default):
            try:
                return float(params.get_param(f"white_label_tenant.{key}", default))
            except (TypeError, ValueError):
                return float(default)

        return {
            "threshold": number("health_risk_threshold", 50),
            "fast_drop": number("health_fast_drop", 15),
            "expected_users": int(number("health_expected_users", 5)),
            "expected_apps": int(number("health_expected_apps", 3)),
        }

    # --- the cron -------------------------------------------------------------------------------
    @api.model
    def _health_due_where(self, day):
        return SQL(
            "t.state IN %s AND NOT EXISTS (SELECT 1 FROM tenant_health_snapshot s "
            "WHERE s.tenant_id = t.id AND s.date = %s)",
            LIVE_STATES,
            day,
        )

    @api.model
    def _cron_health_snapshots(self, day=None, batch_size=50):
        """Snapshot one slice of the live tenants not yet scored on ``day`` (default today);
        returns how many. Safe to run twice: the second run finds none due."""
        day = day or fields.Date.context_today(self)
        self.env["tenant.tenant"].flush_model()
        self.env["tenant.health.snapshot"].flush_model()
        where = self._health_due_where(day)
        self.env.cr.execute(
            SQL(
                "SELECT t.id FROM tenant_tenant t WHERE %s ORDER BY t.id LIMIT %s "
                "FOR UPDATE OF t SKIP LOCKED",
                where,
                batch_size,
            )
        )
        tenants = self.env["tenant.tenant"].browse(row[0] for row in self.env.cr.fetchall())
        self._health_snapshot(tenants, day)
        self.env.cr.execute(SQL("SELECT count(*) FROM tenant_tenant t WHERE %s", where))
        self.env["ir.cron"]._notify_progress(done=len(tenants), remaining=self.env.cr.fetchone()[0])
        return len(tenants)

    # --- one slice ------------------------------------------------------------------------------
    @api.model
    def _health_snapshot(self, tenants, day):
        """Score ``tenants`` on ``day`` and store (or update) their snapshot of that day."""
        tenants = tenants.sudo().exists()
        if not tenants:
            return self.env["tenant.health.snapshot"]
        settings = self._health_settings()
        adoption = self._health_adoption_inputs(tenants, day)
        support = self._health_support_inputs(tenants, day)
        stability = self._health_stability_inputs(tenants, day)
        commercial = self._health_commercial_inputs(tenants, day)
        Snapshot = self.env["tenant.health.snapshot"].sudo()
        existing = {
            s.tenant_id.id: s
            for s in Snapshot.search([("tenant_id", "in", tenants.ids), ("date", "=", day)])
        }
        before = self._health_scores_before(tenants, day)
        previous_risk = self._health_previous_risk(tenants, day)
        to_create, snapshots, alerts = [], Snapshot, []
        for tenant in tenants:
            vals = self._health_vals(
                tenant,
                day,
                settings,
                adoption.get(tenant.id),
                support.get(tenant.id, 0.0),
                stability.get(tenant.id, {}),
                commercial.get(tenant.id),
                before.get(tenant.id),
            )
            snapshot = existing.get(tenant.id)
            if (
                vals["renewal_risk"]
                and not previous_risk.get(tenant.id)
                and not (snapshot and snapshot.risk_notified)
            ):
                vals["risk_notified"] = True
                alerts.append(tenant)
            if snapshot:
                snapshot.write(vals)
                snapshots |= snapshot
            else:
                to_create.append({"tenant_id": tenant.id, "date": day, **vals})
        snapshots |= Snapshot.create(to_create)
        self._health_mark_latest(tenants)
        for tenant in alerts:
            self._health_notify_risk(
                tenant, snapshots.filtered(lambda s, t=tenant: s.tenant_id == t)
            )
        return snapshots

    @api.model
    def _health_vals(self, tenant, day, settings, adoption, load, stability, commercial, before):
        """The snapshot values of one tenant from its inputs (plain Python, ``core/health.py``)."""
        expected_users = tenant.health_expected_users or settings["expected_users"]
        expected_apps = tenant.health_expected_apps or settings["expected_apps"]
        adoption = adoption or {}
        active, apps = adoption.get("active_users"), adoption.get("installed_apps")
        commercial = commercial or {}
        parts = {
            "adoption": health.adoption_score(active, expected_users, apps, expected_apps),
            "support": health.support_score(load),
            "stability": health.stability_score(
                stability.get("uptime"),
                stability.get("slo", 0.999),
                stability.get("backups", 0),
                stability.get("failed_backups", 0),
                stability.get("breaches", 0),
            ),
            "commercial": health.commercial_score(
                commercial.get("mrr"), commercial.get("mrr_before"), commercial.get("expansion")
            ),
        }
        score = health.combine(parts)
        renewal = commercial.get("renewal_date")
        renewal_days = (renewal - day).days if renewal else None
        vals = {
            "score": score or 0.0,
            "score_measured": score is not None,
            "score_before": before or 0.0,
            "trend": health.trend(score, before) or False,
            "renewal_risk": health.renewal_risk(
                score, before, renewal_days, settings["threshold"], settings["fast_drop"]
            ),
            "active_users": active or 0,
            "installed_apps": apps or 0,
            "apps_measured": apps is not None,
            "expected_users": expected_users,
            "expected_apps": expected_apps,
            "app_names": ", ".join(adoption.get("app_names") or []) or False,
            "support_load": load,
            "uptime": 100.0 * stability["uptime"] if stability.get("uptime") is not None else 0.0,
            "failed_backups": stability.get("failed_backups", 0),
            "breaches": stability.get("breaches", 0),
            "mrr": commercial.get("mrr") or 0.0,
            "mrr_before": commercial.get("mrr_before") or 0.0,
            "expansion": commercial.get("expansion") or 0.0,
            "renewal_date": renewal or False,
        }
        for name, value in parts.items():
            vals[f"{name}_score"] = value or 0.0
            vals[f"{name}_measured"] = value is not None
        return vals

    # --- inputs ---------------------------------------------------------------------------------
    @api.model
    def _health_window(self, day):
        """[day - 29 00:00, day + 1 00:00): the 30 days ending with ``day``."""
        return (
            datetime.combine(day - timedelta(days=PERIOD_DAYS - 1), time.min),
            datetime.combine(day + timedelta(days=1), time.min),
        )

    @api.model
    def _health_adoption_inputs(self, tenants, day):
        """``{tenant id: {active_users, installed_apps, app_names} or None}``: read from the
        running production environment's own database through the tenant's backend."""
        since, _stop = self._health_window(day)
        environments = (
            self.env["tenant.environment"]
            .sudo()
            .search(
                [
                    ("tenant_id", "in", tenants.ids),
                    ("stage", "=", "production"),
                    ("state", "=", "active"),
                ],
                order="id",
            )
        )
        result = {}
        for environment in environments:
            tenant = environment.tenant_id
            if result.get(tenant.id) is not None:
                continue
            try:
                backend = self.env["tenant.backend"]._get(tenant.backend)
                result[tenant.id] = backend.read_adoption(environment, since)
            except (BackendError, UserError) as exc:
                _logger.info("Health: adoption of %s not read: %s", environment.display_name, exc)
                result[tenant.id] = None
            except Exception:  # a third-party backend's failure is no data, not
                # a failed run for every other tenant of the slice
                _logger.exception("Health: adoption of %s failed", environment.display_name)
                result[tenant.id] = None
        return result

    @api.model
    def _health_support_inputs(self, tenants, day):
        """``{tenant id: weighted load}`` of the incidents open now or opened in the period."""
        start, stop = self._health_window(day)
        groups = (
            self.env["tenant.incident"]
            .sudo()
            ._read_group(
                [
                    ("tenant_id", "in", tenants.ids),
                    ("opened_at", "<", stop),
                    "|",
                    ("is_open", "=", True),
                    ("opened_at", ">=", start),
                ],
                ["tenant_id", "priority"],
                ["__count"],
            )
        )
        loads = defaultdict(float)
        for tenant, priority, count in groups:
            loads[tenant.id] += health.priority_load([priority]) * count
        return loads

    @api.model
    def _health_stability_inputs(self, tenants, day):
        """``{tenant id: {uptime, slo, backups, failed_backups, breaches}}`` over the period."""
        start, stop = self._health_window(day)
        figures = self.env["tenant.operations"]._get_figures(
            day - timedelta(days=PERIOD_DAYS - 1), day, "tenant_id", tenants.ids, tenants.company_id
        )
        result = {
            tenant.id: {
                "uptime": figures.get(tenant.id, {}).get("uptime"),
                "slo": (tenant.sla_policy_id.current_version_id.uptime_slo or 99.9) / 100.0,
                "backups": 0,
                "failed_backups": 0,
                "breaches": 0,
            }
            for tenant in tenants
        }
        for tenant, state, count in (
            self.env["tenant.backup"]
            .sudo()
            ._read_group(
                [
                    ("tenant_id", "in", tenants.ids),
                    ("started_at", ">=", start),
                    ("started_at", "<", stop),
                ],
                ["tenant_id", "state"],
                ["__count"],
            )
        ):
            result[tenant.id]["backups"] += count
            if state == "failed":
                result[tenant.id]["failed_backups"] += count
        for tenant, count in (
            self.env["tenant.incident"]
            .sudo()
            ._read_group(
                [
                    ("tenant_id", "in", tenants.ids),
                    ("opened_at", ">=", start),
                    ("opened_at", "<", stop),
                    ("sla_outcome", "=", "breached"),
                ],
                ["tenant_id"],
                ["__count"],
            )
        ):
            result[tenant.id]["breaches"] = count
        return result

    @api.model
    def _health_commercial_inputs(self, tenants, day):
        """``{tenant id: {mrr, mrr_before, expansion, renewal_date}}`` (MRR on ``day`` and 30
        days before, expansion MRR of the last 90 days, the next renewal). Nothing here: without
        a billing module the commercial part is not measured (and reweighted)."""
        return {}

    @api.model
    def _health_scores_before(self, tenants, day):
        """The latest score of each tenant between 60 and 30 days before ``day``."""
        base = day - timedelta(days=PERIOD_DAYS)
        rows = (
            self.env["tenant.health.snapshot"]
            .sudo()
            .search_read(
                [
                    ("tenant_id", "in", tenants.ids),
                    ("date", "<=", base),
                    ("date", ">", base - timedelta(days=PERIOD_DAYS)),
                    ("score_measured", "=", True),
                ],
                ["tenant_id", "score"],
                order="date desc",
            )
        )
        scores = {}
        for row in rows:
            scores.setdefault(row["tenant_id"][0], row["score"])
        return scores

    @api.model
    def _health_previous_risk(self, tenants, day):
        """Whether each tenant's last snapshot before ``day`` was flagged."""
        rows = (
            self.env["tenant.health.snapshot"]
            .sudo()
            .search_read(
                [("tenant_id", "in", tenants.ids), ("date", "<", day)],
                ["tenant_id", "renewal_risk"],
                order="date desc",
            )
        )
        flags = {}
        for row in rows:
            flags.setdefault(row["tenant_id"][0], row["renewal_risk"])
        return flags

    @api.model
    def _health_mark_latest(self, tenants):
        Snapshot = self.env["tenant.health.snapshot"].sudo()
        Snapshot.flush_model()
        self.env.cr.execute(
            SQL(
                """UPDATE tenant_health_snapshot s
                      SET is_latest = (s.id = latest.id)
                     FROM (SELECT DISTINCT ON (tenant_id) tenant_id, id
                             FROM tenant_health_snapshot
                            WHERE tenant_id = ANY(%s)
                         ORDER BY tenant_id, date DESC, id DESC) latest
                    WHERE s.tenant_id = latest.tenant_id
                      AND s.is_latest IS DISTINCT FROM (s.id = latest.id)""",
                tenants.ids,
            )
        )
        Snapshot.invalidate_model(["is_latest"])

    @api.model
    def _health_notify_risk(self, tenant, snapshot):
        """An activity for the tenant's responsible when the flag turns on (once per turn)."""
        score = f"{snapshot[:1].score:.0f}"  # outside _(): babel evaluates f-strings
        tenant.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=(tenant.user_id or self.env.user).id,
            summary=self.env._("Renewal risk: health %(score)s", score=score),
            note=self.env._(
                "The customer health of %(tenant)s fell to %(score)s (trend: %(trend)s). Review "
                "adoption, support load, stability and billing on the tenant's Health tab.",
                tenant=tenant.name,
                score=score,
                trend=dict(snapshot._fields["trend"]._description_selection(self.env)).get(
                    snapshot[:1].trend, "-"
                ),
            ),
        )
