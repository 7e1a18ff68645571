import threading
from datetime import datetime
from http.server import ThreadingHTTPServer

from odoo.tests import freeze_time, tagged

from .common import TenantCase
from .test_probe import HealthHandler

PORT = 18321
# Monday 7 December 2026, 10:00 in Brussels: half of a priority-2 response target (2 business
# hours from 09:00) is used, every incident opened at 09:00 raises its first warning
MONDAY_9 = datetime(2026, 12, 7, 8, 0)
MONDAY_10 = datetime(2026, 12, 7, 9, 0)


class FlatQueryCountMixin:
    """Query counts that survive Odoo patch releases: the same count at n and 3n records (the
    batch path costs nothing per record) under a generous ceiling, not an exact pin."""

    def count_queries(self, func):
        self.env.flush_all()
        before = self.cr.sql_log_count
        result = func()
        self.env.flush_all()
        return self.cr.sql_log_count - before, result

    def assertQueriesFlat(self, counts, ceiling):
        self.assertEqual(len(set(counts.values())), 1, f"queries grow with records: {counts}")
        self.assertLessEqual(max(counts.values()), ceiling, f"too many queries: {counts}")


@tagged("post_install", "-at_install", "is_query_count")
class TestBatchQueryCounts(FlatQueryCountMixin, TenantCase):
    """The scheduled actions cost a fixed number of queries, not a number per record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", PORT), HealthHandler)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        # only the environments of this test are probed by the cron
        cls.env["tenant.environment"].search([("state", "=", "active")])._workflow_write(
            {"state": "suspended"}
        )

    def _environments(self, count, healthy_url=True):
        url = f"http://127.0.0.1:{PORT}" if healthy_url else "http://127.0.0.1:18398"
        return self.env["tenant.environment"]._workflow_create(
            [
                {
                    "tenant_id": (self.tenant_a, self.tenant_b)[i % 2].id,
                    "database_name": self.unique_name(),
                    "url": url,
                    "plan_id": self.plan.id,
                    "state": "active",
                }
                for i in range(count)
            ]
        )

    def test_probe_cron_queries_do_not_grow_with_environments(self):
        Environment = self.env["tenant.environment"]
        # warm the caches with one environment
        previous = self._environments(1)
        Environment._cron_probe(now=datetime(2026, 12, 1, 9, 0))
        queries = {}
        for count in (2, 6):
            previous._workflow_write({"state": "suspended"})
            envs = self._environments(count // 2) | self._environments(count // 2, False)
            queries[count], done = self.count_queries(
                lambda c=count: Environment._cron_probe(now=datetime(2026, 12, 1, 10, c))
            )
            self.assertEqual(done, count)
            self.assertEqual(set(envs.mapped("health_state")), {"up", "down"})
            self.assertEqual(
                self.env["tenant.uptime.sample"].search_count([("environment_id", "in", envs.ids)]),
                count,
            )
            previous = envs
        self.assertQueriesFlat(queries, ceiling=20)

    def _open_incidents(self, count):
        return self.env["tenant.incident"].create(
            [
                {
                    "tenant_id": (self.tenant_a, self.tenant_b)[i % 2].id,
                    "subject": f"Batch {i}",
                    "priority": "2",
                    "opened_at": MONDAY_9,
                }
                for i in range(count)
            ]
        )

    @freeze_time(MONDAY_9)  # the incidents are created (and their clocks started) at opening
    def test_sla_scan_queries_do_not_grow_with_incidents(self):
        Incident = self.env["tenant.incident"]
        # warm the caches with one incident
        self._open_incidents(1)
        Incident._cron_sla_scan(now=MONDAY_10)
        queries = {}
        for count in (2, 6):
            incidents = self._open_incidents(count)
            queries[count], done = self.count_queries(
                lambda: Incident._cron_sla_scan(now=MONDAY_10)
            )
            self.assertEqual(done, count)
            # every clock moved: first warning, one activity each for the responsible
            self.assertEqual(set(incidents.mapped("response_status")), {"warning"})
            activities = self.env["mail.activity"].search(
                [("res_model", "=", "tenant.incident"), ("res_id", "in", incidents.ids)]
            )
            self.assertEqual(len(activities), count)
        self.assertQueriesFlat(queries, ceiling=60)

    @freeze_time(MONDAY_9)
    def test_sla_scan_takes_one_bounded_batch_per_call(self):
        """A backlog (e.g. after an outage) is spread over calls of at most ``batch_size``
        incidents, each reporting what remains, so no call holds a long transaction; an incident
        that fails is recorded and left for the next regular run instead of being retried by
        every call."""
        Incident = self.env["tenant.incident"]
        Incident._cron_sla_scan(now=MONDAY_10)  # whatever the demo left due
        incidents = self._open_incidents(5)
        broken = incidents[0]
        # an incident whose clock cannot be evaluated (fault injected in the suite's own method)
        refresh = type(Incident)._sla_refresh

        def failing(records, now, notify=True, schedules=None):
            if broken in records:
                raise ValueError("the calendar of this SLA version is gone")
            return refresh(records, now, notify=notify, schedules=schedules)

        self.patch(type(Incident), "_sla_refresh", failing)
        progress = []
        self.patch(
            type(self.env["ir.cron"]),
            "_notify_progress",
            lambda cron, *, done, remaining, deactivate=False: progress.append((done, remaining)),
        )
        with self.assertLogs(
            "odoo.addons.white_label_tenant.models.tenant_incident_sla", level="ERROR"
        ) as logged:
            self.assertEqual(Incident._cron_sla_scan(now=MONDAY_10, batch_size=2), 2)
        self.assertIn("retrying incident by incident", logged.output[0])
        self.assertEqual(Incident._cron_sla_scan(now=MONDAY_10, batch_size=2), 2)
        self.assertEqual(Incident._cron_sla_scan(now=MONDAY_10, batch_size=2), 1)
        self.assertEqual(Incident._cron_sla_scan(now=MONDAY_10, batch_size=2), 0)
        self.assertEqual(progress, [(2, 3), (2, 1), (1, 0), (0, 0)])
        self.assertEqual(set((incidents - broken).mapped("response_status")), {"warning"})
        self.assertTrue(broken.sla_error)
        self.assertGreater(broken.sla_next_check_at, MONDAY_10)

    @freeze_time(MONDAY_9)
    def test_sla_scan_in_parallel_slices(self):
        """With two parallel slices, each call moves the clocks of its slice's incidents only
        (odd or even id) and reports its slice's remaining; together they move every one once."""
        Incident = self.env["tenant.incident"]
        Incident._cron_sla_scan(now=MONDAY_10)  # whatever the demo left due
        incidents = self._open_incidents(5)
        self.env["ir.config_parameter"].sudo().set_param("partner_channel.batch_slices", 2)
        progress = []
        self.patch(
            type(self.env["ir.cron"]),
            "_notify_progress",
            lambda cron, *, done, remaining, deactivate=False: progress.append((done, remaining)),
        )
        odd = incidents.filtered(lambda incident: incident.id % 2)
        self.assertEqual(Incident._cron_sla_scan(now=MONDAY_10, slice_index=1), len(odd))
        self.assertEqual(progress, [(len(odd), 0)])
        self.assertEqual(
            incidents.filtered(lambda incident: incident.response_status == "warning"), odd
        )
        self.assertEqual(Incident._cron_sla_scan(now=MONDAY_10, slice_index=0), 5 - len(odd))
        self.assertEqual(set(incidents.mapped("response_status")), {"warning"})
        self.assertEqual(Incident._cron_sla_scan(now=MONDAY_10, slice_index=1), 0)
        self.assertEqual(Incident._cron_sla_scan(now=MONDAY_10, slice_index=0), 0)
