from odoo import api, fields, models

from .governance_gate_template import TIERS

PHASES = [
    ("discovery", "Discovery"),
    ("build", "Build"),
    ("live", "Live (Stabilisation)"),
    ("closed", "Closed"),
]


class ProjectProject(models.Model):
    _name = "project.project"
    _inherit = ["project.project", "governance.gate.mixin"]
    _gate_stage_field = "implementation_phase"
    _gate_guarded_stages = ["build", "live", "closed"]

    implementation_phase = fields.Selection(
        PHASES,
        default="discovery",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand=True,  # the kanban shows every phase, also an empty one
    )
    lead_id = fields.Many2one("crm.lead", string="Opportunity", index="btree_not_null")
    channel_partner_id = fields.Many2one(
        "res.partner",
        string="Implementation Partner",
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    solution_lead_id = fields.Many2one("res.users", string="Solution Lead", tracking=True)
    # taken from the deal when the project is created from it (or linked to it), then the
    # project's own: requalifying the deal later never changes a running project's gates
    complexity_tier = fields.Selection(
        TIERS,
        compute="_compute_complexity_tier",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        string="Complexity Tier",
        help="Selects the gates of the project (a gate template's minimum tier). Copied from the "
        "opportunity when the project is created from it; a later requalification of the "
        "opportunity does not change it: change it here if the scope really changed.",
    )
    lead_complexity_tier = fields.Selection(
        related="lead_id.complexity_tier", string="Opportunity's Tier Now"
    )
    planned_go_live_date = fields.Date(string="Planned Go-Live", tracking=True)
    actual_go_live_date = fields.Date(string="Actual Go-Live", tracking=True, copy=False)
    scope_change_count = fields.Integer(string="Scope Changes", tracking=True, copy=False)
    budget_hours = fields.Float(string="Budget (Hours)", tracking=True)
    actual_hours = fields.Float(string="Actual Hours", tracking=True, copy=False)
    blocking_task_count = fields.Integer(compute="_compute_blocking_task_count")

    @api.depends("lead_id")
    def _compute_complexity_tier(self):
        for project in self:
            if project.lead_id:
                project.complexity_tier = project.lead_id.complexity_tier
            elif not project.complexity_tier:
                project.complexity_tier = False

    def _compute_blocking_task_count(self):
        counts = dict(
            self.env["project.task"]._read_group(
                [*self._blocking_task_domain(), ("project_id", "in", self.ids)],
                ["project_id"],
                ["__count"],
            )
        )
        for project in self:
            project.blocking_task_count = counts.get(project, 0)

    @api.model
    def _blocking_task_domain(self):
        return [("is_gate_blocker", "=", True), ("state", "not in", ("1_done", "1_canceled"))]

    def write(self, vals):
        result = super().write(vals)
        if "complexity_tier" in vals:
            # a higher tier may require gates the next stage did not have yet (open them); the
            # open gates of a lower tier stay, for the record
            self._gate_prepare_next()
        if vals.get("implementation_phase") == "live":
            self.filtered(lambda p: not p.actual_go_live_date).write(
                {"actual_go_live_date": fields.Date.context_today(self)}
            )
        return result

    # ------------------------------------------------------------------ gate hooks

    def _gate_complexity_tier(self):
        self.ensure_one()
        return int(self.complexity_tier) if self.complexity_tier else False

    def _gate_partner(self):
        return self.channel_partner_id.commercial_partner_id

    def _gate_python_checks(self):
        checks = super()._gate_python_checks()
        checks.update(
            no_blocking_issues=self.env._("No open blocking issue"),
            planned_go_live=self.env._("Planned go-live date set"),
            solution_lead=self.env._("Solution lead assigned"),
            budget_respected=self.env._("Actual hours within the budget"),
        )
        return checks

    def _gate_check_no_blocking_issues(self):
        self.ensure_one()
        return not self.env["project.task"].search_count(
            [*self._blocking_task_domain(), ("project_id", "=", self.id)], limit=1
        )

    def _gate_batch_check_no_blocking_issues(self):
        blocked = {
            project.id
            for [project] in self.env["project.task"]._read_group(
                [*self._blocking_task_domain(), ("project_id", "in", self.ids)], ["project_id"]
            )
        }
        return set(self.ids) - blocked

    def _gate_check_planned_go_live(self):
        self.ensure_one()
        return bool(self.planned_go_live_date)

    def _gate_check_solution_lead(self):
        self.ensure_one()
        return bool(self.solution_lead_id)

    def _gate_check_budget_respected(self):
        self.ensure_one()
        return bool(self.budget_hours) and self.actual_hours <= self.budget_hours
