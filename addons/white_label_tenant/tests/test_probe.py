import socket
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.tests import tagged

from .common import TenantCase

PORT = 18320
HANGING_PORT = 18321


class HealthHandler(BaseHTTPRequestHandler):
    healthy = True

    def do_GET(self):
        ok = self.path == "/web/health" and type(self).healthy
        self.send_response(200 if ok else 503)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status": "pass"}' if ok else b'{"status": "fail"}')

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestHealthProbes(TenantCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = ThreadingHTTPServer(("127.0.0.1", PORT), HealthHandler)
        thread = threading.Thread(target=cls.server.serve_forever, daemon=True)
        thread.start()
        cls.addClassCleanup(cls.server.server_close)
        cls.addClassCleanup(cls.server.shutdown)
        cls.env["ir.config_parameter"].set_param("white_label_tenant.probe_failure_threshold", 3)
        cls.env["ir.config_parameter"].set_param("white_label_tenant.probe_timeout", 2)
        Environment = cls.env["tenant.environment"]
        cls.up_env = Environment._workflow_create(
            {
                "tenant_id": cls.tenant_a.id,
                "database_name": cls.unique_name("_probe"),
                "url": f"http://127.0.0.1:{PORT}",
                "plan_id": cls.plan.id,
                "state": "active",
            }
        )
        cls.dead_env = Environment._workflow_create(
            {
                "tenant_id": cls.tenant_b.id,
                "database_name": cls.unique_name("_dead"),
                "url": "http://127.0.0.1:18399",  # nothing listens there
                "plan_id": cls.plan.id,
                "state": "active",
            }
        )

    def setUp(self):
        super().setUp()
        HealthHandler.healthy = True

    def _probe_incidents(self, env):
        return self.env["tenant.incident"].search(
            [("environment_id", "=", env.id), ("source", "=", "probe")]
        )

    def test_incident_after_consecutive_failures_and_recovery(self):
        start = datetime(2026, 12, 1, 10, 0)
        envs = self.up_env | self.dead_env
        HealthHandler.healthy = False
        for minute in range(2):
            envs._probe(start + timedelta(minutes=5 * minute))
        self.assertEqual(self.up_env.consecutive_failures, 2)
        self.assertEqual(self.up_env.health_state, "down")
        self.assertFalse(self._probe_incidents(self.up_env), "opened before the threshold")
        envs._probe(start + timedelta(minutes=10))
        incident = self._probe_incidents(self.up_env)
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.priority, "1")
        self.assertTrue(incident.is_open)
        envs._probe(start + timedelta(minutes=15))  # still down: no second incident
        self.assertEqual(len(self._probe_incidents(self.up_env)), 1)

        HealthHandler.healthy = True
        envs._probe(start + timedelta(minutes=20))
        self.assertEqual(self.up_env.health_state, "up")
        self.assertEqual(self.up_env.consecutive_failures, 0)
        self.assertEqual(incident.state, "resolved")
        # the unreachable one stays down with its incident open
        self.assertEqual(self.dead_env.consecutive_failures, 5)
        self.assertTrue(self._probe_incidents(self.dead_env).is_open)

        samples = self.env["tenant.uptime.sample"].search([("environment_id", "=", self.up_env.id)])
        self.assertEqual(len(samples), 5)
        self.assertEqual(sorted(samples.mapped("status_code")), [200, 503, 503, 503, 503])
        figures = self.env["tenant.operations"]._get_figures(
            start.date(), start.date(), "tenant_id", [self.tenant_a.id, self.tenant_b.id]
        )
        self.assertAlmostEqual(figures[self.tenant_a.id]["uptime"], 0.2)
        self.assertAlmostEqual(figures[self.tenant_b.id]["uptime"], 0.0)
        # 80% failures against a 0.1% budget: burning 800 times too fast
        self.assertAlmostEqual(figures[self.tenant_a.id]["burn_rate"], 800.0)
        by_partner = self.env["tenant.operations"]._get_figures(
            start.date(), start.date(), "partner_id", [self.partner_a.id]
        )
        self.assertEqual(set(by_partner), {self.partner_a.id})

    def test_cron_probes_running_environments_only(self):
        self.dead_env._workflow_write({"state": "suspended"})
        done = self.env["tenant.environment"]._cron_probe(now=datetime(2026, 12, 1, 11, 0))
        self.assertGreaterEqual(done, 1)
        self.assertEqual(self.up_env.health_state, "up")
        self.assertEqual(self.dead_env.health_state, "unknown")

    def test_hanging_endpoint_is_a_failure_at_the_timeout(self):
        """An environment that accepts the connection and never answers is recorded down once
        the timeout has passed, not when (if ever) it answers."""
        listener = socket.create_server(("127.0.0.1", HANGING_PORT))  # never accepts nor answers
        self.addCleanup(listener.close)
        hanging = self.env["tenant.environment"]._workflow_create(
            {
                "tenant_id": self.tenant_a.id,
                "database_name": self.unique_name("_hang"),
                "url": f"http://127.0.0.1:{HANGING_PORT}",
                "plan_id": self.plan.id,
                "state": "active",
            }
        )
        self.env["ir.config_parameter"].set_param("white_label_tenant.probe_timeout", 1)
        started = time.monotonic()
        hanging._probe(datetime(2026, 12, 1, 10, 0))
        elapsed = time.monotonic() - started
        sample = self.env["tenant.uptime.sample"].search([("environment_id", "=", hanging.id)])
        self.assertFalse(sample.ok)
        self.assertTrue(sample.error)
        self.assertGreaterEqual(sample.latency_ms, 1000)
        self.assertLess(sample.latency_ms, 1500)
        self.assertLess(elapsed, 2.5)
        self.assertEqual((hanging.health_state, hanging.consecutive_failures), ("down", 1))
