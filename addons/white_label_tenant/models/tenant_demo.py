from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..core.continuity import backup_instants

HISTORY_DAYS = 30
# restore drills: every Monday mid-morning, on the latest backup taken before
DRILL_TIME = time(10, 35)


class TenantDemo(models.AbstractModel):
    """Demo data only: a month of history of running environments, relative to the install day.

    Deterministic (no randomness): outages and failures sit on fixed hours, so every demo
    database shows the same figures. Backups follow each tenant's SLA policy frequency (hourly
    for Gold, daily for Silver); the restore drills store the RPO and RTO measured from their
    timestamps. Backup rows are illustrations without dump files.
    """

    _name = "tenant.demo"
    _description = "Tenant Demo History"

    @api.model
    def _generate_history(self, environment_ids):
        environments = self.env["tenant.environment"].browse(environment_ids)
        now = datetime.combine(fields.Date.context_today(self), time(12, 0))
        self._generate_probes(environments, now)
        backups = self._generate_backups(environments, now)
        self._generate_restore_drills(backups, now)
        self._generate_incidents(environments, now)
        return True

    @api.model
    def _demo_partners(self, profiles, stage, manager_ref):
        """The tenants' owners as established partners of the program: their memberships walk
        the lifecycle gates up to ``stage`` (ticked and approved as a channel manager would) and
        get the five quarters of scorecards of the demo (``partner.scorecard._demo_load_history``)."""
        ref = self.env.ref
        memberships = self.env["partner.membership"].search(
            [("partner_id", "in", [ref(key).id for key in profiles])]
        )
        # certifications and scorecards first: the lifecycle gates check them
        self.env["partner.scorecard"]._demo_load_history(
            profiles, manager_ref, module="white_label_tenant"
        )
        stages = [key for key, _label in memberships._fields["lifecycle_stage"].selection]
        passer = self.env["governance.gate.demo"]
        for membership in memberships:
            start = stages.index(membership.lifecycle_stage) + 1
            for step in stages[start : stages.index(stage) + 1]:
                try:
                    with self.env.cr.savepoint():
                        passer._pass_gate(membership, step)
                except UserError:
                    break  # a gate the demo data cannot meet: the partner stays where it is
        return True

    @api.model
    def _generate_operations(self, environment_ids):
        """A month of probes (all answered), backups at the policy's frequency and weekly restore
        drills for environments of later demos (the month's incidents are
        ``_generate_history``'s)."""
        environments = self.env["tenant.environment"].browse(environment_ids)
        now = datetime.combine(fields.Date.context_today(self), time(12, 0))
        self._generate_probes(environments, now, outage_index=None)
        self._generate_restore_drills(self._generate_backups(environments, now), now)
        return True

    def _generate_probes(self, environments, now, outage_index=1):
        samples = []
        for index, env in enumerate(environments):
            for hour in range(HISTORY_DAYS * 24):
                moment = now - timedelta(hours=hour)
                # the one outage of the month: production of the second environment was down for
                # three hours nine days ago (its SLO breach); every other environment met its SLO
                down = index == outage_index and 9 * 24 <= hour < 9 * 24 + 3
                samples.append(
                    {
                        "environment_id": env.id,
                        "probed_at": moment,
                        "ok": not down,
                        "status_code": 503 if down else 200,
                        "latency_ms": 80.0 + (hour * 7 + index * 13) % 120,
                    }
                )
        self.env["tenant.uptime.sample"].create(samples)

    def _generate_backups(self, environments, now):
        """Scheduled backups at each policy's frequency from 02:00 thirty days ago on; the third
        environment's backup of twelve days ago at 02:00 failed."""
        start = datetime.combine(now.date() - timedelta(days=HISTORY_DAYS), time(2, 0))
        failed_at = datetime.combine(now.date() - timedelta(days=12), time(2, 0))
        vals_list = []
        for index, env in enumerate(environments):
            frequency = env.tenant_id.sla_policy_id._backup_frequency_at(start)
            for position, started in enumerate(backup_instants(start, now, frequency)):
                failed = index == 2 and started == failed_at
                vals_list.append(
                    {
                        "environment_id": env.id,
                        "kind": "scheduled",
                        "state": "failed" if failed else "done",
                        "started_at": started,
                        "finished_at": started + timedelta(minutes=4 + index),
                        "size_bytes": 0
                        if failed
                        else 350_000_000 + index * 90_000_000 + position * 40_000,
                        "error_message": "pg_dump: connection lost (demo)" if failed else False,
                        "table_count": 0 if failed else 612,
                    }
                )
        return self.env["tenant.backup"].create(vals_list)

    def _generate_restore_drills(self, backups, now):
        """Every Monday from 10:35 on (a few minutes apart) each environment restores its latest
        backup; the second environment's second drill failed. RPO and RTO are measured from the
        timestamps."""
        Test = self.env["tenant.restore.test"]
        done = backups.filtered(lambda b: b.state == "done").sorted("started_at")
        vals_list = []
        for index, env in enumerate(done.environment_id):
            env_backups = done.filtered(lambda b, env=env: b.environment_id == env)
            day = now.date() - timedelta(days=HISTORY_DAYS)
            position = 0
            while day <= now.date():
                drill = datetime.combine(day, DRILL_TIME) + timedelta(minutes=7 * index)
                if day.weekday() == 0 and drill < now:
                    latest = env_backups.filtered(lambda b, drill=drill: b.started_at <= drill)[-1:]
                    if latest:
                        failed = index == 1 and position == 1
                        restore = timedelta(minutes=8 + 1.5 * index, seconds=30 * position)
                        vals = Test._prepare_measured_vals(
                            latest,
                            drill,
                            drill,
                            drill + (timedelta(minutes=3) if failed else restore),
                        )
                        vals.update(
                            state="failed" if failed else "passed",
                            details="Restore aborted: missing role in dump (demo)"
                            if failed
                            else "Restored 612 tables (demo)",
                        )
                        vals_list.append(vals)
                        position += 1
                day += timedelta(days=1)
        Test.create(vals_list)

    def _generate_incidents(self, environments, now):
        """Incidents timed on each policy's business hours (so the outcome is the same whichever
        day the demo is installed): resolved within SLA, one near miss (the first response passed
        a warning threshold, then met its target), one breach (the production outage), one still
        open waiting on the customer. Each ``(ack, resolve)`` is a share of the SLA target."""
        Incident = self.env["tenant.incident"]
        responsible = self.env.ref("white_label_tenant.demo_user_service_delivery", False)
        specs = [
            (0, "3", 20, 0.3, 0.5, "Tax report shows rounding differences", "Rounding setting"),
            (1, "1", 9, 0.4, 1.6, "Production unreachable (health checks failing)", "Disk full"),
            (1, "2", 4, 0.8, 0.9, "EDI import stuck for a supplier", "Connector timeout"),
            (4, "2", 6, 0.9, 0.6, "Payment terminal sync delayed", "Queue worker restarted"),
            (4, "3", 2, 0.25, None, "Slow stock valuation report", False),
        ]
        for env_index, priority, days_ago, ack_share, resolve_share, subject, cause in specs:
            env = environments[env_index]
            version = env.tenant_id.sla_policy_id.current_version_id
            schedule = version._get_schedule(None, None)
            target = version.target_ids.filtered(lambda t, p=priority: t.priority == p)[:1]
            # opened one business hour into the day, ``days_ago`` days back
            opened = schedule.add(now - timedelta(days=days_ago, hours=12), 3600.0)
            incident = Incident.create(
                {
                    "tenant_id": env.tenant_id.id,
                    "environment_id": env.id,
                    "priority": priority,
                    "subject": subject,
                    "opened_at": opened,
                    "user_id": responsible.id if responsible else False,
                    "source": "probe" if "health" in subject else "manual",
                }
            )
            acknowledged = schedule.add(opened, ack_share * target.response_hours * 3600.0)
            incident._write_clock({"state": "acknowledged", "acknowledged_at": acknowledged})
            if resolve_share is not None:
                resolved = schedule.add(opened, resolve_share * target.resolution_hours * 3600.0)
                incident._write_clock(
                    {
                        "state": "resolved",
                        "resolved_at": max(resolved, acknowledged),
                        "root_cause": cause,
                    }
                )
            else:
                incident._write_clock(
                    {"state": "waiting_customer", "pause_started_at": acknowledged}
                )
        Incident.search([("environment_id", "in", environments.ids)])._sla_refresh(
            fields.Datetime.now(), notify=False
        )
