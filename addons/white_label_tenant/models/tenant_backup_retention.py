import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..backends.base import BackendError
from ..core.retention import DEFAULT_RULES, BackupInfo, backups_to_prune

_logger = logging.getLogger(__name__)

# an environment's backups are pruned at most once per daily run of the scheduled action
RETENTION_RECHECK = timedelta(hours=20)


class TenantBackup(models.Model):
    """Grandfather-father-son pruning of the backups (``core/retention.py``): the record of a
    pruned backup stays, in state Pruned, with who pruned it, when and the rule that expired it."""

    _inherit = "tenant.backup"

    pruned_at = fields.Datetime(string="Pruned On", readonly=True, copy=False)
    pruned_by_id = fields.Many2one("res.users", string="Pruned By", readonly=True, copy=False)
    prune_reason = fields.Char(string="Pruned Because", readonly=True, copy=False)
    retention_note = fields.Char(
        readonly=True,
        copy=False,
        help="Why the retention rules keep this backup although they would have pruned it.",
    )

    def _rule_labels(self, rules):
        return {
            "daily": self.env._(
                "Keep Daily Backups: not the newest backup of its day, week or month within "
                "the %(days)s days",
                days=rules.daily_days,
            ),
            "weekly": self.env._(
                "Keep Weekly Backups: not the newest backup of its ISO week or month within "
                "the %(weeks)s weeks",
                weeks=rules.weekly_weeks,
            ),
            "monthly": self.env._(
                "Keep Monthly Backups: not the newest backup of its month within the "
                "%(months)s months",
                months=rules.monthly_months,
            ),
            "expired": self.env._(
                "older than all the retention windows (%(days)s days, %(weeks)s weeks, "
                "%(months)s months)",
                days=rules.daily_days,
                weeks=rules.weekly_weeks,
                months=rules.monthly_months,
            ),
        }

    @api.model
    def _cron_prune_retention(self, now=None, batch_size=50, slice_index=0):
        """Apply each environment's retention rules (its SLA policy version in force at
        ``now``) to its backups, one batch of ``batch_size`` environments per call; returns the
        number of backups pruned. Only environments whose database the suite created are
        touched, each at most once a day (``retention_checked_at``), taken with SKIP LOCKED
        so that two workers never prune the same one; ``ir.cron`` calls again while some are
        due. A failure on one environment is logged on it and the others go on. Call
        ``slice_index`` takes the environments of its parallel slice only."""
        now = now or fields.Datetime.now()
        Batch = self.env["tenant.environment.batch"]
        where = Batch._slice_where(
            SQL(
                "database_created_at IS NOT NULL "
                "AND (retention_checked_at IS NULL OR retention_checked_at <= %s) "
                "AND EXISTS (SELECT 1 FROM tenant_backup b "
                "WHERE b.environment_id = tenant_environment.id AND b.state = 'done')",
                now - RETENTION_RECHECK,
            ),
            slice_index,
        )
        environments = Batch._lock_due(where, batch_size).sudo()
        pruned = 0
        for environment in environments:
            try:
                with self.env.cr.savepoint():
                    pruned += self._prune_environment(environment, now)
            except Exception as exc:  # isolate each environment: report it, go on
                _logger.exception("Retention of %s failed", environment.display_name)
                environment.message_post(
                    body=self.env._(
                        "Pruning the backups by the retention rules failed: %(e)s", e=exc
                    )
                )
        if environments:
            environments._workflow_write({"retention_checked_at": now})
        self.env["ir.cron"]._notify_progress(
            done=len(environments), remaining=Batch._count_due(where)
        )
        return pruned

    @api.model
    def _prune_environment(self, environment, now):
        policy = environment.tenant_id.sla_policy_id
        version = policy._version_at(now) if policy else None
        rules = version._retention_rules() if version else DEFAULT_RULES
        backups = self.sudo().search(
            [("environment_id", "=", environment.id), ("state", "in", ("done", "failed"))]
        )
        managed = bool(environment.database_created_at)
        plan = backups_to_prune(
            [BackupInfo(b.id, b.started_at, b.state == "done", managed) for b in backups],
            now,
            rules,
        )
        labels = self._rule_labels(rules)
        lines = []
        for backup in backups.filtered(lambda b: b.id in plan.prune):
            reason = labels[plan.prune[backup.id]]
            if backup.file_path and not backup.purged_at:
                try:
                    environment.tenant_id._get_backend().delete_backup(environment, backup)
                except NotImplementedError:
                    _logger.info("%s keeps no backup files: only the record is pruned", environment)
                except (BackendError, OSError) as exc:
                    environment.message_post(
                        body=self.env._(
                            "Pruning the backup of %(date)s failed, tried again at the next "
                            "run: %(e)s",
                            date=backup.started_at,
                            e=exc,
                        )
                    )
                    continue
            backup.write(
                {
                    "state": "pruned",
                    "pruned_at": now,
                    "pruned_by_id": self.env.uid,
                    "prune_reason": reason,
                    "file_path": False,
                }
            )
            lines.append(
                self.env._("Backup of %(date)s: %(reason)s", date=backup.started_at, reason=reason)
            )
        for backup in backups.filtered(lambda b: b.id in plan.held):
            note = self.env._(
                "Kept: the last good backup of the environment, although the retention rules "
                "would prune it (%(reason)s).",
                reason=labels[plan.held[backup.id]],
            )
            if backup.retention_note != note:
                backup.retention_note = note
                environment.message_post(
                    body=self.env._(
                        "Retention: the backup of %(date)s was not pruned. %(note)s",
                        date=backup.started_at,
                        note=note,
                    )
                )
        if lines:
            environment.message_post(
                body=self.env._(
                    "Retention rules pruned %(count)s backup(s) on %(date)s (by %(user)s):\n"
                    "%(lines)s",
                    count=len(lines),
                    date=now,
                    user=self.env.user.name,
                    lines="\n".join(lines),
                )
            )
        return len(lines)
