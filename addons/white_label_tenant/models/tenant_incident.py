import logging
from collections import defaultdict

from odoo import api, fields, models

from ..core.sla_clock import clock_deadline, clock_elapsed, clock_status
from .tenant_sla_target import PRIORITIES

_logger = logging.getLogger(__name__)

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
# Columns the SLA scan reads in SQL, for one batch of incidents at once.
SLA_COLUMNS = (
    "id",
    "sla_version_id",
    "opened_at",
    "acknowledged_at",
    "resolved_at",
    "paused_seconds",
    "pause_started_at",
    "response_target_hours",
    "resolution_target_hours",
    "response_deadline",
    "resolution_deadline",
    "response_status",
    "resolution_status",
    "response_warning_level",
    "resolution_warning_level",
    "sla_outcome",
)


class TenantIncident(models.Model):
    """A service ticket of a tenant, with first-response and resolution clocks."""

    _name = "tenant.incident"
    _description = "Tenant Incident"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "opened_at desc, id desc"

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    subject = fields.Char(required=True, tracking=True)
    description = fields.Text()
    tenant_id = fields.Many2one("tenant.tenant", required=True, index=True, tracking=True)
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
    is_open = fields.Boolean(compute="_compute_is_open", store=True, index=True)
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
    response_target_hours = fields.Float(string="Response Target (h)", readonly=True)
    resolution_target_hours = fields.Float(string="Resolution Target (h)", readonly=True)
    response_deadline = fields.Datetime(readonly=True, copy=False)
    resolution_deadline = fields.Datetime(readonly=True, copy=False)
    response_status = fields.Selection(
        CLOCK_STATUSES, default="none", required=True, readonly=True, copy=False
    )
    resolution_status = fields.Selection(
        CLOCK_STATUSES, default="none", required=True, readonly=True, copy=False
    )
    response_warning_level = fields.Integer(readonly=True, copy=False)
    resolution_warning_level = fields.Integer(readonly=True, copy=False)
    sla_outcome = fields.Selection(
        [("none", "No SLA"), ("pending", "Pending"), ("met", "Met"), ("breached", "Breached")],
        default="none",
        required=True,
        readonly=True,
        index=True,
        copy=False,
    )
    paused_seconds = fields.Float(
        string="Paused (business s)",
        readonly=True,
        copy=False,
        help="Time waiting on the customer.",
    )
    pause_started_at = fields.Datetime(readonly=True, copy=False)
    sla_error = fields.Char(readonly=True, copy=False)

    @api.depends("state")
    def _compute_is_open(self):
        for incident in self:
            incident.is_open = incident.state in OPEN_STATES

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
        """Write clock bookkeeping without re-triggering the state and priority handling."""
        return self.with_context(tenant_incident_clock_write=True).write(vals)

    def write(self, vals):
        if self.env.context.get("tenant_incident_clock_write"):
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
                if incident.sla_version_id:
                    schedule = incident.sla_version_id._get_schedule(incident.opened_at, None)
                    paused = schedule.elapsed(incident.pause_started_at, now)
                vals["paused_seconds"] = incident.paused_seconds + paused
                vals["pause_started_at"] = False
            if new == "waiting_customer" and old != "waiting_customer":
                vals["pause_started_at"] = now
            if vals:
                incident._write_clock(vals)

    def action_acknowledge(self):
        self.filtered(lambda i: i.state == "new").write({"state": "acknowledged"})
        return True

    def action_start(self):
        self.filtered(lambda i: i.state in ("new", "acknowledged", "waiting_customer")).write(
            {"state": "in_progress"}
        )
        return True

    def action_wait_customer(self):
        self.filtered(lambda i: i.state in OPEN_STATES).write({"state": "waiting_customer"})
        return True

    def action_resolve(self):
        self.filtered(lambda i: i.state in OPEN_STATES).write({"state": "resolved"})
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_reopen(self):
        self.filtered(lambda i: i.state in DONE_STATES).write({"state": "in_progress"})
        return True

    # --- SLA clocks -----------------------------------------------------------------------
    @api.model
    def _sla_evaluate(self, row, schedule, thresholds, now, deadlines=True):
        """New SLA values of one incident row (a dict of ``SLA_COLUMNS``), from the pure core.

        With ``deadlines=False`` (the periodic scan) stored deadlines are kept unless a pause
        is running: they only move when targets or pauses change, which recompute them.
        """
        opened = row["opened_at"]
        vals = {}
        response_target = (row["response_target_hours"] or 0.0) * 3600.0
        if response_target:
            stop = row["acknowledged_at"]
            elapsed = schedule.elapsed(opened, min(stop or now, now))
            status, level = clock_status(elapsed, response_target, thresholds, stopped=bool(stop))
            deadline = row["response_deadline"]
            if deadlines or not deadline:
                deadline = schedule.add(opened, response_target)
            vals.update(
                response_status=status, response_warning_level=level, response_deadline=deadline
            )
        else:
            vals.update(response_status="none", response_warning_level=0, response_deadline=None)
        resolution_target = (row["resolution_target_hours"] or 0.0) * 3600.0
        if resolution_target:
            stop = row["resolved_at"]
            pause = None if stop else row["pause_started_at"]
            end = min(stop or now, now)
            elapsed = clock_elapsed(schedule, opened, end, row["paused_seconds"] or 0.0, pause)
            status, level = clock_status(elapsed, resolution_target, thresholds, stopped=bool(stop))
            paused = (row["paused_seconds"] or 0.0) + (
                schedule.elapsed(pause, now) if pause else 0.0
            )
            if pause and status in ("running", "warning"):
                status = "paused"
            deadline = row["resolution_deadline"]
            if deadlines or pause or not deadline:
                deadline = clock_deadline(schedule, opened, resolution_target, paused)
            vals.update(
                resolution_status=status,
                resolution_warning_level=level,
                resolution_deadline=deadline,
            )
        else:
            vals.update(
                resolution_status="none", resolution_warning_level=0, resolution_deadline=None
            )
        statuses = {vals["response_status"], vals["resolution_status"]} - {"none"}
        if not statuses:
            vals["sla_outcome"] = "none"
        elif "breached" in statuses:
            vals["sla_outcome"] = "breached"
        elif statuses == {"met"}:
            vals["sla_outcome"] = "met"
        else:
            vals["sla_outcome"] = "pending"
        return vals

    def _sla_rows(self):
        if not self.ids:
            return []
        self.flush_model(list(SLA_COLUMNS[1:]))
        self.env.cr.execute(
            f"SELECT {', '.join(SLA_COLUMNS)} FROM tenant_incident WHERE id IN %s",
            [tuple(self.ids)],
        )
        return self.env.cr.dictfetchall()

    def _sla_refresh(self, now, notify=True, schedules=None, deadlines=True):
        """Recompute the clocks of these incidents; write and notify only what changed.

        Schedules are built once per policy version (i.e. per calendar) and shared by the batch:
        ``schedules`` may be passed in to share them across batches of a scan.
        """
        schedules = {} if schedules is None else schedules
        Version = self.env["tenant.sla.policy.version"].sudo()
        rows = [row for row in self._sla_rows() if row["sla_version_id"]]
        changes = defaultdict(list)
        escalations = []
        for row in rows:
            version_id = row["sla_version_id"]
            if version_id not in schedules:
                version = Version.browse(version_id)
                schedules[version_id] = (
                    version._get_schedule(None, None),
                    version._get_thresholds(),
                )
            schedule, thresholds = schedules[version_id]
            vals = self._sla_evaluate(row, schedule, thresholds, now, deadlines=deadlines)
            changed = {key: value for key, value in vals.items() if row[key] != value}
            if not changed:
                continue
            changes[tuple(sorted(changed.items()))].append(row["id"])
            if notify:
                for clock in ("response", "resolution"):
                    new_status = vals[f"{clock}_status"]
                    if new_status == "breached" and row[f"{clock}_status"] != "breached":
                        escalations.append((row["id"], clock, "breach", 0))
                    elif new_status in ("warning", "running", "paused") and vals[
                        f"{clock}_warning_level"
                    ] > (row[f"{clock}_warning_level"] or 0):
                        escalations.append(
                            (row["id"], clock, "warning", vals[f"{clock}_warning_level"])
                        )
        for items, ids in changes.items():
            self.browse(ids).sudo()._write_clock(dict(items))
        if escalations:
            self.browse([e[0] for e in escalations]).sudo()._sla_escalate(escalations, schedules)
        return len(rows)

    def _sla_escalate(self, escalations, schedules):
        """Tell the responsible: an activity and an e-mail per new warning level or breach."""
        by_id = {incident.id: incident for incident in self}
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        clocks = {"response": self.env._("first response"), "resolution": self.env._("resolution")}
        for incident_id, clock, kind, level in escalations:
            incident = by_id[incident_id]
            user = incident.user_id or incident.tenant_id.user_id
            if kind == "breach":
                summary = self.env._(
                    "SLA breached: %(clock)s of %(ref)s", clock=clocks[clock], ref=incident.name
                )
            else:
                thresholds = schedules[incident.sla_version_id.id][1]
                summary = self.env._(
                    "SLA warning: %(clock)s of %(ref)s passed %(pct)s%% of its target",
                    clock=clocks[clock],
                    ref=incident.name,
                    pct=round(sorted(thresholds)[level - 1] * 100),
                )
            if user and todo:
                incident.activity_schedule(
                    activity_type_id=todo.id, summary=summary, user_id=user.id
                )
            incident.message_post(
                body=summary,
                partner_ids=user.partner_id.ids if user else [],
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _cron_sla_scan(self, now=None, batch_size=5000):
        """Move every open clock, in batches locked with SKIP LOCKED: safe on several workers
        and safe to run twice (levels are stored; only increases notify)."""
        now = now or fields.Datetime.now()
        cr = self.env.cr
        cr.execute(
            "SELECT count(*) FROM tenant_incident WHERE is_open AND sla_version_id IS NOT NULL"
        )
        remaining = cr.fetchone()[0]
        done, last_id, schedules = 0, 0, {}
        while True:
            cr.execute(
                """SELECT id FROM tenant_incident
                    WHERE is_open AND sla_version_id IS NOT NULL AND id > %s
                 ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                [last_id, batch_size],
            )
            ids = [row[0] for row in cr.fetchall()]
            if not ids:
                break
            batch = self.browse(ids)
            try:
                with cr.savepoint():
                    batch._sla_refresh(now, schedules=schedules, deadlines=False)
            except Exception:
                _logger.exception("SLA scan failed on a batch; retrying incident by incident")
                for incident in batch:
                    try:
                        with cr.savepoint():
                            incident._sla_refresh(now, schedules=schedules, deadlines=False)
                    except Exception as exc:
                        incident._write_clock({"sla_error": str(exc)[:250]})
            done += len(ids)
            remaining = max(remaining - len(ids), 0)
            last_id = ids[-1]
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            self.env.invalidate_all()
        return done
