from datetime import datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import TenantCase

# Monday 7 December 2026, 09:00 in Brussels (UTC+1)
MONDAY_9 = datetime(2026, 12, 7, 8, 0)


@tagged("post_install", "-at_install")
# the incidents open "now": every clock starts from the fixture's Monday, whatever the real date
@freeze_time(MONDAY_9)
class TestSla(TenantCase):
    def _incident(self, **vals):
        return self.env["tenant.incident"].create(
            {
                "tenant_id": self.tenant_a.id,
                "subject": "Invoices fail",
                "priority": "2",
                "opened_at": MONDAY_9,
                **vals,
            }
        )

    def _activities(self, incident):
        return self.env["mail.activity"].search(
            [("res_model", "=", "tenant.incident"), ("res_id", "=", incident.id)]
        )

    def test_targets_and_deadlines_in_business_hours(self):
        incident = self._incident()
        self.assertEqual(incident.sla_version_id, self.version)
        self.assertEqual((incident.response_target_hours, incident.resolution_target_hours), (2, 8))
        # 2 business hours from 09:00 local: 11:00 local; 8 hours: 09-12 + 13-17 = 7 h, so
        # Tuesday 10:00 local
        self.assertEqual(incident.response_deadline, datetime(2026, 12, 7, 10, 0))
        self.assertEqual(incident.resolution_deadline, datetime(2026, 12, 8, 9, 0))

    def test_warnings_then_breach_notify_once_each(self):
        incident = self._incident()
        Incident = self.env["tenant.incident"]
        # 10:00 local: 1 of 2 response hours -> first warning (50%)
        Incident._cron_sla_scan(now=datetime(2026, 12, 7, 9, 0))
        self.assertEqual(
            (incident.response_status, incident.response_warning_level), ("warning", 1)
        )
        self.assertEqual(len(self._activities(incident)), 1)
        # running again at the same time changes nothing and notifies nobody
        Incident._cron_sla_scan(now=datetime(2026, 12, 7, 9, 0))
        self.assertEqual(len(self._activities(incident)), 1)
        # 10:30 local: 75%
        Incident._cron_sla_scan(now=datetime(2026, 12, 7, 9, 30))
        self.assertEqual(incident.response_warning_level, 2)
        self.assertEqual(len(self._activities(incident)), 2)
        # 11:01 local: breached; the responsible gets an activity and a message
        Incident._cron_sla_scan(now=datetime(2026, 12, 7, 10, 1))
        self.assertEqual(incident.response_status, "breached")
        self.assertEqual(incident.sla_outcome, "breached")
        activities = self._activities(incident)
        self.assertEqual(len(activities), 3)
        self.assertEqual(activities.user_id, self.manager)
        digest = self.env["mail.mail"].search(
            [("email_to", "ilike", "manager@example.com"), ("body_html", "ilike", "SLA breached")]
        )
        self.assertEqual(len(digest), 1)
        Incident._cron_sla_scan(now=datetime(2026, 12, 7, 11, 0))
        self.assertEqual(len(self._activities(incident)), 3)

    def test_acknowledge_stops_response_and_resolution_is_met(self):
        incident = self._incident()
        with freeze_time("2026-12-07 08:30:00"):
            incident.action_acknowledge()
        self.assertEqual(incident.response_status, "met")
        with freeze_time("2026-12-07 14:00:00"):
            incident.action_resolve()
        self.assertEqual(incident.resolution_status, "met")
        self.assertEqual(incident.sla_outcome, "met")
        self.assertAlmostEqual(incident.time_to_resolve_hours, 6.0)

    def test_waiting_on_customer_pauses_resolution(self):
        incident = self._incident(priority="1")  # 4 business hours to resolve
        with freeze_time("2026-12-07 09:00:00"):  # 10:00 local
            incident.action_wait_customer()
        self.assertEqual(incident.resolution_status, "paused")
        # the customer answers on Tuesday 10:00 local: 7 business hours of waiting
        with freeze_time("2026-12-08 09:00:00"):
            incident.action_start()
        self.assertAlmostEqual(incident.paused_seconds, 7 * 3600)
        # 1 h ran before the pause, 3 h left from Tuesday 10:00 local: 14:00 local
        self.assertEqual(incident.resolution_deadline, datetime(2026, 12, 8, 13, 0))
        self.env["tenant.incident"]._cron_sla_scan(now=datetime(2026, 12, 8, 12, 0))
        self.assertEqual(incident.resolution_status, "warning")

    def test_public_holiday_moves_the_deadline(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Regional holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 12, 7, 23, 0),  # Tuesday 8th, local day
                "date_to": datetime(2026, 12, 8, 23, 0),
            }
        )
        incident = self._incident()
        self.assertEqual(incident.resolution_deadline, datetime(2026, 12, 9, 9, 0))

    def test_new_version_never_rewrites_old_incidents(self):
        old = self._incident()
        with self.assertRaises(UserError):
            self.version.uptime_slo = 99.0
        with self.assertRaises(UserError):
            self.version.target_ids[0].response_hours = 10
        action = self.version.action_new_version()
        v2 = self.env["tenant.sla.policy.version"].browse(action["res_id"])
        self.assertEqual(v2.version, 2)
        v2.write({"effective_from": datetime(2026, 12, 7, 12, 0)})
        v2.target_ids.filtered(lambda t: t.priority == "2").write(
            {"response_hours": 1, "resolution_hours": 2}
        )
        v2.action_activate()
        new = self._incident(opened_at=datetime(2026, 12, 7, 13, 0))
        self.assertEqual(new.sla_version_id, v2)
        self.assertEqual(new.resolution_target_hours, 2)
        old.invalidate_recordset()
        self.assertEqual(old.sla_version_id, self.version)
        self.assertEqual(old.resolution_target_hours, 8)
        # resolved after 6 business hours: met under v1 although v2 promises 2 h
        with freeze_time("2026-12-07 15:00:00"):
            old.action_resolve()
        self.assertEqual(old.resolution_status, "met")

    def test_policy_validation(self):
        Version = self.env["tenant.sla.policy.version"]
        with self.assertRaisesRegex(ValidationError, "Working Hours"):
            Version.create({"policy_id": self.policy.id, "business_hours": True})
        empty = Version.create({"policy_id": self.policy.id, "calendar_id": self.calendar.id})
        with self.assertRaisesRegex(UserError, "no targets"):
            empty.action_activate()
        with self.assertRaisesRegex(ValidationError, "Warning Thresholds"):
            empty.warning_thresholds = "50,abc"

    def test_incident_without_policy_has_no_clock(self):
        self.tenant_a.sla_policy_id = False
        incident = self._incident()
        self.assertEqual(incident.sla_outcome, "none")
        self.assertFalse(incident.resolution_deadline)
