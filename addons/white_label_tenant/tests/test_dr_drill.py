from datetime import datetime, timedelta

from lxml import html

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged

from .common import LocalDatabaseCase, TenantCase, database_exists

# the test SLA version (common.py): RPO 60 min, RTO 30 min, a drill every 90 days
LIVE = datetime(2026, 3, 2, 9, 0)


@tagged("post_install", "-at_install")
class TestDrDrill(LocalDatabaseCase):
    """Issue 15: disaster-recovery drills restore production's latest backup for real into a
    scratch database on the test PostgreSQL, record RPO/RTO against the contract, plan the next
    one, and an environment past its policy's period blocks promotion and upgrades."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staging = cls.env["tenant.environment"].create(
            {
                "tenant_id": cls.tenant_a.id,
                "stage": "staging",
                "database_name": f"{cls.prefix}_stg",
                "template_database": cls.template,
                "plan_id": cls.plan.id,
            }
        )

    def _go_live(self, moment=LIVE):
        with freeze_time(moment):
            self.tenant_a.with_user(self.manager).action_provision()
        self.assertEqual(self.production.state, "active")

    def test_drill_restores_latest_backup_and_plans_the_next(self):
        self._go_live()
        with freeze_time(LIVE + timedelta(hours=1)):
            self.production._backup()
        with freeze_time(LIVE + timedelta(hours=1, minutes=40)):
            self.production.with_user(self.manager).action_run_dr_drill()
        drill = self.production.dr_drill_ids.filtered(lambda d: d.state != "planned")
        self.assertEqual(drill.state, "passed", drill.details)
        self.assertEqual(drill.run_by_id, self.manager)
        test = drill.restore_test_id
        self.assertEqual(test.backup_id, self.production.backup_ids)
        self.assertFalse(database_exists(test.scratch_database), "the scratch database is dropped")
        # RPO: the backup's snapshot (10:00) to the drill's start (10:40); contract 60 / 30 min
        self.assertAlmostEqual(drill.rpo_achieved_minutes, 40.0, places=1)
        self.assertEqual((drill.rpo_target_minutes, drill.rto_target_minutes), (60.0, 30.0))
        self.assertTrue(drill.rpo_met and drill.rto_met)
        self.assertEqual(self.production.last_drill_passed_at, drill.finished_at)
        self.assertEqual(self.production.drill_due_at, drill.finished_at + timedelta(days=90))
        self.assertFalse(self.production.dr_drill_overdue)
        # the next one is planned on the day the policy owes it, once
        planned = self.production.dr_drill_ids.filtered(lambda d: d.state == "planned")
        self.assertEqual(planned.scheduled_at, drill.finished_at + timedelta(days=90))
        self.assertFalse(self.production._plan_drill(LIVE + timedelta(days=1)))
        self.assertEqual(self.tenant_a.dr_drill_count, 2)
        self.assertEqual(self.tenant_a._portal_dr_drills(), drill)

    def test_drill_refused_mid_upgrade_and_without_backup(self):
        self._go_live()
        drill = self.env["tenant.dr.drill"].create({"environment_id": self.production.id})
        self.production._operation_begin("upgrade")
        with self.assertRaisesRegex(UserError, "Upgrade is in progress there"):
            drill.with_user(self.manager).action_run()
        self.assertEqual(drill.state, "planned")
        self.production._operation_end()
        # no backup to restore: the drill fails and says what to do
        drill.with_user(self.manager).action_run()
        self.assertEqual(drill.state, "failed")
        self.assertIn("take a backup", drill.details)
        self.assertFalse(self.production.operation, "the operation guard is released")
        with self.assertRaisesRegex(UserError, "only a planned drill runs"):
            drill.with_user(self.manager).action_run()
        with self.assertRaisesRegex(UserError, "not a production environment"):
            self.staging.with_user(self.manager).action_run_dr_drill()
        with self.assertRaisesRegex(ValidationError, "Production Environment: .* is not a"):
            self.env["tenant.dr.drill"].create({"environment_id": self.staging.id})

    def test_scheduled_action_plans_runs_and_records_failures(self):
        self._go_live()
        Drill = self.env["tenant.dr.drill"]
        now = LIVE + timedelta(days=91)
        with freeze_time(now):
            self.production._backup()
            # a busy environment keeps its plan with the reason and is tried an hour later
            self.production._operation_begin("upgrade")
            self.assertEqual(Drill._cron_run_due(now=now), 1)
            drill = self.production.dr_drill_ids
            self.assertEqual(drill.state, "planned")
            self.assertIn("Upgrade is in progress", drill.last_error)
            self.assertEqual(drill.scheduled_at, now + timedelta(hours=1))
            self.assertTrue(self.production.dr_drill_overdue)
            self.assertEqual(Drill._cron_run_due(now=now), 0, "nothing due before the retry")
            self.production._operation_end()
            later = now + timedelta(hours=1)
            self.assertEqual(Drill._cron_run_due(now=later), 1)
            self.assertEqual(drill.state, "passed", drill.details)
            self.assertFalse(drill.last_error)
            self.assertFalse(self.production.dr_drill_overdue)
            # a second run at the same moment finds nothing to do
            self.assertEqual(Drill._cron_run_due(now=later), 0)

    def test_overdue_environment_blocks_promotion_and_upgrade(self):
        self._go_live()
        Env = self.env["tenant.environment"]
        # exactly 90 days after going live is still within the period
        with freeze_time(LIVE + timedelta(days=90)):
            self.production._refresh_drill_status()
            self.assertFalse(self.production.dr_drill_overdue)
            self.staging._check_drill_current()
        with freeze_time(LIVE + timedelta(days=90, minutes=1)):
            self.production._refresh_drill_status()
            self.assertTrue(self.production.dr_drill_overdue)
            self.assertTrue(self.tenant_a.dr_drill_overdue)
            self.assertIn(self.production, Env.search([("dr_drill_overdue", "=", True)]))
            self.assertIn(
                self.tenant_a,
                self.env["tenant.tenant"].search([("dr_drill_overdue", "=", True)]),
            )
            # an upgrade (any environment of the tenant) is refused with the reason and the fix
            with self.assertRaisesRegex(UserError, "no passed disaster-recovery drill"):
                self.staging._check_drill_current()
            # so is the promotion, and its gate names the criterion
            action = self.staging.with_user(self.manager).action_promote()
            promotion = self.env["tenant.promotion"].browse(action["res_id"])
            self.assertFalse(promotion._gate_check_promotion_drill_current())
            with self.assertRaisesRegex(UserError, "Run DR Drill"):
                promotion.with_user(self.manager).action_promote()
            self.assertEqual(promotion.state, "draft")
            # a passed drill lifts it
            self.production._backup()
            self.production.with_user(self.manager).action_run_dr_drill()
            self.assertFalse(self.production.dr_drill_overdue)
            self.assertFalse(self.tenant_a.dr_drill_overdue)
            self.staging._check_drill_current()
            self.assertTrue(promotion._gate_check_promotion_drill_current())

    def test_rights_channel_user_reads_manager_runs(self):
        self._go_live()
        drill = self.env["tenant.dr.drill"].create({"environment_id": self.production.id})
        as_user = drill.with_user(self.channel_user)
        self.assertEqual(as_user.state, "planned", "a Channel User reads the drills")
        with self.assertRaises(AccessError):
            as_user.action_run()
        with self.assertRaises(AccessError):
            self.production.with_user(self.channel_user).action_run_dr_drill()
        with self.assertRaises(AccessError):
            as_user.write({"scheduled_at": LIVE})
        # the outcome and the flag change only through the drills, for every caller
        with self.assertRaises(AccessError):
            drill.with_user(self.manager).write({"state": "passed"})
        with self.assertRaises(AccessError):
            self.production.with_user(self.manager).write({"dr_drill_overdue": False})
        self.assertEqual(drill.state, "planned")
        # portal users read their own partner's drills only
        Drill = self.env["tenant.dr.drill"]
        self.assertEqual(Drill.with_user(self.portal_a).search([]), drill)
        self.assertFalse(Drill.with_user(self.portal_b).search([]))


@tagged("post_install", "-at_install")
class TestDrDrillPortal(TenantCase, HttpCase):
    """The partner's portal tenant page lists its last drills with RPO/RTO against the contract
    (60 / 30 minutes in the test policy); another partner's user never sees them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env["tenant.environment"]._workflow_create(
            {
                "tenant_id": cls.tenant_a.id,
                "database_name": cls.unique_name("_dr"),
                "plan_id": cls.plan.id,
                "state": "active",
            }
        )
        Backup, Test = cls.env["tenant.backup"], cls.env["tenant.restore.test"]
        Drill = cls.env["tenant.dr.drill"]
        for day, rto_minutes, state in ((2, 12.5, "passed"), (9, 41.0, "passed")):
            started = datetime(2026, 3, day, 10, 0)
            backup = Backup.create(
                {
                    "environment_id": env.id,
                    "state": "done",
                    "started_at": started - timedelta(minutes=20),
                    "finished_at": started - timedelta(minutes=19),
                }
            )
            test = Test.create(
                {
                    **Test._prepare_measured_vals(
                        backup, started, started, started + timedelta(minutes=rto_minutes)
                    ),
                    "state": state,
                }
            )
            Drill._workflow_create(
                {
                    "environment_id": env.id,
                    "scheduled_at": started,
                    "started_at": started,
                    "finished_at": test.finished_at,
                    "state": state,
                    "backup_id": backup.id,
                    "restore_test_id": test.id,
                }
            )
        for user in (cls.portal_a, cls.portal_b):
            user.password = user.login

    def _rows(self, user):
        self.authenticate(user.login, user.login)
        response = self.url_open(self.tenant_a.access_url)
        page = html.fromstring(response.content)
        return [
            " ".join(td.text_content().split())
            for td in page.xpath("//table[contains(@class, 'o_tenant_dr_drills')]//tbody/tr")
        ]

    def test_partner_reads_its_drills_against_the_contract(self):
        rows = self._rows(self.portal_a)
        self.assertEqual(len(rows), 2)
        # newest first: RTO 41 over the contracted 30 minutes, then 12.5 within it
        self.assertIn("20.0 / 60", rows[0])
        self.assertIn("41.0 / 30", rows[0])
        self.assertIn("12.5 / 30", rows[1])
        self.assertIn("Passed", rows[1])

    def test_other_partner_sees_no_drill(self):
        self.assertEqual(self._rows(self.portal_b), [])
