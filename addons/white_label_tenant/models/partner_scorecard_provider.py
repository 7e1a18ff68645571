from odoo import api, models
from odoo.tools import SQL


class PartnerScorecardProvider(models.AbstractModel):
    """Operational metrics of the partners' tenants, one grouped query per metric."""

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

    def _tenant_ratio(self, table, time_column, good, date_from, date_to, partner_ids, where=""):
        start, stop = self._datetime_bounds(date_from, date_to)
        self.env.flush_all()
        return self._fetch_values(
            SQL(
                """SELECT partner_id, 100.0 * COUNT(*) FILTER (WHERE %s) / COUNT(*)
                     FROM %s
                    WHERE partner_id = ANY(%s) AND %s >= %s AND %s < %s %s
                 GROUP BY partner_id""",
                SQL(good),
                SQL.identifier(table),
                partner_ids,
                SQL.identifier(time_column),
                start,
                SQL.identifier(time_column),
                stop,
                SQL(where),
            )
        )

    def _provide_tenant_uptime(self, metric, date_from, date_to, partner_ids):
        return self._tenant_ratio(
            "tenant_uptime_sample", "probed_at", "ok", date_from, date_to, partner_ids
        )

    def _provide_tenant_sla_compliance(self, metric, date_from, date_to, partner_ids):
        return self._tenant_ratio(
            "tenant_incident",
            "opened_at",
            "sla_outcome = 'met'",
            date_from,
            date_to,
            partner_ids,
            where="AND sla_outcome IN ('met', 'breached')",
        )

    def _provide_tenant_backup_success(self, metric, date_from, date_to, partner_ids):
        return self._tenant_ratio(
            "tenant_backup", "started_at", "state = 'done'", date_from, date_to, partner_ids
        )

    def _provide_tenant_restore_pass_rate(self, metric, date_from, date_to, partner_ids):
        return self._tenant_ratio(
            "tenant_restore_test", "started_at", "state = 'passed'", date_from, date_to, partner_ids
        )

    def _provide_tenant_incident_rate(self, metric, date_from, date_to, partner_ids):
        start, stop = self._datetime_bounds(date_from, date_to)
        self.env.flush_all()
        return self._fetch_values(
            SQL(
                """SELECT t.partner_id, COUNT(i.id)::float / COUNT(DISTINCT t.id)
                     FROM tenant_tenant t
                LEFT JOIN tenant_incident i
                       ON i.tenant_id = t.id AND i.opened_at >= %s AND i.opened_at < %s
                    WHERE t.partner_id = ANY(%s) AND t.state IN ('active', 'suspended')
                 GROUP BY t.partner_id""",
                start,
                stop,
                partner_ids,
            )
        )

    def _provide_tenant_mttr(self, metric, date_from, date_to, partner_ids):
        start, stop = self._datetime_bounds(date_from, date_to)
        self.env.flush_all()
        return self._fetch_values(
            SQL(
                """SELECT partner_id, AVG(time_to_resolve_hours)
                     FROM tenant_incident
                    WHERE partner_id = ANY(%s) AND resolved_at >= %s AND resolved_at < %s
                 GROUP BY partner_id""",
                partner_ids,
                start,
                stop,
            )
        )

    def _provide_tenant_provisioning_lead_time(self, metric, date_from, date_to, partner_ids):
        start, stop = self._datetime_bounds(date_from, date_to)
        self.env.flush_all()
        return self._fetch_values(
            SQL(
                """SELECT partner_id, AVG(provisioning_lead_days)
                     FROM tenant_tenant
                    WHERE partner_id = ANY(%s) AND activated_at >= %s AND activated_at < %s
                 GROUP BY partner_id""",
                partner_ids,
                start,
                stop,
            )
        )
