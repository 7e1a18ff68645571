from odoo import api, fields, models

from ..core.sla_clock import pause_credit
from .tenant_sla_target import PRIORITIES

OPEN_STATES = ("new", "acknowledged", "in_progress", "waiting_customer")
RESPONDED_STATES = ("acknowledged", "in_progress", "waiting_customer", "resolved", "closed")
DONE_STATES = ("resolved", "closed")
CLOCK_STATUSES = [
    ("none", "No SLA"),
    ("running", "Running"),
    ("paused", "Paused"),
    ("warning", "Warning"),
    ("breached", "Breached"),
    ("met", "Met"),
]


class TenantIncident(models.Model):
    """A service ticket of a tenant, with first-response and resolution clocks."""

    _name = "tenant.incident"
    _description = "Tenant Incident"
    _inherit = ["channel.workflow.guard", "portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "opened_at desc, id desc"
    # the lifecycle and the SLA clocks change only through the actions and the SLA engine
    # (channel.workflow.guard, every caller): a breach is never cleared, nor a clock stopped, by hand
    _workflow_fields = (
        "state",
        "is_open",
        "acknowledged_at",
        "resolved_at",
        "time_to_resolve_hours",
        "sla_version_id",
        "response_target_hours",
        "resolution_target_hours",
        "response_deadline",
        "resolution_deadline",
        "response_status",
        "resolution_status",
        "response_warning_level",
        "resolution_warning_level",
        "sla_outcome",
        "paused_seconds",
        "pause_started_at",
        "sla_next_check_at",
        "sla_error",
    )
    # given when the incident is recorded (a call taken earlier, a probe), fixed afterwards: the
    # clocks run from the opening
    _workflow_frozen_fields = ("opened_at", "source")
    _workflow_actions = {
        "state": "Acknowledge, Start, Wait on Customer, Resolve, Close or Reopen",
        "is_open": "Resolve, Close or Reopen",
        "acknowledged_at": "Acknowledge",
        "resolved_at": "Resolve",
        "paused_seconds": "Wait on Customer",
        "pause_started_at": "Wait on Customer",
    }

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    subject = fields.Char(required=True, tracking=True)
    description = fields.Text()
    # cascade for the uninstall; users are stopped by the tenant's guard
    tenant_id = fields.Many2one(
        "tenant.tenant", required=True, index=True, tracking=True, ondelete="cascade"
    )
    environment_id = fields.Many2one(
        "tenant.environment", index=True, domain="[('tenant_id', '=', tenant_id)]"
    )
    partner_id = fields.Many2one(
        related="tenant_id.partner_id", store=True, index=True, string="Channel Partner"
    )
    company_id = fields.Many2one(related="tenant_id.company_id", store=True, index=True)
    priority = fields.Selection(PRIORITIES, required=True, default="3", tracking=True)
    state = fields.Selection(
        [
            ("new", "New"),
            ("acknowledged", "Acknowledged"),
            ("in_progress", "In Progress"),
            ("waiting_customer", "Waiting on Customer"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
        ],
        required=True,
        default="new",
        index=True,
        tracking=True,
        copy=False,
    )
    is_open = fields.Boolean(string="Open", compute="_compute_is_open", store=True, index=True)
    source = fields.Selection(
        [("manual", "Manual"), ("portal", "Portal"), ("probe", "Health Probe")],
        required=True,
        default="manual",
    )
    user_id = fields.Many2one("res.users", string="Responsible", tracking=True, index=True)
    opened_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True, copy=False)
    acknowledged_at = fields.Datetime(copy=False)
    resolved_at = fields.Datetime(copy=False, index=True)
    root_cause = fields.Text()
    time_to_resolve_hours = fields.Float(
        string="Time to Restore (h)", compute="_compute_time_to_resolve", store=True
    )
    # SLA: the version in force at opening, and its targets frozen on the incident
    sla_version_id = fields.Many2one(
        "tenant.sla.policy.version", string="SLA Version", readonly=True, index=True, copy=False
    )
    response_target_hours = fields.Float(string="Response Target (h)", readonly=True, copy=False)
    resolution_target_hours = fields.Float(
        string="Resolution Target (h)", readonly=True, copy=False
    )
    response_deadline = fields.Datetime(readonly=True, copy=False)
    resolution_deadline = fields.Datetime(readonly=True, copy=False)
    response_status = fields.Selection(
        CLOCK_STATUSES, default="none", required=True, readonly=True, copy=False
    )
    resolution_status = fields.Selection(
        CLOCK_STATUSES, default="none", required=True, readonly=True, copy=False
    )
    response_warning_level = fields.Integer(
        string="Response Warnings Sent",
        readonly=True,
        copy=False,
        help="How many of the SLA's warning thresholds of the response clock were notified.",
    )
    resolution_warning_level = fields.Integer(
        string="Resolution Warnings Sent",
        readonly=True,
        copy=False,
        help="How many of the SLA's warning thresholds of the resolution clock were notified.",
    )
    sla_outcome = fields.Selection(
        [("none", "No SLA"), ("pending", "Pending"), ("met", "Met"), ("breached", "Breached")],
        string="SLA Result",
        default="none",
        required=True,
        readonly=True,
        index=True,
        copy=False,
    )
    paused_seconds = fields.Float(
        string="Waiting on Customer (business seconds)",
        readonly=True,
        copy=False,
        help="Time waiting on the customer.",
    )
    paused_hours = fields.Float(
        string="Waiting on Customer (business hours)",
        compute="_compute_paused_hours",
        help="Business time spent waiting on the customer: the resolution clock stops for it.",
    )
    pause_started_at = fields.Datetime(readonly=True, copy=False)
    sla_next_check_at = fields.Datetime(
        string="Next SLA Check",
        readonly=True,
        copy=False,
        index=True,
        help="Earliest instant at which a running clock reaches its next warning level or its "
        "breach; the scan only looks at incidents that are due. Empty: nothing can change by "
        "the passing of time alone (clocks stopped, breached or paused).",
    )
    sla_error = fields.Char(string="SLA Error", readonly=True, copy=False)

    @api.depends("state")
    def _compute_is_open(self):
        for incident in self:
            incident.is_open = incident.state in OPEN_STATES

    @api.depends("paused_seconds")
    def _compute_paused_hours(self):
        for incident in self:
            incident.paused_hours = incident.paused_seconds / 3600.0

    @api.depends("opened_at", "resolved_at")
    def _compute_time_to_resolve(self):
        for incident in self:
            if incident.resolved_at and incident.opened_at:
                delta = incident.resolved_at - incident.opened_at
                incident.time_to_resolve_hours = delta.total_seconds() / 3600.0
            else:
                incident.time_to_resolve_hours = 0.0

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for incident in self:
            incident.access_url = f"/my/incidents/{incident.id}"
        return result

    # --- lifecycle ------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("tenant.incident") or "/"
        incidents = super().create(vals_list)
        for incident in incidents.filtered(lambda i: not i.user_id):
            incident.user_id = incident.tenant_id.user_id
        incidents._assign_sla()
        incidents._sla_refresh(fields.Datetime.now(), notify=False)
        return incidents

    def _assign_sla(self):
        """Freeze the policy version in force at opening and its targets for the priority."""
        for incident in self:
            policy = incident.tenant_id.sudo().sla_policy_id
            version = incident.sla_version_id
            if not version and policy:
                version = policy._version_at(incident.opened_at)
            priority = incident.priority
            target = version.target_ids.filtered(lambda t, p=priority: t.priority == p)[:1]
            incident.sudo()._write_clock(
                {
                    "sla_version_id": version.id if version else False,
                    "response_target_hours": target.response_hours if target else 0.0,
                    "resolution_target_hours": target.resolution_hours if target else 0.0,
                }
            )

    def _write_clock(self, vals):
        """Write clock bookkeeping (workflow fields: through the guard's bypass) without
        re-triggering the state and priority handling."""
        return self.with_context(tenant_incident_clock_write=True)._workflow_write(vals)

    def write(self, vals):
        # the context key alone is no way round the state handling: a client can send it
        if self.env.context.get("tenant_incident_clock_write") and self._workflow_bypassed():
            return super().write(vals)
        old_states = {incident.id: incident.state for incident in self}
        result = super().write(vals)
        if "state" in vals or "priority" in vals:
            now = fields.Datetime.now()
            if "state" in vals:
                self._apply_state_times(old_states, now)
            if "priority" in vals:
                self._assign_sla()
            self._sla_refresh(now)
        return result

    def _apply_state_times(self, old_states, now):
        """Stamp response/resolution times and open or close the customer-wait pause."""
        for incident in self:
            old, new = old_states[incident.id], incident.state
            vals = {}
            if new in RESPONDED_STATES and not incident.acknowledged_at:
                vals["acknowledged_at"] = now
            if new in DONE_STATES and not incident.resolved_at:
                vals["resolved_at"] = now
            if new in OPEN_STATES and old in DONE_STATES:
                vals["resolved_at"] = False
            if (
                old == "waiting_customer"
                and new != "waiting_customer"
                and incident.pause_started_at
            ):
                paused = 0.0
                if incident.sla_version_id and incident.resolution_target_hours:
                    schedule = incident.sla_version_id._get_schedule(incident.opened_at, None)
                    paused = pause_credit(
                        schedule,
                        incident.opened_at,
                        incident.resolution_target_hours * 3600.0,
                        incident.paused_seconds,
                        incident.pause_started_at,
                        now,
                    )
                vals["paused_seconds"] = incident.paused_seconds + paused
                vals["pause_started_at"] = False
            if new == "waiting_customer" and old != "waiting_customer":
                vals["pause_started_at"] = now
            if vals:
                incident._write_clock(vals)

    def action_acknowledge(self):
        self.filtered(lambda i: i.state == "new")._workflow_write({"state": "acknowledged"})
        return True

    def action_start(self):
        self.filtered(
            lambda i: i.state in ("new", "acknowledged", "waiting_customer")
        )._workflow_write({"state": "in_progress"})
        return True

    def action_wait_customer(self):
        self.filtered(lambda i: i.state in OPEN_STATES)._workflow_write(
            {"state": "waiting_customer"}
        )
        return True

    def action_resolve(self):
        self.filtered(lambda i: i.state in OPEN_STATES)._workflow_write({"state": "resolved"})
        return True

    def action_close(self):
        self._workflow_write({"state": "closed"})
        return True

    def action_reopen(self):
        self.filtered(lambda i: i.state in DONE_STATES)._workflow_write({"state": "in_progress"})
        return True
