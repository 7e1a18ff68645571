import threading
from datetime import datetime, timedelta
from http.server import ThreadingHTTPServer

from odoo import SUPERUSER_ID, api
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from .common import LocalDatabaseCase, TenantCase
from .test_probe import HealthHandler

PORT = 18322
# an explicit reference time: the crons take it, nothing reads the real clock
NOW = datetime(2026, 12, 7, 2, 0)


class CronProgressMixin:
    """Calls a cron method the way ir.cron does: with a progress record it reports into."""

    def _call(self, method, **kwargs):
        cron = self.env.ref(f"white_label_tenant.{method.removeprefix('_')}")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        Environment = self.env["tenant.environment"].with_context(ir_cron_progress_id=progress.id)
        handled = getattr(Environment, method)(**kwargs)
        return handled, (progress.done, progress.remaining)

    @classmethod
    def _only_these_run(cls):
        # environments of other fixtures (demo data) do not take part
        cls.env["tenant.environment"].search([("state", "=", "active")])._workflow_write(
            {"state": "suspended"}
        )


@tagged("post_install", "-at_install")
class TestProbeCronBatches(CronProgressMixin, TenantCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", PORT), HealthHandler)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls._only_these_run()
        cls.environments = cls.env["tenant.environment"]._workflow_create(
            [
                {
                    "tenant_id": cls.tenant_a.id,
                    "database_name": cls.unique_name(),
                    "url": f"http://127.0.0.1:{PORT}",
                    "plan_id": cls.plan.id,
                    "state": "active",
                }
                for _i in range(5)
            ]
        )

    def _samples(self):
        return self.env["tenant.uptime.sample"].search_count(
            [("environment_id", "in", self.environments.ids)]
        )

    def test_one_batch_per_call_until_nothing_remains(self):
        HealthHandler.healthy = True
        self.assertEqual(self._call("_cron_probe", now=NOW, batch_size=2), (2, (2, 3)))
        self.assertEqual(self._call("_cron_probe", now=NOW, batch_size=2), (2, (2, 1)))
        self.assertEqual(self._call("_cron_probe", now=NOW, batch_size=2), (1, (1, 0)))
        self.assertEqual(self._samples(), 5)
        self.assertEqual(set(self.environments.mapped("health_state")), {"up"})
        # run twice: nothing is probed again within the interval
        self.assertEqual(self._call("_cron_probe", now=NOW + timedelta(seconds=60)), (0, (0, 0)))
        self.assertEqual(self._samples(), 5)
        # the next run, five minutes later, probes them all again
        self.assertEqual(self._call("_cron_probe", now=NOW + timedelta(minutes=5)), (5, (5, 0)))
        self.assertEqual(self._samples(), 10)

    def test_parallel_slices_share_the_environments(self):
        """With three parallel slices, each call probes the environments of its slice only and
        reports its slice's remaining; the three together probe each environment once."""
        HealthHandler.healthy = True
        self.env["ir.config_parameter"].sudo().set_param("partner_channel.batch_slices", 3)
        probed = {}
        for slice_index in (1, 0, 2):
            mine = self.environments.filtered(lambda env, k=slice_index: env.id % 3 == k)
            before = self._samples()
            self.assertEqual(
                self._call("_cron_probe", now=NOW, slice_index=slice_index),
                (len(mine), (len(mine), 0)),
            )
            probed[slice_index] = self.environments.filtered(
                lambda env: env.last_probe_at == NOW
            ) - sum(probed.values(), self.env["tenant.environment"])
            self.assertEqual(probed[slice_index], mine)
            self.assertEqual(self._samples() - before, len(mine))
        self.assertEqual(self._samples(), 5, "each environment probed once")


@tagged("post_install", "-at_install")
class TestBackupCronBatches(CronProgressMixin, LocalDatabaseCase):
    """Real databases: production and development of tenant A are provisioned and backed up
    by the scheduled action one batch at a time; a third environment without a database fails."""

    def test_one_batch_per_call_failures_recorded_nothing_twice(self):
        # the backups are stamped with the clock, the cron is given the same reference
        with freeze_time(NOW) as frozen:
            self._only_these_run()
            development = self.env["tenant.environment"].create(
                {
                    "tenant_id": self.tenant_a.id,
                    "stage": "development",
                    "database_name": f"{self.prefix}_dev",
                    "template_database": self.template,
                    "plan_id": self.plan.id,
                }
            )
            self.tenant_a.with_user(self.manager).action_provision()
            self.assertEqual((self.production | development).mapped("state"), ["active", "active"])
            missing = self.env["tenant.environment"]._workflow_create(
                {
                    "tenant_id": self.tenant_b.id,
                    "database_name": f"{self.prefix}_gone",
                    "plan_id": self.plan.id,
                    "state": "active",
                }
            )
            self.assertEqual(self._call("_cron_backup", now=NOW, batch_size=2), (2, (2, 1)))
            self.assertEqual(self._call("_cron_backup", now=NOW, batch_size=2), (1, (1, 0)))
            # safe to run twice: nothing is due any more, not even the failure (retried next hour)
            self.assertEqual(self._call("_cron_backup", now=NOW, batch_size=2), (0, (0, 0)))

            for env in self.production | development:
                self.assertEqual(env.backup_ids.mapped("state"), ["done"], env.name)
                self.assertEqual(env.backup_ids.kind, "scheduled")
                # Gold policy: every 24 h, taken by the run that comes up to 5 minutes early
                self.assertEqual(env.next_backup_at, NOW + timedelta(hours=24, minutes=-5))
            self.assertEqual(missing.backup_ids.mapped("state"), ["failed"])
            self.assertIn("does not exist", missing.backup_ids.error_message)
            self.assertEqual(missing.next_backup_at, NOW + timedelta(minutes=57))

            # an hour later only the failed one is tried again; a day later all three are due
            frozen.move_to(NOW + timedelta(hours=1))
            self.assertEqual(self._call("_cron_backup", now=NOW + timedelta(hours=1)), (1, (1, 0)))
            self.assertEqual(len(missing.backup_ids), 2)
            frozen.move_to(NOW + timedelta(days=1))
            self.assertEqual(self._call("_cron_backup", now=NOW + timedelta(days=1)), (3, (3, 0)))
            self.assertEqual(len(self.production.backup_ids), 2)


@tagged("post_install", "-at_install")
class TestTwoCronWorkers(TenantCase):
    """Two workers (two real database connections) never take the same environment: each
    batch is taken with FOR UPDATE SKIP LOCKED. Runs on environments committed before the test
    (the demo data), the only ones a second connection can see."""

    def test_a_second_worker_skips_what_the_first_one_holds(self):
        demo = self.env["ir.model.data"].search(
            [("model", "=", "tenant.environment"), ("module", "=", "white_label_tenant")]
        )
        ids = (
            self.env["tenant.environment"]
            .browse(demo.mapped("res_id"))
            .filtered(lambda e: e.state == "active")
            .ids
        )
        if len(ids) < 2:
            self.skipTest("needs two environments committed before the test (demo data)")
        where = SQL("id = ANY(%s)", ids)
        first = self.env["tenant.environment.batch"]._lock_due(where, 1)
        self.assertEqual(len(first), 1)
        with self.registry.cursor() as cr:
            cr.execute("SET LOCAL lock_timeout = '5s'")  # a worker that waited would fail here
            other_env = api.Environment(cr, SUPERUSER_ID, {})
            second = other_env["tenant.environment.batch"]._lock_due(where, len(ids))
            taken = set(second.ids)
            cr.rollback()
        self.assertNotIn(first.id, taken, "the second worker took a locked environment")
        self.assertEqual(taken, set(ids) - set(first.ids), "it takes all the others")
