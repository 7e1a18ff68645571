from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..core.branding import brand_consistency, brand_items


class PartnerScorecardProvider(models.AbstractModel):
    """Support, security and brand metrics of the partners' tenants: the first response of
    their incidents (which measures partner_scorecard's 'Support first response'), the security
    incidents per live tenant, and how completely their live tenants wear the partner's brand."""

    _inherit = "partner.scorecard.provider"

    @api.model
    def _get_providers(self):
        return {
            **super()._get_providers(),
            "tenant_first_response": self.env._("Tenants: incident first response (hours)"),
            "tenant_security_incident_rate": self.env._(
                "Tenants: security incidents per live tenant"
            ),
            "tenant_brand_consistency": self.env._("Tenants: brand consistency (%)"),
        }

    def _provide_tenant_first_response(self, metric, context):
        """Mean hours from opening to acknowledgement of the incidents acknowledged in the
        period, in the business time of each incident's SLA version (wall-clock time for an
        incident without SLA), as the response clock counts it."""
        start, stop = self._datetime_bounds(context.date_from, context.date_to)
        self.env["tenant.incident"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT partner_id, sla_version_id, opened_at, acknowledged_at
                     FROM tenant_incident
                    WHERE partner_id = ANY(%s) AND %s
                      AND acknowledged_at >= %s AND acknowledged_at < %s""",
                context.partner_ids,
                self._company_clause(context),
                start,
                stop,
            )
        )
        rows = self.env.cr.fetchall()
        versions = self.env["tenant.sla.policy.version"].sudo().browse({r[1] for r in rows if r[1]})
        schedules = {version.id: version._get_schedule(None, None) for version in versions}
        hours = defaultdict(list)
        for partner_id, version_id, opened, acknowledged in rows:
            schedule = schedules.get(version_id)
            seconds = (
                schedule.elapsed(opened, acknowledged)
                if schedule
                else max((acknowledged - opened).total_seconds(), 0.0)
            )
            hours[partner_id].append(seconds / 3600.0)
        return {partner_id: sum(values) / len(values) for partner_id, values in hours.items()}

    def _provide_tenant_security_incident_rate(self, metric, context):
        """Security incidents opened in the period per live tenant of the partner."""
        start, stop = self._datetime_bounds(context.date_from, context.date_to)
        self.env.flush_all()
        return self._fetch_values(
            SQL(
                """SELECT t.partner_id, COUNT(i.id)::float / COUNT(DISTINCT t.id)
                     FROM tenant_tenant t
                LEFT JOIN tenant_incident i
                       ON i.tenant_id = t.id AND i.category = 'security'
                      AND i.opened_at >= %s AND i.opened_at < %s
                    WHERE t.partner_id = ANY(%s) AND %s AND t.state IN ('active', 'suspended')
                 GROUP BY t.partner_id""",
                start,
                stop,
                context.partner_ids,
                self._company_clause(context, "t"),
            )
        )

    def _provide_tenant_brand_consistency(self, metric, context):
        """Mean share of the brand items (logo, own colours, custom domain, support e-mail as
        sender) set on the branding of each live tenant of the partner, today's branding: the
        model keeps no history of it. A live tenant without branding counts as 0 %."""
        tenants = (
            self.env["tenant.tenant"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", context.partner_ids),
                    ("company_id", "=", context.company_id),
                    ("state", "in", ("active", "suspended")),
                ]
            )
        )
        Branding = self.env["tenant.branding"]
        defaults = (
            Branding._fields["primary_color"].default(Branding),
            Branding._fields["secondary_color"].default(Branding),
        )
        brandings = tenants.effective_branding_id.with_context(bin_size=True)
        items = {
            brand.id: brand_items(
                brand.logo,
                brand.primary_color,
                brand.secondary_color,
                brand.custom_domain,
                brand.support_email,
                defaults,
            )
            for brand in brandings
        }
        by_partner = defaultdict(list)
        for tenant in tenants:
            by_partner[tenant.partner_id.id].append(
                items.get(tenant.effective_branding_id.id, set())
            )
        return {
            partner_id: value
            for partner_id, tenant_items in by_partner.items()
            if (value := brand_consistency(tenant_items)) is not None
        }
