import os
from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import LocalDatabaseCase
from .test_cron_batches import CronProgressMixin

MONDAY = datetime(2026, 3, 2)


@tagged("post_install", "-at_install")
class TestBackupFrequency(CronProgressMixin, LocalDatabaseCase):
    """The scheduled action, run every hour of a simulated day at frozen instants, backs up
    each running environment at its SLA policy's frequency: real databases, real dumps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hourly = cls.env["tenant.sla.policy"].create({"name": "Hourly"})
        version = cls.env["tenant.sla.policy.version"].create(
            {
                "policy_id": cls.hourly.id,
                "effective_from": "2026-01-01 00:00:00",
                "business_hours": False,
                "backup_frequency": 1,
                "backup_frequency_unit": "hours",
                "backup_retention_days": 7,
                "target_ids": [
                    (0, 0, {"priority": "1", "response_hours": 1, "resolution_hours": 4})
                ],
            }
        )
        version.action_activate()
        cls.tenant_a.sla_policy_id = cls.hourly  # the common Gold policy backs up daily
        cls.daily_env = cls.env["tenant.environment"].create(
            {
                "tenant_id": cls.tenant_b.id,
                "database_name": f"{cls.prefix}_b",
                "template_database": cls.template,
                "plan_id": cls.plan.id,
            }
        )

    def _run_day(self, frozen, start, step=timedelta(hours=1)):
        moment = start
        while moment < start + timedelta(days=1):
            frozen.move_to(moment)
            self._call("_cron_backup", now=moment)
            moment += step

    def test_hourly_policy_a_backup_an_hour_daily_policy_one(self):
        self._only_these_run()
        with freeze_time(MONDAY) as frozen:
            (self.tenant_a | self.tenant_b).with_user(self.manager).action_provision()
            self.assertEqual((self.production | self.daily_env).mapped("state"), ["active"] * 2)
            self._run_day(frozen, MONDAY)

            hourly = self.production.backup_ids.sorted("started_at")
            self.assertEqual(len(hourly), 24)
            self.assertEqual(set(hourly.mapped("state")), {"done"})
            self.assertEqual(
                hourly.mapped("started_at"), [MONDAY + timedelta(hours=h) for h in range(24)]
            )
            self.assertEqual(self.daily_env.backup_ids.mapped("started_at"), [MONDAY])
            # Keep Every Backup follows the policy version each backup was taken under
            self.assertEqual(hourly[0].expires_at, MONDAY + timedelta(days=7))
            self.assertEqual(self.daily_env.backup_ids.expires_at, MONDAY + timedelta(days=2))

            # the next morning the daily one is due again, and a second run at the same
            # instant finds nothing left to do
            frozen.move_to(MONDAY + timedelta(days=1))
            self.assertEqual(
                self._call("_cron_backup", now=MONDAY + timedelta(days=1)), (2, (2, 0))
            )
            self.assertEqual(
                self._call("_cron_backup", now=MONDAY + timedelta(days=1)), (0, (0, 0))
            )
            self.assertEqual(len(self.daily_env.backup_ids), 2)
            paths = self.production.backup_ids.sorted("started_at").mapped("file_path")

            # a week later every hourly backup of Monday is past the policy's Keep Every
            # Backup (7 days): the retention rules keep the newest of each day (Monday 23:00,
            # Tuesday 00:00, the environment's latest), the other 23 go, records kept in state
            # Pruned; the daily policy's two backups are each the newest of their day
            later = MONDAY + timedelta(days=8)
            self.assertEqual(self.env["tenant.backup"]._cron_prune_retention(now=later), 23)
            self.assertEqual(self.env["tenant.backup"]._cron_prune_retention(now=later), 0)
            hourly = self.production.backup_ids.sorted("started_at")
            self.assertEqual(len(hourly), 25, "the records stay")
            self.assertEqual(hourly[:23].mapped("state"), ["pruned"] * 23)
            self.assertEqual(hourly[:23].mapped("pruned_at"), [later] * 23)
            self.assertEqual(
                hourly[23:].mapped("started_at"),
                [MONDAY + timedelta(hours=23), MONDAY + timedelta(days=1)],
            )
            self.assertFalse(any(os.path.exists(path) for path in paths[:23]))
            self.assertTrue(all(os.path.exists(path) for path in paths[23:]))
            self.assertEqual(set(self.daily_env.backup_ids.mapped("state")), {"done"})
            with self.assertRaisesRegex(UserError, "pruned"):
                hourly[0]._restore_test()

    def test_a_policy_change_takes_effect_at_the_next_run(self):
        self._only_these_run()
        with freeze_time(MONDAY) as frozen:
            self.tenant_b.with_user(self.manager).action_provision()
            self.assertEqual(self._call("_cron_backup", now=MONDAY), (1, (1, 0)))
            self.assertEqual(
                self.daily_env.next_backup_at, MONDAY + timedelta(hours=24, minutes=-5)
            )
            # the customer moves to the hourly policy: due an hour after its last backup
            self.tenant_b.sla_policy_id = self.hourly
            self.assertEqual(self.daily_env.next_backup_at, MONDAY + timedelta(minutes=57))
            frozen.move_to(MONDAY + timedelta(hours=1))
            self.assertEqual(
                self._call("_cron_backup", now=MONDAY + timedelta(hours=1)), (1, (1, 0))
            )
            self.assertEqual(len(self.daily_env.backup_ids), 2)
