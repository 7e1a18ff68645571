import logging
from collections import defaultdict

from psycopg2.extras import execute_values

from odoo import api, fields, models

from ..core.escalation import Level, due_levels, next_due_at

_logger = logging.getLogger(__name__)

# Set by the escalation scan only (guarded like the incident's other workflow fields)
ESCALATION_FIELDS = ("escalation_level", "escalation_next_at", "escalation_done")


class TenantIncident(models.Model):
    """Escalation chains: each level of the incident's SLA version notified once while it stays
    open, at the business-time instant core.escalation computes."""

    _inherit = "tenant.incident"
    # added to the incident's workflow fields (channel.workflow.guard gathers every extension's)
    _workflow_fields = ESCALATION_FIELDS

    escalation_ids = fields.One2many(
        "tenant.incident.escalation", "incident_id", string="Escalations", readonly=True
    )
    escalation_level = fields.Integer(
        string="Escalation Level",
        readonly=True,
        copy=False,
        index=True,
        help="How many levels of the escalation chain were notified.",
    )
    escalation_next_at = fields.Datetime(
        string="Next Escalation",
        readonly=True,
        copy=False,
        index=True,
        help="When the next level of the chain comes due (business time since opening).",
    )
    escalation_done = fields.Boolean(
        readonly=True,
        copy=False,
        help="Every level of the chain was notified, or the SLA version has no chain.",
    )

    # --- the scan ---------------------------------------------------------------------------
    @api.model
    def _escalation_due_where(self):
        return (
            "is_open AND sla_version_id IS NOT NULL AND escalation_done IS NOT TRUE "
            "AND (escalation_next_at IS NULL OR escalation_next_at <= %s)"
        )

    @api.model
    def _cron_escalation_scan(self, now=None, batch_size=500):
        """Notify the escalation levels that are due, in batches locked with SKIP LOCKED (several
        workers take different incidents); a level is recorded with ON CONFLICT DO NOTHING, so a
        second run, or a second worker, never notifies it again. Returns the incidents looked at."""
        now = now or fields.Datetime.now()
        cr = self.env.cr
        self.flush_model()
        where = self._escalation_due_where()
        cr.execute(f"SELECT count(*) FROM tenant_incident WHERE {where}", [now])
        remaining = cr.fetchone()[0]
        done, last_id, schedules = 0, 0, {}
        while True:
            cr.execute(
                f"SELECT id FROM tenant_incident WHERE {where} AND id > %s "
                "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                [now, last_id, batch_size],
            )
            ids = [row[0] for row in cr.fetchall()]
            if not ids:
                break
            batch = self.sudo().browse(ids)
            try:
                with cr.savepoint():
                    batch._escalate(now, schedules)
            except Exception:
                _logger.exception("Escalation scan failed on a batch; retrying one by one")
                for incident in batch:
                    try:
                        with cr.savepoint():
                            incident._escalate(now, schedules)
                    except Exception:
                        _logger.exception("Escalation of %s failed", incident.display_name)
            done += len(ids)
            remaining = max(remaining - len(ids), 0)
            last_id = ids[-1]
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

    def _escalate(self, now, schedules=None):
        """Record and notify the levels due at ``now`` of these incidents, and plan the next."""
        schedules = {} if schedules is None else schedules
        levels = (
            self.env["tenant.escalation.level"]
            .sudo()
            .search([("version_id", "in", self.sla_version_id.ids)])
        )
        by_version = defaultdict(list)
        for level in levels:
            by_version[level.version_id.id].append(level)
        notified = defaultdict(set)
        for row in (
            self.env["tenant.incident.escalation"]
            .sudo()
            .search_read([("incident_id", "in", self.ids)], ["incident_id", "level_id"])
        ):
            notified[row["incident_id"][0]].add(row["level_id"][0])
        rows, plans = [], {}
        for incident in self:
            version = incident.sla_version_id
            chain = by_version.get(version.id)
            if not chain:
                plans[incident.id] = (True, None, len(notified[incident.id]))
                continue
            if version.id not in schedules:
                schedules[version.id] = version._get_schedule(None, None)
            schedule = schedules[version.id]
            core_levels = [Level(lv.id, lv.sequence, lv.after_minutes) for lv in chain]
            seen = notified[incident.id]
            for due in due_levels(schedule, incident.opened_at, core_levels, now, seen):
                level = levels.browse(due.level.key)
                user, partner = incident._escalation_recipient(level)
                rows.append(
                    (
                        incident.id,
                        level.id,
                        level.sequence,
                        level.recipient_kind,
                        user.id or None,
                        partner.id or None,
                        due.instant,
                        now,
                        not partner,
                    )
                )
                seen = seen | {level.id}
            upcoming = next_due_at(schedule, incident.opened_at, core_levels, now, seen)
            plans[incident.id] = (upcoming is None, upcoming, len(seen))
        created = self._escalation_insert(rows, now)
        self._escalation_write(plans)
        if created:
            created._notify_escalation()
        return created

    def _escalation_write(self, plans):
        """Store ``{id: (done, next at, level)}`` of many incidents in one UPDATE: each has its
        own next instant, which the ORM would write one by one. Plain values nothing depends on
        and that are not tracked."""
        if not plans:
            return
        self.flush_model(list(ESCALATION_FIELDS))
        execute_values(
            self.env.cr._obj,
            f"""UPDATE tenant_incident AS t
                   SET escalation_done = v.done, escalation_next_at = v.next_at,
                       escalation_level = v.level,
                       write_date = now() AT TIME ZONE 'UTC', write_uid = {int(self.env.uid)}
                  FROM (VALUES %s) AS v(id, done, next_at, level)
                 WHERE t.id = v.id""",
            [(incident_id, *plan) for incident_id, plan in plans.items()],
            template="(%s, %s::bool, %s::timestamp, %s::int)",
            page_size=1000,
        )
        self.browse(list(plans)).invalidate_recordset(
            [*ESCALATION_FIELDS, "write_date", "write_uid"]
        )

    def _escalation_recipient(self, level):
        """(user, partner) a level reaches for this incident; empty when nobody is set."""
        self.ensure_one()
        policy = self.sla_version_id.policy_id
        user = self.env["res.users"]
        if level.recipient_kind == "responsible":
            user = self.user_id or self.tenant_id.user_id
        elif level.recipient_kind == "team_lead":
            user = policy.escalation_team_lead_id
        elif level.recipient_kind == "duty_manager":
            user = policy.escalation_duty_manager_id
        elif level.recipient_kind == "partner_contact":
            return user, self.tenant_id.partner_id
        return user, user.partner_id

    def _escalation_insert(self, rows, now):
        """Insert the escalation records; those another run inserted already are skipped by the
        unique constraint and not returned (so not notified again)."""
        if not rows:
            return self.env["tenant.incident.escalation"]
        self.env["tenant.incident.escalation"].flush_model()
        self.flush_model(["tenant_id", "company_id"])  # read by the INSERT's join
        uid = int(self.env.uid)
        inserted = execute_values(
            self.env.cr._obj,
            f"""INSERT INTO tenant_incident_escalation
                    (incident_id, level_id, sequence, recipient_kind, user_id,
                     recipient_partner_id, due_at, notified_at, missing_recipient, tenant_id,
                     company_id, create_uid, create_date, write_uid, write_date)
                SELECT v.incident_id, v.level_id, v.sequence, v.kind, v.user_id, v.partner_id,
                       v.due_at, v.notified_at, v.missing, i.tenant_id, i.company_id,
                       {uid}, now() AT TIME ZONE 'UTC', {uid}, now() AT TIME ZONE 'UTC'
                  FROM (VALUES %s) AS v(incident_id, level_id, sequence, kind, user_id,
                                        partner_id, due_at, notified_at, missing)
                  JOIN tenant_incident i ON i.id = v.incident_id
                    ON CONFLICT (incident_id, level_id) DO NOTHING
             RETURNING id""",
            rows,
            template="(%s::int, %s::int, %s::int, %s, %s::int, %s::int, %s::timestamp, "
            "%s::timestamp, %s::bool)",
            fetch=True,
        )
        self.invalidate_recordset(["escalation_ids"])
        return self.env["tenant.incident.escalation"].sudo().browse(row[0] for row in inserted)
