import logging
from collections import defaultdict

from markupsafe import Markup
from psycopg2.extras import execute_values

from odoo import api, fields, models

from ..core.sla_clock import evaluate_clock, pause_credit
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
    "sla_next_check_at",
)

# Written in bulk by the clock refresh, in the order of the VALUES template of _sla_write.
SLA_COLUMNS_WRITTEN = (
    "response_status",
    "response_warning_level",
    "response_deadline",
    "resolution_status",
    "resolution_warning_level",
    "resolution_deadline",
    "sla_outcome",
    "sla_next_check_at",
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
    sla_next_check_at = fields.Datetime(
        readonly=True,
        copy=False,
        index=True,
        help="Earliest instant at which a running clock reaches its next warning level or its "
        "breach; the scan only looks at incidents that are due. Empty: nothing can change by "
        "the passing of time alone (clocks stopped, breached or paused).",
    )
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
    def _sla_evaluate(self, row, schedule, thresholds, now):
        """New SLA values of one incident row (a dict of ``SLA_COLUMNS``), from the pure core:
        statuses, levels and deadlines from the clocks' instants, and the first instant at
        which one of them changes by time alone."""
        vals = {}
        next_checks = []
        clocks = (
            ("response", row["acknowledged_at"], 0.0, None),
            (
                "resolution",
                row["resolved_at"],
                row["paused_seconds"] or 0.0,
                row["pause_started_at"],
            ),
        )
        for clock, stop, paused, pause in clocks:
            target = (row[f"{clock}_target_hours"] or 0.0) * 3600.0
            if not target:
                vals.update(
                    {
                        f"{clock}_status": "none",
                        f"{clock}_warning_level": 0,
                        f"{clock}_deadline": None,
                    }
                )
                continue
            state = evaluate_clock(
                schedule,
                row["opened_at"],
                target,
                thresholds,
                now,
                stopped_at=stop,
                paused_seconds=paused,
                pause_started=pause,
            )
            vals.update(
                {
                    f"{clock}_status": state.status,
                    f"{clock}_warning_level": state.level,
                    f"{clock}_deadline": state.deadline,
                }
            )
            if state.next_check:
                next_checks.append(state.next_check)
        vals["sla_next_check_at"] = min(next_checks) if next_checks else None
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

    def _sla_refresh(self, now, notify=True, schedules=None):
        """Recompute the clocks of these incidents; write and notify only what changed.

        Schedules are built once per policy version (i.e. per calendar) and shared by the batch:
        ``schedules`` may be passed in to share them across batches of a scan.
        """
        schedules = {} if schedules is None else schedules
        Version = self.env["tenant.sla.policy.version"].sudo()
        rows = [row for row in self._sla_rows() if row["sla_version_id"]]
        changes = {}
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
            vals = self._sla_evaluate(row, schedule, thresholds, now)
            changed = {key: value for key, value in vals.items() if row[key] != value}
            if not changed:
                continue
            changes[row["id"]] = vals
            if notify:
                for clock in ("response", "resolution"):
                    new_status = vals[f"{clock}_status"]
                    if new_status == "breached" and row[f"{clock}_status"] != "breached":
                        escalations.append((row["id"], clock, "breach", 0))
                    elif new_status in ("warning", "running", "paused"):
                        # each threshold passed since the last look, even several at once
                        old_level = row[f"{clock}_warning_level"] or 0
                        escalations.extend(
                            (row["id"], clock, "warning", level)
                            for level in range(old_level + 1, vals[f"{clock}_warning_level"] + 1)
                        )
        self._sla_write(changes)
        if escalations:
            self.browse([e[0] for e in escalations]).sudo()._sla_escalate(escalations, schedules)
        return len(rows)

    def _sla_write(self, changes):
        """Write the clock columns of many incidents in one UPDATE: each row has its own
        deadlines, so the ORM would issue one query per incident. These columns are plain
        stored values that nothing depends on and that are not tracked."""
        if not changes:
            return
        columns = SLA_COLUMNS_WRITTEN
        execute_values(
            self.env.cr._obj,
            f"""UPDATE tenant_incident AS t
                   SET {", ".join(f"{c} = v.{c}" for c in columns)},
                       write_date = now() AT TIME ZONE 'UTC', write_uid = {int(self.env.uid)}
                  FROM (VALUES %s) AS v(id, {", ".join(columns)})
                 WHERE t.id = v.id""",
            [(incident_id, *(vals[c] for c in columns)) for incident_id, vals in changes.items()],
            template="(%s, %s, %s::int, %s::timestamp, %s, %s::int, %s::timestamp, %s, "
            "%s::timestamp)",
            page_size=1000,
        )
        self.browse(list(changes)).invalidate_recordset([*columns, "write_date", "write_uid"])

    def _sla_escalate(self, escalations, schedules):
        """Tell the responsible of each new warning level or breach: one activity per event
        (created in one batch, without one e-mail each) and one digest e-mail per user."""
        by_id = {incident.id: incident for incident in self}
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id(self._name)
        clocks = {"response": self.env._("first response"), "resolution": self.env._("resolution")}
        today = fields.Date.context_today(self)
        activities, digests = [], defaultdict(list)
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
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": incident.id,
                        "activity_type_id": todo.id,
                        "summary": summary,
                        "user_id": user.id,
                        "date_deadline": today,
                    }
                )
            if user:
                digests[user].append(summary)
        if activities:
            self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
                activities
            )
        mails = [
            {
                "subject": self.env._("SLA escalations: %(n)s incident clock(s)", n=len(lines)),
                "body_html": Markup("<ul>%s</ul>")
                % Markup().join(Markup("<li>%s</li>") % line for line in lines),
                "email_to": user.email_formatted,
                "auto_delete": True,
            }
            for user, lines in digests.items()
            if user.email
        ]
        if mails:
            self.env["mail.mail"].sudo().create(mails)

    @api.model
    def _cron_sla_scan(self, now=None, batch_size=5000):
        """Move the open clocks that are due (``sla_next_check_at``), in batches locked with
        SKIP LOCKED: safe on several workers and safe to run twice (levels are stored; only
        increases notify)."""
        now = now or fields.Datetime.now()
        cr = self.env.cr
        cr.execute(
            """SELECT count(*) FROM tenant_incident
                WHERE is_open AND sla_version_id IS NOT NULL AND sla_next_check_at <= %s""",
            [now],
        )
        remaining = cr.fetchone()[0]
        done, last_id, schedules = 0, 0, {}
        while True:
            cr.execute(
                """SELECT id FROM tenant_incident
                    WHERE is_open AND sla_version_id IS NOT NULL AND sla_next_check_at <= %s
                      AND id > %s
                 ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                [now, last_id, batch_size],
            )
            ids = [row[0] for row in cr.fetchall()]
            if not ids:
                break
            batch = self.browse(ids)
            try:
                with cr.savepoint():
                    batch._sla_refresh(now, schedules=schedules)
            except Exception:
                _logger.exception("SLA scan failed on a batch; retrying incident by incident")
                for incident in batch:
                    try:
                        with cr.savepoint():
                            incident._sla_refresh(now, schedules=schedules)
                    except Exception as exc:
                        incident._write_clock({"sla_error": str(exc)[:250]})
            done += len(ids)
            remaining = max(remaining - len(ids), 0)
            last_id = ids[-1]
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            self.env.invalidate_all()
        return done
