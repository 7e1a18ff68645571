import os
from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import LocalDatabaseCase
from .test_cron_batches import CronProgressMixin

MONDAY = datetime(2026, 3, 2, 2, 0)  # ISO week 10 runs Monday 2 to Sunday 8 March


@tagged("post_install", "-at_install")
class TestBackupRetention(CronProgressMixin, LocalDatabaseCase):
    """Real daily dumps taken by the scheduled backups at frozen instants, then pruned by the
    grandfather-father-son rules of the SLA policy version: records kept, files removed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["tenant.sla.policy"].create({"name": "Retention rules"})
        cls.version = cls.env["tenant.sla.policy.version"].create(
            {
                "policy_id": cls.policy.id,
                "effective_from": "2026-01-01 00:00:00",
                "business_hours": False,
                "backup_frequency": 24,
                "backup_retention_days": 1,  # Keep Every Backup: the last day's
                "retention_daily_days": 2,
                "retention_weekly_weeks": 1,
                "retention_monthly_months": 1,
                "target_ids": [
                    (0, 0, {"priority": "1", "response_hours": 1, "resolution_hours": 4})
                ],
            }
        )
        cls.version.action_activate()
        cls.tenant_a.sla_policy_id = cls.policy

    def _take_daily_backups(self, frozen, days):
        for day in range(days):
            moment = MONDAY + timedelta(days=day)
            frozen.move_to(moment)
            self._call("_cron_backup", now=moment)
        return self.production.backup_ids.sorted("started_at")

    def test_defaults_and_validation_name_the_rule(self):
        version = self.env["tenant.sla.policy.version"].new({"policy_id": self.policy.id})
        self.assertEqual(
            (
                version.retention_daily_days,
                version.retention_weekly_weeks,
                version.retention_monthly_months,
                version.dr_drill_interval_days,
            ),
            (14, 8, 12, 90),
        )
        with self.assertRaisesRegex(ValidationError, r"Keep Weekly Backups \(weeks\).*not 0"):
            self.env["tenant.sla.policy.version"].create(
                {"policy_id": self.policy.id, "retention_weekly_weeks": 0}
            )
        with self.assertRaisesRegex(ValidationError, r"DR Drill Every \(days\).*not -1"):
            self.env["tenant.sla.policy.version"].create(
                {"policy_id": self.policy.id, "dr_drill_interval_days": -1}
            )

    def test_cron_prunes_by_the_rules_and_logs_each_prune(self):
        self._only_these_run()
        with freeze_time(MONDAY) as frozen:
            self.tenant_a.with_user(self.manager).action_provision()
            backups = self._take_daily_backups(frozen, 10)  # 2 to 11 March, 02:00
            self.assertEqual(len(backups), 10)
            paths = backups.mapped("file_path")
            now = datetime(2026, 3, 11, 12, 0)
            frozen.move_to(now)
            self.env["tenant.backup"]._cron_prune_retention(now=now)

            # kept by hand: 10 and 11 March (daily, 2 days back to 9 March 12:00), Sunday
            # 8 March (the newest of ISO week 10, inside the 1-week window back to 4 March
            # 12:00); the newest of March is 11 March, already kept
            kept = backups.filtered(lambda b: b.state == "done")
            self.assertEqual(
                kept.mapped("started_at"),
                [datetime(2026, 3, d, 2, 0) for d in (8, 10, 11)],
            )
            pruned = backups - kept
            self.assertEqual(len(pruned), 7)
            self.assertEqual(set(pruned.mapped("state")), {"pruned"})
            self.assertEqual(set(pruned.mapped("pruned_at")), {now})
            self.assertEqual(pruned.pruned_by_id, self.env.user)
            self.assertTrue(all("Keep Monthly Backups" in r for r in pruned.mapped("prune_reason")))
            self.assertFalse(any(pruned.mapped("file_path")))
            for backup, path in zip(backups, paths, strict=True):
                self.assertEqual(os.path.exists(path), backup in kept, backup.started_at)
            message = self.production.message_ids.filtered(
                lambda m: "Retention rules pruned 7 backup(s)" in str(m.body)
            )
            self.assertEqual(len(message), 1)
            self.assertIn("2026-03-09 02:00:00", str(message.body))

            # a second pass prunes nothing more; a pruned backup cannot be restore-tested
            self.assertEqual(self.env["tenant.backup"]._cron_prune_retention(now=now), 0)
            with self.assertRaisesRegex(UserError, "pruned"):
                pruned[0]._restore_test()

    def test_the_last_good_backup_is_kept_with_a_logged_reason(self):
        self._only_these_run()
        with freeze_time(MONDAY) as frozen:
            self.tenant_a.with_user(self.manager).action_provision()
            backups = self._take_daily_backups(frozen, 2)
            # the environment stopped backing up (failed ones do not count); two years on
            # every window has passed, but the latest good dump stays
            later = datetime(2028, 3, 1)
            frozen.move_to(later)
            self.env["tenant.backup"]._cron_prune_retention(now=later)
            self.env["tenant.backup"]._cron_prune_retention(now=later + timedelta(days=1))
            self.assertEqual(backups.mapped("state"), ["pruned", "done"])
            self.assertTrue(os.path.exists(backups[1].file_path))
            self.assertIn("last good backup", backups[1].retention_note)
            self.assertIn("older than all the retention windows", backups[1].retention_note)
            held = self.production.message_ids.filtered(lambda m: "was not pruned" in str(m.body))
            self.assertEqual(len(held), 1, "logged once, not at every run")

    def test_an_environment_the_suite_did_not_create_is_not_pruned(self):
        self._only_these_run()
        with freeze_time(MONDAY) as frozen:
            self.tenant_a.with_user(self.manager).action_provision()
            backups = self._take_daily_backups(frozen, 3)
            # an adopted database: the suite did not create it, its dumps are not ours to prune
            self.production._workflow_write({"database_created_at": False})
            later = datetime(2028, 3, 1)
            frozen.move_to(later)
            self.env["tenant.backup"]._cron_prune_retention(now=later)
            self.assertEqual(set(backups.mapped("state")), {"done"})

    def test_one_bounded_batch_per_call_and_each_environment_once_a_day(self):
        self._only_these_run()
        second = self.env["tenant.environment"].create(
            {
                "tenant_id": self.tenant_b.id,
                "database_name": f"{self.prefix}_b",
                "template_database": self.template,
                "plan_id": self.plan.id,
            }
        )
        cron = self.env.ref("white_label_tenant.cron_prune_retention")
        Backup = self.env["tenant.backup"]

        def call(now):
            progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
            Backup.with_context(ir_cron_progress_id=progress.id)._cron_prune_retention(
                now=now, batch_size=1
            )
            return progress.done, progress.remaining

        with freeze_time(MONDAY) as frozen:
            (self.tenant_a | self.tenant_b).with_user(self.manager).action_provision()
            self._take_daily_backups(frozen, 3)
            self.assertTrue(second.backup_ids and self.production.backup_ids)
            now = MONDAY + timedelta(days=40)
            frozen.move_to(now)
            # one environment per call, the rest reported to ir.cron, which calls again
            self.assertEqual(call(now), (1, 1))
            self.assertEqual(call(now), (1, 0))
            self.assertEqual(call(now), (0, 0), "each environment once a day")
            self.assertEqual((self.production | second).mapped("retention_checked_at"), [now] * 2)
            # the newest of ISO week 10 (Wednesday 4 March) stays as the last good backup
            for environment in self.production | second:
                self.assertEqual(
                    environment.backup_ids.sorted("started_at").mapped("state"),
                    ["pruned", "pruned", "done"],
                )
            # the next day both are due again
            self.assertEqual(call(now + timedelta(days=1)), (1, 1))
            # the mark is the scheduled action's: nobody skips an environment's pruning by hand
            with self.assertRaisesRegex(AccessError, "retention_checked_at"):
                second.with_user(self.manager).write({"retention_checked_at": now})
