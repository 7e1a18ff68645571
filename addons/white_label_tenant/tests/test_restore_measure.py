from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.tests import Form, freeze_time, tagged

from ..backends.local import LocalPostgresBackend
from .common import LocalDatabaseCase

MONDAY_9 = datetime(2026, 3, 2, 9, 0)


@tagged("post_install", "-at_install")
class TestRestoreMeasure(LocalDatabaseCase):
    """A restore test stores the RPO and RTO it measured, and the tenant's form shows them
    against its SLA policy's targets (Gold: RPO 60 min, RTO 30 min). Real dump and restore;
    the clock is frozen and moved by the time the dump and the restore are said to take."""

    def _slow(self, method, frozen, duration):
        real = getattr(LocalPostgresBackend, method)

        def slow(backend, *args):
            result = real(backend, *args)
            frozen.tick(duration)
            return result

        return patch.object(LocalPostgresBackend, method, autospec=True, side_effect=slow)

    def test_rpo_and_rto_are_measured_from_timestamps(self):
        tenant = self.tenant_a.with_user(self.manager)
        with freeze_time(MONDAY_9) as frozen:
            tenant.action_provision()
            with self._slow("backup", frozen, timedelta(minutes=4)):
                self.production.with_user(self.manager).action_backup()
            backup = self.production.backup_ids
            self.assertEqual(
                (backup.started_at, backup.finished_at), (MONDAY_9, MONDAY_9 + timedelta(minutes=4))
            )

            # 47 minutes after the dump started, a restore of 6 min 30 s
            frozen.move_to(MONDAY_9 + timedelta(minutes=47))
            with self._slow("restore_test", frozen, timedelta(minutes=6, seconds=30)):
                self.production.with_user(self.manager).action_restore_test()
            test = self.production.restore_test_ids
            self.assertEqual(test.state, "passed", test.details)
            self.assertEqual(test.backup_age_seconds, 47 * 60)  # from the snapshot, not the end
            self.assertEqual(test.duration_seconds, 390)
            self.assertEqual((test.rpo_achieved_minutes, test.rto_achieved_minutes), (47, 6.5))
            self.assertEqual((test.rpo_target_minutes, test.rto_target_minutes), (60, 30))
            self.assertEqual(test.finished_at, test.started_at + timedelta(seconds=390))

            form = Form(self.tenant_a.with_user(self.manager))
            self.assertEqual(form.last_restore_test_id, test)
            self.assertEqual((form.rpo_achieved_minutes, form.rpo_target_minutes), (47, 60))
            self.assertEqual((form.rto_achieved_minutes, form.rto_target_minutes), (6.5, 30))
            self.assertTrue(form.rpo_met and form.rto_met)

            # two and a half hours after the only backup: the data a failure would lose is
            # over the RPO, and a 45-minute restore misses the RTO
            frozen.move_to(MONDAY_9 + timedelta(hours=2, minutes=30))
            with self._slow("restore_test", frozen, timedelta(minutes=45)):
                self.production.with_user(self.manager).action_restore_test()
            late = self.production.restore_test_ids.sorted("started_at")[-1]
            self.assertEqual((late.rpo_achieved_minutes, late.rto_achieved_minutes), (150, 45))
            self.assertFalse(late.rpo_met or late.rto_met)
            self.tenant_a.invalidate_recordset()
            self.assertEqual(self.tenant_a.last_restore_test_id, late)
            self.assertFalse(self.tenant_a.rpo_met or self.tenant_a.rto_met)

    def test_reference_instant_of_an_incident(self):
        with freeze_time(MONDAY_9) as frozen:
            self.tenant_a.with_user(self.manager).action_provision()
            self.production.with_user(self.manager).action_backup()
            frozen.move_to(MONDAY_9 + timedelta(hours=3))
            # restoring after an incident that happened at 9:20: 20 minutes of data lost
            test = self.production.backup_ids._restore_test(
                reference_at=MONDAY_9 + timedelta(minutes=20)
            )
            self.assertEqual(test.rpo_achieved_minutes, 20)
            self.assertTrue(test.rpo_met)
