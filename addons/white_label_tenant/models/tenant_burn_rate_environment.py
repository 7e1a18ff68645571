from datetime import timedelta

from markupsafe import Markup
from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.tools import SQL

from ..core.burn_rate import burn_rate, firing_rules, windows

SLO_FIELDS = ("slo_checked_at", "slo_burn_rate_1h", "slo_alert_rule_id")


class TenantEnvironment(models.Model):
    """Burn-rate alerts on the uptime SLO, and the scheduled watch that runs them (with the
    latency baseline, tenant_latency_environment.py) on bounded batches of environments."""

    _inherit = "tenant.environment"
    # added to the workflow fields (channel.workflow.guard gathers every extension's)
    _workflow_fields = SLO_FIELDS

    slo_checked_at = fields.Datetime(string="SLO Checked On", readonly=True, copy=False)
    slo_burn_rate_1h = fields.Float(
        string="Burn Rate (1 h)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Failed probes of the last hour over the error budget (1 - SLO): 1.0 spends the "
        "budget exactly over the SLO period.",
    )
    slo_alert_rule_id = fields.Many2one(
        "tenant.slo.alert.rule",
        string="Burn-Rate Alert",
        readonly=True,
        copy=False,
        index=True,
        help="The most urgent burn-rate rule firing at the last check (empty: none).",
    )

    # --- the watch --------------------------------------------------------------------------
    @api.model
    def _cron_slo_watch(self, now=None, batch_size=500):
        """Check one batch of running environments not checked in the last four minutes (the
        cron runs every five): burn-rate alerts, then latency. Locked with SKIP LOCKED; the
        check time is the high-water mark, so a second run at once finds nothing to do."""
        now = now or fields.Datetime.now()
        where = SQL(
            "state = 'active' AND (slo_checked_at IS NULL OR slo_checked_at <= %s)",
            now - timedelta(minutes=4),
        )
        batch = self._lock_due(where, batch_size).sudo()
        batch._burn_rate_check(now)
        batch._latency_check(now)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=self._count_due(where))
        return len(batch)

    def _slo_window_counts(self, now, minutes):
        """``{env id: {window: (bad, total)}}`` of the probes in each window ending at ``now``:
        one grouped query for every window and environment."""
        if not self or not minutes:
            return {}
        self.env["tenant.uptime.sample"].flush_model(["environment_id", "probed_at", "ok"])
        starts = [now - timedelta(minutes=m) for m in minutes]
        columns = SQL(", ").join(
            SQL(
                "count(*) FILTER (WHERE probed_at > %s), "
                "count(*) FILTER (WHERE probed_at > %s AND NOT COALESCE(ok, false))",
                start,
                start,
            )
            for start in starts
        )
        self.env.cr.execute(
            SQL(
                "SELECT environment_id, %s FROM tenant_uptime_sample "
                "WHERE environment_id IN %s AND probed_at > %s AND probed_at <= %s "
                "GROUP BY environment_id",
                columns,
                tuple(self.ids),
                min(starts),
                now,
            )
        )
        result = {}
        for row in self.env.cr.fetchall():
            result[row[0]] = {m: (row[2 + 2 * i], row[1 + 2 * i]) for i, m in enumerate(minutes)}
        return result

    def _burn_rate_check(self, now):
        """Evaluate the burn-rate rules on these environments and open or raise one
        availability incident per environment (never a second one while one is open)."""
        rules = self.env["tenant.slo.alert.rule"].sudo().search([])
        counts = self._slo_window_counts(now, windows([r._core_rule() for r in rules]) or [60])
        slo_of_policy, updates, firing = {}, [], {}
        for env in self:
            policy = env.tenant_id.sla_policy_id
            if policy.id not in slo_of_policy:
                version = policy._version_at(now) if policy else None
                slo_of_policy[policy.id] = version.uptime_slo / 100.0 if version else None
            slo = slo_of_policy[policy.id]
            env_counts = counts.get(env.id, {})
            hour = env_counts.get(60, (0, 0))
            rate = burn_rate(hour[0], hour[1], slo) if slo else None
            top = self.env["tenant.slo.alert.rule"]
            if slo:
                company_rules = rules.filtered(
                    lambda r, c=env.company_id: not r.company_id or r.company_id == c
                )
                fired = firing_rules([r._core_rule() for r in company_rules], env_counts, slo)
                if fired:
                    top = rules.browse(fired[0].key)
                    long_bad, long_total = env_counts[fired[0].long_minutes]
                    firing[env] = (top, burn_rate(long_bad, long_total, slo))
            updates.append((env.id, now, rate or 0.0, top.id or None))
        self._write_slo(updates)
        if firing:
            self._burn_rate_incidents(firing, now)

    def _write_slo(self, rows):
        """Store (id, checked at, 1 h burn rate, firing rule) of many environments in one
        UPDATE; plain values nothing depends on and that are not tracked."""
        if not rows:
            return
        self.flush_model(list(SLO_FIELDS))
        execute_values(
            self.env.cr._obj,
            f"""UPDATE tenant_environment AS t
                   SET slo_checked_at = v.checked, slo_burn_rate_1h = v.rate,
                       slo_alert_rule_id = v.rule,
                       write_date = now() AT TIME ZONE 'UTC', write_uid = {int(self.env.uid)}
                  FROM (VALUES %s) AS v(id, checked, rate, rule)
                 WHERE t.id = v.id""",
            rows,
            template="(%s, %s::timestamp, %s::float, %s::int)",
            page_size=1000,
        )
        self.invalidate_recordset([*SLO_FIELDS, "write_date", "write_uid"])

    def _burn_rate_incidents(self, firing, now):
        Incident = self.env["tenant.incident"].sudo()
        envs = self.browse([env.id for env in firing])
        open_incidents = {}
        for incident in Incident.search(
            [
                ("environment_id", "in", envs.ids),
                ("is_open", "=", True),
                "|",
                ("category", "=", "availability"),
                ("source", "in", ("probe", "burn_rate")),
            ],
            order="opened_at desc, id desc",
        ):
            open_incidents.setdefault(incident.environment_id.id, incident)
        to_create = []
        for env, (rule, rate) in firing.items():
            incident = open_incidents.get(env.id)
            if not incident:
                to_create.append(env._burn_rate_incident_vals(rule, rate, now))
                continue
            current = incident.slo_alert_rule_id
            if current and current._urgency() <= rule._urgency():
                continue  # already raised by this rule or a more urgent one: nothing new
            vals = {"slo_alert_rule_id": rule.id, "slo_burn_rate": rate}
            incident._workflow_write(vals)
            if rule.incident_priority < incident.priority:
                incident.write({"priority": rule.incident_priority})
            incident.message_post(
                body=Markup("<p>%s</p>") % env._burn_rate_message(rule, rate),
                subtype_xmlid="mail.mt_note",
            )
        if to_create:
            created = Incident._workflow_create(to_create)
            for incident in created:
                incident.message_post(
                    body=Markup("<p>%s</p>")
                    % incident.environment_id._burn_rate_message(
                        incident.slo_alert_rule_id, incident.slo_burn_rate
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _burn_rate_message(self, rule, rate):
        self.ensure_one()
        return self.env._(
            "Burn-rate alert %(rule)s (%(severity)s): %(env)s burns its error budget %(rate)sx "
            "over %(long)s minutes and still over the last %(short)s minutes.",
            rule=rule.name,
            severity=dict(rule._fields["severity"]._description_selection(self.env))[rule.severity],
            env=self.display_name,
            rate=round(rate or 0.0, 1),
            long=rule.long_window_minutes,
            short=rule.short_window_minutes,
        )

    def _burn_rate_incident_vals(self, rule, rate, now):
        self.ensure_one()
        return {
            "tenant_id": self.tenant_id.id,
            "environment_id": self.id,
            "source": "burn_rate",
            "category": "availability",
            "priority": rule.incident_priority,
            "opened_at": now,
            "subject": self.env._(
                "%(env)s burns its error budget %(rate)sx (%(rule)s)",
                env=self.display_name,
                rate=round(rate or 0.0, 1),
                rule=rule.name,
            ),
            "slo_alert_rule_id": rule.id,
            "slo_burn_rate": rate,
        }
