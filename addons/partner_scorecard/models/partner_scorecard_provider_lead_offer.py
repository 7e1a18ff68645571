from odoo import api, models
from odoo.tools import SQL


class PartnerScorecardProviderLeadOffer(models.AbstractModel):
    """Scorecard providers measured on the leads offered to partners (crm.lead.offer).

    An offer counts in the period in which it was answered, or expired; a withdrawn one is the
    channel team's decision and does not count. Only the offers of the context's company.
    """

    _inherit = "partner.scorecard.provider"

    @api.model
    def _get_providers(self):
        providers = super()._get_providers()
        providers["lead_offer_acceptance"] = self.env._(
            "Lead distribution: offered leads accepted (%)"
        )
        providers["lead_offer_response_hours"] = self.env._(
            "Lead distribution: median response time (hours)"
        )
        return providers

    def _lead_offer_values(self, expression, states, context):
        start, end = self._datetime_bounds(context.date_from, context.date_to)
        self.env["crm.lead.offer"].flush_model()
        return self._fetch_values(
            SQL(
                """SELECT o.partner_id, %s
                     FROM crm_lead_offer o
                    WHERE o.partner_id = ANY(%s) AND %s AND o.state = ANY(%s)
                      AND COALESCE(o.responded_at, o.deadline) >= %s
                      AND COALESCE(o.responded_at, o.deadline) < %s
                 GROUP BY o.partner_id""",
                SQL(expression),
                context.partner_ids,
                self._company_clause(context, "o"),
                list(states),
                start,
                end,
            )
        )

    def _provide_lead_offer_acceptance(self, metric, context):
        """Accepted offers among those answered or expired in the period (a silence counts as a
        refusal)."""
        return self._lead_offer_values(
            "100.0 * COUNT(*) FILTER (WHERE o.state = 'accepted') / COUNT(*)",
            ("accepted", "declined", "expired"),
            context,
        )

    def _provide_lead_offer_response_hours(self, metric, context):
        """Median hours from offer to answer of the offers answered in the period (an expired
        offer has no answer: it counts in the acceptance rate, not here)."""
        return self._lead_offer_values(
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY o.response_hours)",
            ("accepted", "declined"),
            context,
        )
