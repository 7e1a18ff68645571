from odoo import api, models
from odoo.tools import SQL


class PartnerScorecardProvider(models.AbstractModel):
    """Implementation-quality and governance metrics, one grouped query per metric, on the
    projects and gates of the context's company."""

    _inherit = "partner.scorecard.provider"

    @api.model
    def _get_providers(self):
        providers = super()._get_providers()
        providers.update(
            impl_on_time_go_live=self.env._("Governance: on-time go-live rate (%)"),
            impl_budget_adherence=self.env._("Governance: projects within budget (%)"),
            impl_scope_change_ratio=self.env._("Governance: scope changes per project"),
            impl_post_go_live_issues=self.env._(
                "Governance: post-go-live defects per live project"
            ),
            gate_first_pass_rate=self.env._("Governance: gate first-pass rate (%)"),
            gate_governance_compliance=self.env._("Governance: gates passed without waiver (%)"),
        )
        return providers

    # -- implementations that went live in the period --------------------------------------------
    def _projects_live_in_period(self, expression, context, extra=""):
        self.env["project.project"].flush_model()
        return self._fetch_values(
            SQL(
                """SELECT p.channel_partner_id, %s
                     FROM project_project p
                    WHERE p.channel_partner_id = ANY(%s) AND %s
                      AND p.actual_go_live_date >= %s AND p.actual_go_live_date <= %s %s
                 GROUP BY p.channel_partner_id""",
                SQL(expression),
                context.partner_ids,
                self._company_clause(context, "p", shared=True),
                context.date_from,
                context.date_to,
                SQL(extra),
            )
        )

    def _provide_impl_on_time_go_live(self, metric, context):
        return self._projects_live_in_period(
            """100.0 * COUNT(*) FILTER (WHERE p.planned_go_live_date IS NOT NULL
                                         AND p.actual_go_live_date <= p.planned_go_live_date)
               / COUNT(*)""",
            context,
        )

    def _provide_impl_budget_adherence(self, metric, context):
        return self._projects_live_in_period(
            "100.0 * COUNT(*) FILTER (WHERE p.actual_hours <= p.budget_hours) / COUNT(*)",
            context,
            extra="AND p.budget_hours > 0",
        )

    def _provide_impl_scope_change_ratio(self, metric, context):
        return self._projects_live_in_period("AVG(COALESCE(p.scope_change_count, 0))", context)

    def _provide_impl_post_go_live_issues(self, metric, context):
        """Defects raised in the period on the partner's live projects, per live project."""
        start, end = self._datetime_bounds(context.date_from, context.date_to)
        self.env["project.project"].flush_model()
        self.env["project.task"].flush_model()
        return self._fetch_values(
            SQL(
                """SELECT p.channel_partner_id,
                          COUNT(t.id)::float / COUNT(DISTINCT p.id)
                     FROM project_project p
                LEFT JOIN project_task t
                       ON t.project_id = p.id AND t.is_post_go_live_defect
                      AND t.create_date >= %s AND t.create_date < %s
                    WHERE p.channel_partner_id = ANY(%s) AND %s
                      AND p.actual_go_live_date <= %s
                 GROUP BY p.channel_partner_id""",
                start,
                end,
                context.partner_ids,
                self._company_clause(context, "p", shared=True),
                context.date_to,
            )
        )

    # -- gates decided in the period -------------------------------------------------------------
    def _gates_decided_in_period(self, expression, context, states):
        start, end = self._datetime_bounds(context.date_from, context.date_to)
        self.env["governance.gate"].flush_model()
        return self._fetch_values(
            SQL(
                """SELECT g.partner_id, %s
                     FROM governance_gate g
                    WHERE g.partner_id = ANY(%s) AND %s AND g.state = ANY(%s)
                      AND g.decided_on >= %s AND g.decided_on < %s
                 GROUP BY g.partner_id""",
                SQL(expression),
                context.partner_ids,
                self._company_clause(context, "g"),
                list(states),
                start,
                end,
            )
        )

    def _provide_gate_first_pass_rate(self, metric, context):
        return self._gates_decided_in_period(
            "100.0 * COUNT(*) FILTER (WHERE g.state = 'passed' AND g.first_pass) / COUNT(*)",
            context,
            ("passed", "hold", "recycled", "killed"),
        )

    def _provide_gate_governance_compliance(self, metric, context):
        return self._gates_decided_in_period(
            "100.0 * COUNT(*) FILTER (WHERE COALESCE(g.waiver_count, 0) = 0) / COUNT(*)",
            context,
            ("passed",),
        )
