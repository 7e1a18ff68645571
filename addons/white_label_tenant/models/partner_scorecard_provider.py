from odoo import api, models
from odoo.tools import SQL

from ..core.health import ADOPTION_HEALTHY


class PartnerScorecardProvider(models.AbstractModel):
    """Operational metrics of the partners' tenants, one grouped query per metric, on the tenants
    of the context's company (every table read here stores the tenant's company)."""

    _inherit = "partner.scorecard.provider"

    @api.model
    def _get_providers(self):
        providers = super()._get_providers()
        providers.update(
            tenant_uptime=self.env._("Tenants: uptime (%)"),
            tenant_sla_compliance=self.env._("Tenants: incidents within SLA (%)"),
            tenant_backup_success=self.env._("Tenants: successful backups (%)"),
            tenant_restore_pass_rate=self.env._("Tenants: restore tests passed (%)"),
            tenant_incident_rate=self.env._("Tenants: incidents per live tenant"),
            tenant_mttr=self.env._("Tenants: mean time to restore (hours)"),
            tenant_provisioning_lead_time=self.env._("Tenants: provisioning lead time (days)"),
        )
        return providers

    def _tenant_ratio(self, table, time_column, good, context, where=""):
        start, stop = self._datetime_bounds(context.date_from, context.date_to)
        self.env.flush_all()
        return self._fetch_values(
            SQL(
                """SELECT partner_id, 100.0 * COUNT(*) FILTER (WHERE %s) / COUNT(*)
                     FROM %s
                    WHERE partner_id = ANY(%s) AND %s AND %s >= %s AND %s < %s %s
                 GROUP BY partner_id""",
                SQL(good),
                SQL.identifier(table),
                context.partner_ids,
                self._company_clause(context),
                SQL.identifier(time_column),
                start,
                SQL.identifier(time_column),
                stop,
                SQL(where),
            )
        )

    def _provide_tenant_uptime(self, metric, context):
        return self._tenant_ratio("tenant_uptime_sample", "probed_at", "ok", context)

    def _provide_tenant_sla_compliance(self, metric, context):
        return self._tenant_ratio(
            "tenant_incident",
            "opened_at",
            "sla_outcome = 'met'",
            context,
            where="AND sla_outcome IN ('met', 'breached')",
        )

    def _provide_tenant_backup_success(self, metric, context):
        return self._tenant_ratio("tenant_backup", "started_at", "state = 'done'", context)

    def _provide_tenant_restore_pass_rate(self, metric, context):
        return self._tenant_ratio("tenant_restore_test", "started_at", "state = 'passed'", context)

    def _provide_tenant_incident_rate(self, metric, context):
        start, stop = self._datetime_bounds(context.date_from, context.date_to)
        self.env.flush_all()
        return self._fetch_values(
            SQL(
                """SELECT t.partner_id, COUNT(i.id)::float / COUNT(DISTINCT t.id)
                     FROM tenant_tenant t
                LEFT JOIN tenant_incident i
                       ON i.tenant_id = t.id AND i.opened_at >= %s AND i.opened_at < %s
                    WHERE t.partner_id = ANY(%s) AND %s AND t.state IN ('active', 'suspended')
                 GROUP BY t.partner_id""",
                start,
                stop,
                context.partner_ids,
                self._company_clause(context, "t"),
            )
        )

    def _provide_tenant_mttr(self, metric, context):
        start, stop = self._datetime_bounds(context.date_from, context.date_to)
        self.env.flush_all()
        return self._fetch_values(
            SQL(
                """SELECT partner_id, AVG(time_to_resolve_hours)
                     FROM tenant_incident
                    WHERE partner_id = ANY(%s) AND %s AND resolved_at >= %s AND resolved_at < %s
                 GROUP BY partner_id""",
                context.partner_ids,
                self._company_clause(context),
                start,
                stop,
            )
        )

    def _provide_tenant_provisioning_lead_time(self, metric, context):
        start, stop = self._datetime_bounds(context.date_from, context.date_to)
        self.env.flush_all()
        return self._fetch_values(
            SQL(
                """SELECT partner_id, AVG(provisioning_lead_days)
                     FROM tenant_tenant
                    WHERE partner_id = ANY(%s) AND %s
                      AND activated_at >= %s AND activated_at < %s
                 GROUP BY partner_id""",
                context.partner_ids,
                self._company_clause(context),
                start,
                stop,
            )
        )


class PartnerScorecardProviderHealth(models.AbstractModel):
    """Customer-success metrics of the partners' live tenants, from each tenant's latest health
    snapshot within the period (``tenant.health.snapshot``), one query per metric."""

    _inherit = "partner.scorecard.provider"

    @api.model
    def _get_providers(self):
        return {
            **super()._get_providers(),
            "tenant_adoption_rate": self.env._("Tenants: healthy adoption (%)"),
            "tenant_module_utilisation": self.env._("Tenants: applications used (%)"),
            "tenant_churn_risk": self.env._("Tenants: at renewal risk (%)"),
        }

    def _health_latest(self, value, measured, context):
        """``{partner: value}`` over the latest snapshot in the period of each live tenant
        whose ``measured`` column is true (SQL expressions of the ``latest`` row)."""
        self.env["tenant.health.snapshot"].flush_model()
        self.env["tenant.tenant"].flush_model(["state"])
        return self._fetch_values(
            SQL(
                """WITH latest AS (
                       SELECT DISTINCT ON (s.tenant_id) s.*
                         FROM tenant_health_snapshot s
                         JOIN tenant_tenant t ON t.id = s.tenant_id
                        WHERE s.partner_id = ANY(%s) AND %s AND t.state IN ('active', 'suspended')
                          AND s.date >= %s AND s.date <= %s
                     ORDER BY s.tenant_id, s.date DESC, s.id DESC)
                   SELECT partner_id, %s FROM latest WHERE %s GROUP BY partner_id""",
                context.partner_ids,
                self._company_clause(context, "s"),
                context.date_from,
                context.date_to,
                SQL(value),
                SQL(measured),
            )
        )

    def _provide_tenant_adoption_rate(self, metric, context):
        return self._health_latest(
            f"100.0 * COUNT(*) FILTER (WHERE adoption_score >= {ADOPTION_HEALTHY}) / COUNT(*)",
            "adoption_measured",
            context,
        )

    def _provide_tenant_module_utilisation(self, metric, context):
        return self._health_latest(
            "AVG(LEAST(100.0, 100.0 * installed_apps / GREATEST(expected_apps, 1)))",
            "apps_measured",
            context,
        )

    def _provide_tenant_churn_risk(self, metric, context):
        return self._health_latest(
            "100.0 * COUNT(*) FILTER (WHERE renewal_risk) / COUNT(*)", "score_measured", context
        )
