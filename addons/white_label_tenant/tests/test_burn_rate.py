from datetime import datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TenantCase

NOW = datetime(2026, 3, 10, 12, 0)


@tagged("post_install", "-at_install")
class TestBurnRateAlerts(TenantCase):
    """SLO 99.9 % (the budget: 0.1 % of probes may fail), probes every five minutes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Environment = cls.env["tenant.environment"]
        cls.prod = Environment._workflow_create(
            {
                "tenant_id": cls.tenant_a.id,
                "database_name": cls.unique_name("_burn"),
                "url": "http://127.0.0.1:9",
                "plan_id": cls.plan.id,
                "state": "active",
            }
        )
        cls.quiet = Environment._workflow_create(
            {
                "tenant_id": cls.tenant_b.id,
                "database_name": cls.unique_name("_quiet"),
                "plan_id": cls.plan.id,
                "state": "active",
            }
        )
        cls.page_fast = cls.env.ref("white_label_tenant.slo_alert_rule_page_fast")
        cls.ticket = cls.env.ref("white_label_tenant.slo_alert_rule_ticket")

    def _samples(self, env, end, count, bad_minutes_ago=()):
        """``count`` probes every 5 minutes ending at ``end``; those ``bad_minutes_ago`` failed."""
        self.env["tenant.uptime.sample"].create(
            [
                {
                    "environment_id": env.id,
                    "probed_at": end - timedelta(minutes=5 * i),
                    "ok": 5 * i not in bad_minutes_ago,
                    "latency_ms": 100.0,
                }
                for i in range(count)
            ]
        )

    def _incidents(self, env):
        return self.env["tenant.incident"].search([("environment_id", "=", env.id)])

    def test_two_bad_probes_of_the_hour_page(self):
        """2 of the hour's 12 probes failed, the last one too: burn rate (2/12)/0.001 = 166.7
        over 1 h and 1/1 over 5 min, both above 14.4: one critical availability incident."""
        self._samples(self.prod, NOW, 12, bad_minutes_ago=(0, 20))
        (self.prod | self.quiet)._burn_rate_check(NOW)
        incident = self._incidents(self.prod)
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.category, "availability")
        self.assertEqual(incident.source, "burn_rate")
        self.assertEqual(incident.priority, "1")
        self.assertEqual(incident.slo_alert_rule_id, self.page_fast)
        self.assertAlmostEqual(incident.slo_burn_rate, 166.67, places=1)
        self.assertEqual(self.prod.slo_alert_rule_id, self.page_fast)
        self.assertAlmostEqual(self.prod.slo_burn_rate_1h, 166.67, places=1)
        self.assertFalse(self._incidents(self.quiet))
        self.assertEqual(self.quiet.slo_checked_at, NOW)
        # five minutes later, still burning: the same incident, no second message
        later = NOW + timedelta(minutes=5)
        self._samples(self.prod, later, 1, bad_minutes_ago=(0,))
        messages = len(incident.message_ids)
        self.prod._burn_rate_check(later)
        self.assertEqual(self._incidents(self.prod), incident)
        self.assertEqual(len(incident.message_ids), messages)

    def test_recovered_short_window_does_not_page(self):
        """The same two failures but the last probe (5 min window) succeeded: no page; the 6 h
        rule needs its 30 min window burning (2 of 6 = burn 333.3 > 6): it fires instead."""
        self._samples(self.prod, NOW, 12, bad_minutes_ago=(10, 20))
        self.prod._burn_rate_check(NOW)
        incident = self._incidents(self.prod)
        self.assertEqual(incident.slo_alert_rule_id.long_window_minutes, 360)
        self.assertEqual(incident.priority, "2")

    def test_ticket_then_page_raises_the_same_incident(self):
        """3 days of probes (864) with 2 failures 4 h ago: burn 2.3 over 3 days and 27.8 (2/72)
        over 6 h, but none in the last 30 min: the 1x ticket only (normal priority). Then the hour goes bad: the page raises the
        same incident to critical and says so on its chatter."""
        self._samples(self.prod, NOW, 864, bad_minutes_ago=(240, 245))
        self.prod._burn_rate_check(NOW)
        incident = self._incidents(self.prod)
        self.assertEqual(incident.slo_alert_rule_id, self.ticket)
        self.assertEqual(incident.priority, "3")
        self.assertAlmostEqual(incident.slo_burn_rate, 2.31, places=2)
        later = NOW + timedelta(minutes=10)
        self._samples(self.prod, later, 2, bad_minutes_ago=(0, 5))
        self.prod._burn_rate_check(later)
        self.assertEqual(self._incidents(self.prod), incident)
        self.assertEqual(incident.slo_alert_rule_id, self.page_fast)
        self.assertEqual(incident.priority, "1")
        self.assertTrue(incident.message_ids.filtered(lambda m: "Fast burn" in (m.body or "")))

    def test_cron_checks_each_environment_once_per_run_and_rules_are_guarded(self):
        self._samples(self.prod, NOW, 12, bad_minutes_ago=(0, 20))
        Environment = self.env["tenant.environment"]
        self.assertGreaterEqual(Environment._cron_slo_watch(now=NOW), 2)
        self.assertEqual(Environment._cron_slo_watch(now=NOW), 0)  # high-water mark
        self.assertEqual(len(self._incidents(self.prod)), 1)
        with self.assertRaises(AccessError):
            self.prod.with_user(self.manager).write({"slo_alert_rule_id": False})

    def test_one_grouped_query_whatever_the_number_of_environments(self):
        self._samples(self.prod, NOW, 12)
        self._samples(self.quiet, NOW, 12)
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.prod._slo_window_counts(NOW, [5, 60])
        with self.assertQueryCount(1):
            counts = (self.prod | self.quiet)._slo_window_counts(NOW, [5, 60])
        self.assertEqual(counts[self.quiet.id], {5: (0, 1), 60: (0, 12)})

    def test_open_probe_incident_is_raised_not_duplicated(self):
        """The probe opened an outage incident (normal priority here); the page raises it."""
        probe_incident = self.env["tenant.incident"].create(
            {
                "tenant_id": self.tenant_a.id,
                "environment_id": self.prod.id,
                "source": "probe",
                "category": "availability",
                "priority": "3",
                "subject": "down",
                "opened_at": NOW - timedelta(minutes=15),
            }
        )
        self._samples(self.prod, NOW, 12, bad_minutes_ago=(0, 5, 10))
        self.prod._burn_rate_check(NOW)
        self.assertEqual(self._incidents(self.prod), probe_incident)
        self.assertEqual(probe_incident.slo_alert_rule_id, self.page_fast)
        self.assertEqual(probe_incident.priority, "1")
