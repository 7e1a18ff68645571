from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import TenantCase

# Brussels is UTC+1 until 29 March 2026: local 16:30 is 15:30 UTC
FRIDAY_1630_LOCAL = datetime(2026, 3, 6, 15, 30)


@tagged("post_install", "-at_install")
class TestEscalationChain(TenantCase):
    """A 9-17 calendar (Brussels); the chain: responsible after 30 business minutes, team lead
    after 2 business hours, partner contact after 4, duty manager after 8."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead = new_test_user(
            cls.env,
            login="wlt_team_lead",
            groups="partner_scorecard.group_channel_user",
            email="lead@example.com",
        )
        cls.partner_a.email = "ops@alpha.example.com"
        cls.office = cls.env["resource.calendar"].create(
            {
                "name": "Brussels 9-17",
                "tz": "Europe/Brussels",
                "attendance_ids": [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {d}",
                            "dayofweek": str(d),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "morning",
                        },
                    )
                    for d in range(5)
                ],
            }
        )
        cls.escalating = cls.env["tenant.sla.policy"].create(
            {"name": "Escalating", "escalation_team_lead_id": cls.lead.id}
        )
        cls.chain_version = cls.env["tenant.sla.policy.version"].create(
            {
                "policy_id": cls.escalating.id,
                "effective_from": "2026-01-01 00:00:00",
                "calendar_id": cls.office.id,
                "target_ids": [
                    (0, 0, {"priority": "2", "response_hours": 8, "resolution_hours": 40}),
                ],
                "escalation_level_ids": [
                    (0, 0, {"sequence": 1, "after_minutes": 30, "recipient_kind": "responsible"}),
                    (0, 0, {"sequence": 2, "after_minutes": 120, "recipient_kind": "team_lead"}),
                    (
                        0,
                        0,
                        {"sequence": 3, "after_minutes": 240, "recipient_kind": "partner_contact"},
                    ),
                    (0, 0, {"sequence": 4, "after_minutes": 480, "recipient_kind": "duty_manager"}),
                ],
            }
        )
        cls.chain_version.action_activate()
        cls.tenant_a.sla_policy_id = cls.escalating

    def _open(self, opened=FRIDAY_1630_LOCAL):
        return self.env["tenant.incident"].create(
            {
                "tenant_id": self.tenant_a.id,
                "subject": "Orders cannot be confirmed",
                "priority": "2",
                "opened_at": opened,
            }
        )

    def _scan(self, now):
        return self.env["tenant.incident"]._cron_escalation_scan(now=now)

    def test_friday_afternoon_incident_reaches_the_team_lead_monday_1030(self):
        """Opened Friday 16:30: 30 business minutes end Friday 17:00 (16:00 UTC); two business
        hours end Monday 10:30 local (09:30 UTC), half an hour on Friday and 1.5 on Monday."""
        incident = self._open()
        self._scan(datetime(2026, 3, 7, 12, 0))  # Saturday: the responsible only
        self.assertEqual(incident.escalation_ids.mapped("recipient_kind"), ["responsible"])
        self.assertEqual(incident.escalation_ids.due_at, datetime(2026, 3, 6, 16, 0))
        self.assertEqual(incident.escalation_ids.user_id, self.manager)
        self.assertEqual(incident.escalation_next_at, datetime(2026, 3, 9, 9, 30))
        self.assertEqual(incident.escalation_level, 1)

        self._scan(datetime(2026, 3, 9, 9, 29, 59))  # a second before: nothing new
        self.assertEqual(len(incident.escalation_ids), 1)

        self._scan(datetime(2026, 3, 9, 9, 30))
        lead_notice = incident.escalation_ids.filtered(lambda e: e.recipient_kind == "team_lead")
        self.assertEqual(lead_notice.due_at, datetime(2026, 3, 9, 9, 30))
        self.assertEqual(lead_notice.user_id, self.lead)
        self.assertEqual(incident.escalation_level, 2)
        self.assertEqual(incident.escalation_next_at, datetime(2026, 3, 9, 11, 30))
        note = incident.message_ids.filtered(lambda m: "Team Lead" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn(self.lead.partner_id, note.partner_ids)
        self.assertTrue(
            incident.activity_ids.filtered(
                lambda a: a.user_id == self.lead and "Escalation" in a.summary
            )
        )

        # the same instant again, and a second worker's scan: each level stays notified once
        self._scan(datetime(2026, 3, 9, 9, 30))
        self.assertEqual(len(incident.escalation_ids), 2)
        self.assertEqual(
            len(incident.message_ids.filtered(lambda m: "Team Lead" in (m.body or ""))), 1
        )

    def test_partner_contact_and_missing_duty_manager(self):
        """Monday 16:30 local (15:30 UTC): 8 business hours; the partner is mailed, the duty
        manager is not set on the policy: recorded as nobody set, said on the chatter."""
        incident = self._open()
        self._scan(datetime(2026, 3, 9, 15, 30))
        self.assertEqual(
            incident.escalation_ids.mapped("recipient_kind"),
            ["responsible", "team_lead", "partner_contact", "duty_manager"],
        )
        partner_notice = incident.escalation_ids.filtered(
            lambda e: e.recipient_kind == "partner_contact"
        )
        self.assertEqual(partner_notice.recipient_partner_id, self.partner_a)
        self.assertFalse(partner_notice.user_id)
        duty = incident.escalation_ids.filtered(lambda e: e.recipient_kind == "duty_manager")
        self.assertTrue(duty.missing_recipient)
        self.assertTrue(incident.message_ids.filtered(lambda m: "nobody is set" in (m.body or "")))
        self.assertTrue(incident.escalation_done)
        self.assertFalse(incident.escalation_next_at)
        # done: the scan does not look at it again
        self.assertEqual(self._scan(datetime(2026, 3, 20)), 0)

    def test_resolved_incident_stops_the_chain_and_insert_is_idempotent(self):
        incident = self._open()
        self._scan(datetime(2026, 3, 7, 12, 0))
        incident.action_resolve()
        self._scan(datetime(2026, 3, 12, 12, 0))
        self.assertEqual(len(incident.escalation_ids), 1)
        # a row another worker inserted already comes back empty (ON CONFLICT DO NOTHING)
        level = incident.escalation_ids.level_id
        row = (incident.id, level.id, 1, "responsible", None, None, FRIDAY_1630_LOCAL, None, True)
        self.assertFalse(incident._escalation_insert([row], datetime(2026, 3, 12)))

    def test_chain_is_part_of_the_version_terms(self):
        with self.assertRaisesRegex(UserError, "not a draft"):
            self.env["tenant.escalation.level"].create(
                {
                    "version_id": self.chain_version.id,
                    "after_minutes": 60,
                    "recipient_kind": "duty_manager",
                }
            )
        with self.assertRaisesRegex(UserError, "not a draft"):
            self.chain_version.escalation_level_ids[:1].after_minutes = 5
        action = self.chain_version.action_new_version()
        copy = self.env["tenant.sla.policy.version"].browse(action["res_id"])
        self.assertEqual(copy.escalation_level_ids.mapped("after_minutes"), [30, 120, 240, 480])
        with self.assertRaisesRegex(ValidationError, "After \\(business minutes\\)"):
            copy.escalation_level_ids[:1].after_minutes = -10

    def test_scan_queries_do_not_grow_with_the_incidents(self):
        """Planning only (nothing due yet: opened Monday 10:00 local, scanned at 10:10): the
        same number of queries for 2 incidents as for 6."""
        monday_10 = datetime(2026, 3, 9, 9, 0)
        self._scan(datetime(2026, 3, 9, 9, 10))  # plans the incidents the database had already
        counts = []
        for size in (2, 6):
            incidents = self.env["tenant.incident"]
            for _i in range(size):
                incidents |= self._open(monday_10)
            self.env.cr.flush()  # the creations' and last round's tracking too
            before = self.env.cr.sql_log_count
            self._scan(datetime(2026, 3, 9, 9, 10))
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(
                set(incidents.mapped("escalation_next_at")), {datetime(2026, 3, 9, 9, 30)}
            )
            self.assertFalse(incidents.escalation_ids)
            incidents.action_resolve()
        self.assertEqual(counts[0], counts[1])

    def test_engine_fields_are_guarded(self):
        incident = self._open()
        with self.assertRaises(AccessError):
            incident.with_user(self.manager).write({"escalation_level": 4})
        with self.assertRaises(AccessError):
            incident.with_user(self.manager).write({"escalation_done": True})


@tagged("post_install", "-at_install")
class TestEscalationDemo(TenantCase):
    def test_demo_incident_climbed_three_levels(self):
        """Gold v2's chain: Harbor's critical incident notified its responsible, the team lead
        and the partner, then was resolved before the duty manager's 8 business hours."""
        harbor = self.env.ref("white_label_tenant.demo_env_harbor_prod", raise_if_not_found=False)
        escalated = self.env["tenant.incident"].search(
            [("environment_id", "=", harbor.id if harbor else 0), ("escalation_level", ">", 0)]
        )
        if not escalated:
            self.skipTest("the demo data of white_label_tenant was not installed with this code")
        self.assertEqual(
            escalated.escalation_ids.mapped("recipient_kind"),
            ["responsible", "team_lead", "partner_contact"],
        )
        self.assertEqual(escalated.state, "resolved")
        self.assertEqual(len(escalated.sla_version_id.escalation_level_ids), 4)
        costa = self.env.ref("white_label_tenant.demo_env_costa_prod")
        self.assertTrue(costa.latency_degraded)
        self.assertTrue(costa.tenant_id.latency_degraded)
