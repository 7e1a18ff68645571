from datetime import datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TenantCase

NOW = datetime(2026, 3, 10, 12, 0)


@tagged("post_install", "-at_install")
class TestLatencyBaseline(TenantCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dedicated = cls.env["tenant.environment"]._workflow_create(
            {
                "tenant_id": cls.tenant_a.id,
                "database_name": cls.unique_name("_lat"),
                "plan_id": cls.plan.id,
                "state": "active",
            }
        )

    def _probe(self, minutes_ago, latency, ok=True):
        self.env["tenant.uptime.sample"].create(
            {
                "environment_id": self.dedicated.id,
                "probed_at": NOW - timedelta(minutes=minutes_ago),
                "ok": ok,
                "latency_ms": latency,
            }
        )

    def test_sustained_degradation_flags_once_and_clears(self):
        """Two days of hourly probes: 100 ms, every fourth 140 ms -> median 100, p95 140. One
        slow probe flags nothing; three in a row above 2 x 100 do (a failed one in between
        is the uptime's business and is skipped); a fast one clears."""
        for hour in range(1, 49):
            self._probe(60 * hour, 140.0 if hour % 4 == 0 else 100.0)
        self._probe(30, 450.0)
        self.dedicated._latency_check(NOW)
        self.assertEqual(self.dedicated.latency_baseline_ms, 100.0)
        self.assertEqual(self.dedicated.latency_p95_ms, 140.0)
        self.assertEqual(self.dedicated.latency_baseline_at, NOW)
        self.assertFalse(self.dedicated.latency_degraded)

        self._probe(20, 320.0)
        self._probe(15, 2000.0, ok=False)
        self._probe(10, 210.0)
        self.dedicated._latency_check(NOW)
        self.assertTrue(self.dedicated.latency_degraded)
        self.assertEqual(self.dedicated.latency_degraded_since, NOW)
        self.assertTrue(self.tenant_a.latency_degraded)
        self.assertIn(
            self.tenant_a,
            self.env["tenant.tenant"].search([("latency_degraded", "=", True)]),
        )
        flagged = self.dedicated.message_ids.filtered(
            lambda m: "Latency degraded" in (m.body or "")
        )
        self.assertEqual(len(flagged), 1)
        self.dedicated._latency_check(NOW)  # still degraded: no second message
        self.assertEqual(
            len(
                self.dedicated.message_ids.filtered(lambda m: "Latency degraded" in (m.body or ""))
            ),
            1,
        )
        # the baseline is kept for a day: the slow probes do not move it yet
        self.assertEqual(self.dedicated.latency_baseline_at, NOW)

        self._probe(0, 105.0)
        self.dedicated._latency_check(NOW)
        self.assertFalse(self.dedicated.latency_degraded)
        self.assertFalse(self.tenant_a.latency_degraded)
        self.assertTrue(
            self.dedicated.message_ids.filtered(lambda m: "back to normal" in (m.body or ""))
        )

    def test_no_baseline_without_enough_probes_and_fields_guarded(self):
        for minutes in (5, 10, 15):
            self._probe(minutes, 900.0)
        self.dedicated._latency_check(NOW)
        self.assertEqual(self.dedicated.latency_baseline_ms, 0.0)
        self.assertFalse(self.dedicated.latency_degraded)
        with self.assertRaises(AccessError):
            self.dedicated.with_user(self.manager).write({"latency_degraded": True})

    def test_invalid_settings_name_the_parameter(self):
        self.env["ir.config_parameter"].set_param(
            "white_label_tenant.latency_degraded_factor", "0.5"
        )
        with self.assertRaisesRegex(Exception, "latency_degraded_factor"):
            self.dedicated._latency_check(NOW)
