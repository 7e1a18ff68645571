import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup
from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.tools import SQL

from ..core.sla_clock import evaluate_clock

_logger = logging.getLogger(__name__)

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
    """The SLA engine of incidents: clocks evaluated by the pure core, written in bulk, escalated
    in batches, and the scan that moves the clocks that are due."""

    _inherit = "tenant.incident"

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
    def _cron_sla_scan(self, now=None, batch_size=2000, slice_index=0):
        """Move the open clocks that are due (``sla_next_check_at``): one batch of at most
        ``batch_size`` incidents per call, locked with SKIP LOCKED, so that a call stays short
        and its transaction small whatever the backlog (after an outage, the catch-up is spread
        over calls: the cron calls again at once while progress reports work remaining). Safe on
        several workers and safe to run twice (levels are stored; only increases notify).
        Call ``slice_index`` takes the incidents of its parallel slice only (``ir.cron``
        ``_channel_slice_sql``). Returns the number of incidents evaluated by this call."""
        now = now or fields.Datetime.now()
        cr = self.env.cr
        due = SQL(
            "FROM tenant_incident WHERE is_open AND sla_version_id IS NOT NULL"
            " AND sla_next_check_at <= %s AND %s",
            now,
            self.env["ir.cron"]._channel_slice_sql(
                SQL.identifier("tenant_incident", "id"), slice_index
            ),
        )
        cr.execute(SQL("SELECT id %s ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED", due, batch_size))
        ids = [row[0] for row in cr.fetchall()]
        batch = self.browse(ids)
        try:
            with cr.savepoint():
                batch._sla_refresh(now)
        except Exception:
            _logger.exception("SLA scan failed on a batch; retrying incident by incident")
            for incident in batch:
                try:
                    with cr.savepoint():
                        incident._sla_refresh(now)
                except Exception as exc:
                    # looked at again in a quarter of an hour, not by the next call at once:
                    # an incident that keeps failing never holds the scan in a loop
                    incident._write_clock(
                        {
                            "sla_error": str(exc)[:250],
                            "sla_next_check_at": now + timedelta(minutes=15),
                        }
                    )
        self.env.invalidate_all()
        # what is still due (incidents another worker holds count: they are not done yet)
        cr.execute(SQL("SELECT count(*) %s", due))
        remaining = cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=len(ids), remaining=remaining)
        return len(ids)
