from datetime import timedelta

from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.tools import SQL

from ..core.continuity import next_backup_at
from ..core.probe import health_url, probe_many


class TenantEnvironmentBatch(models.AbstractModel):
    """The scheduled work on environments: health probes and backups, one bounded batch per call.

    Each call takes its environments with ``FOR UPDATE SKIP LOCKED`` (a second cron worker takes
    others), processes them, moves their high-water mark (``last_probe_at``, ``next_backup_at``)
    and reports ``done``/``remaining`` to ``ir.cron``, which commits and calls again while work
    remains: a crash loses at most one batch, and a second run finds nothing left to do.
    """

    _name = "tenant.environment.batch"
    _description = "Tenant Environment Scheduled Work"

    @api.model
    def _lock_due(self, where, batch_size):
        """Up to ``batch_size`` environments matching ``where`` (an SQL condition on
        tenant_environment), locked for this transaction; those locked elsewhere are skipped."""
        self.env["tenant.environment"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM tenant_environment WHERE %s ORDER BY id LIMIT %s "
                "FOR UPDATE SKIP LOCKED",
                where,
                batch_size,
            )
        )
        return self.env["tenant.environment"].browse(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _count_due(self, where):
        self.env["tenant.environment"].flush_model()
        self.env.cr.execute(SQL("SELECT count(*) FROM tenant_environment WHERE %s", where))
        return self.env.cr.fetchone()[0]

    # --- health probes ----------------------------------------------------------------------
    def _probe_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        return (
            float(params.get_param("white_label_tenant.probe_timeout", "3")),
            int(params.get_param("white_label_tenant.probe_failure_threshold", "3")),
            int(params.get_param("white_label_tenant.probe_workers", "64")),
        )

    @api.model
    def _probe_due_where(self, now):
        """Running environments with a URL not probed in the last ``probe_min_interval_seconds``
        (120 by default, under the cron's 5 minutes): the high-water mark of a probe run."""
        interval = float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("white_label_tenant.probe_min_interval_seconds", "120")
        )
        return SQL(
            "state = 'active' AND COALESCE(url, '') != '' "
            "AND (last_probe_at IS NULL OR last_probe_at <= %s)",
            now - timedelta(seconds=interval),
        )

    @api.model
    def _slice_where(self, where, slice_index):
        """``where`` restricted to the environments of parallel slice ``slice_index``."""
        mine = self.env["ir.cron"]._channel_slice_sql(
            SQL.identifier("tenant_environment", "id"), slice_index
        )
        return SQL("(%s) AND %s", where, mine)

    @api.model
    def _cron_probe(self, now=None, batch_size=500, slice_index=0):
        """Probe one batch of the running environments' /web/health (concurrently); returns
        the number probed. ``ir.cron`` calls again while some remain. Call ``slice_index``
        takes the environments of its parallel slice only."""
        now = now or fields.Datetime.now()
        where = self._slice_where(self._probe_due_where(now), slice_index)
        batch = self._lock_due(where, batch_size)
        batch._probe(now)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=self._count_due(where))
        return len(batch)

    def _probe(self, now=None):
        """Probe these environments concurrently, record samples, open/close probe incidents.

        A fixed number of queries whatever the number of environments: one search of the open
        probe incidents, one UPDATE of the health columns, one INSERT of the samples (plus the
        incidents that open or close, which are rare)."""
        now = now or fields.Datetime.now()
        timeout, threshold, workers = self._probe_settings()
        probed = self.filtered("url")
        urls = {env.id: health_url(env.url) for env in probed}
        results = probe_many(urls.values(), timeout=timeout, workers=workers)
        Incident = self.env["tenant.incident"].sudo()
        open_incidents = {
            incident.environment_id.id: incident
            for incident in Incident.search(
                [
                    ("environment_id", "in", probed.ids),
                    ("source", "=", "probe"),
                    ("is_open", "=", True),
                ]
            )
        }
        samples, health, to_open, to_close = [], [], [], Incident
        for env in probed:
            ok, status, latency, error = results[urls[env.id]]
            samples.append(
                {
                    "environment_id": env.id,
                    "probed_at": now,
                    "ok": ok,
                    "status_code": status,
                    "latency_ms": latency,
                    "error": error,
                }
            )
            failures = 0 if ok else env.consecutive_failures + 1
            health.append((env.id, failures, "up" if ok else "down", now))
            open_incident = open_incidents.get(env.id)
            if not ok and failures >= threshold and not open_incident:
                to_open.append(
                    {
                        "tenant_id": env.tenant_id.id,
                        "environment_id": env.id,
                        "source": "probe",
                        # an outage: the burn-rate alerts raise this one instead of a second
                        "category": "availability",
                        "priority": "1" if env.stage == "production" else "2",
                        "subject": self.env._(
                            "%(env)s is down (%(n)s failed health checks)", env=env.name, n=failures
                        ),
                        "description": error or "",
                        "opened_at": now,
                    }
                )
            elif ok and open_incident:
                to_close |= open_incident
        probed._write_health(health)
        if to_open:
            Incident.create(to_open)
        if to_close:
            to_close.filtered(lambda i: not i.root_cause).write(
                {"root_cause": self.env._("Recovered: the health check answers again.")}
            )
            to_close.action_resolve()
        self.env["tenant.uptime.sample"].sudo().create(samples)
        return results

    def _write_health(self, rows):
        """Store (id, consecutive_failures, health_state, last_probe_at) of many environments in
        one UPDATE: each has its own failure count, which the ORM would write one by one. The
        columns are plain values nothing depends on and that are not tracked."""
        if not rows:
            return
        self.flush_model(["consecutive_failures", "health_state", "last_probe_at"])
        execute_values(
            self.env.cr._obj,
            f"""UPDATE tenant_environment AS t
                   SET consecutive_failures = v.failures, health_state = v.health,
                       last_probe_at = v.probed_at,
                       write_date = now() AT TIME ZONE 'UTC', write_uid = {int(self.env.uid)}
                  FROM (VALUES %s) AS v(id, failures, health, probed_at)
                 WHERE t.id = v.id""",
            rows,
            template="(%s, %s::int, %s, %s::timestamp)",
            page_size=1000,
        )
        self.invalidate_recordset(
            ["consecutive_failures", "health_state", "last_probe_at", "write_date", "write_uid"]
        )

    # --- scheduled backups ------------------------------------------------------------------
    @api.depends(
        "backup_ids.state",
        "backup_ids.started_at",
        "tenant_id.sla_policy_id.version_ids.state",
        "tenant_id.sla_policy_id.version_ids.effective_from",
        "tenant_id.sla_policy_id.version_ids.backup_frequency",
        "tenant_id.sla_policy_id.version_ids.backup_frequency_unit",
    )
    def _compute_next_backup_at(self):
        """The high-water mark of the scheduled backups: the policy's backup frequency after
        the last successful backup of any kind, a failed attempt retried an hour later
        (core.continuity.next_backup_at). One grouped query for all environments."""
        now = fields.Datetime.now()
        last_done, last_attempt = {}, {}
        for env, state, started in (
            self.env["tenant.backup"]
            .sudo()
            ._read_group(
                [("environment_id", "in", self._origin.ids)],
                ["environment_id", "state"],
                ["started_at:max"],
            )
        ):
            if state == "done":
                last_done[env.id] = started
            last_attempt[env.id] = max(started, last_attempt.get(env.id, started))
        for env in self:
            frequency = env.tenant_id.sla_policy_id._backup_frequency_at(now)
            key = env._origin.id
            env.next_backup_at = next_backup_at(
                frequency, last_done.get(key), last_attempt.get(key)
            )

    @api.model
    def _cron_backup(self, now=None, batch_size=10, slice_index=0):
        """Back up one batch of the running environments whose next backup is due (their last
        one is as old as their SLA policy's frequency); returns the number handled. A failure
        is recorded on the environment's backups (and tried again an hour later), never aborts
        the batch. Each backup moves its environment's ``next_backup_at``: a second run at the
        same moment finds nothing to do. Call ``slice_index`` takes the environments of its
        parallel slice only."""
        now = now or fields.Datetime.now()
        where = self._slice_where(
            SQL("state = 'active' AND (next_backup_at IS NULL OR next_backup_at <= %s)", now),
            slice_index,
        )
        batch = self._lock_due(where, batch_size)
        for env in batch:
            try:
                with self.env.cr.savepoint():
                    env._backup(kind="scheduled")
            except Exception as exc:
                env._record_failed_backup("scheduled", now, exc)
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=self._count_due(where))
        return len(batch)
