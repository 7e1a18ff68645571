from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import TenantCase


@tagged("post_install", "-at_install")
class TestEscalationAndAlertRights(TenantCase):
    """Channel users read the chains, notices and burn-rate rules; managers configure them;
    portal users see none; another company's rule stays out of sight."""

    def test_rights_per_role(self):
        Rule = self.env["tenant.slo.alert.rule"]
        Level = self.env["tenant.escalation.level"]
        Notice = self.env["tenant.incident.escalation"]
        for model in (Rule, Level, Notice):
            model.with_user(self.channel_user).check_access("read")
            with self.assertRaises(AccessError):
                model.with_user(self.portal_a).check_access("read")
        with self.assertRaises(AccessError):
            Rule.with_user(self.channel_user).create(
                {"name": "Mine", "factor": 2, "long_window_minutes": 60, "short_window_minutes": 5}
            )
        with self.assertRaises(AccessError):
            Level.with_user(self.channel_user).check_access("create")
        with self.assertRaises(AccessError):
            Notice.with_user(self.manager).check_access("create")
        rule = Rule.with_user(self.manager).create(
            {
                "name": "Very fast burn",
                "factor": 36,
                "long_window_minutes": 30,
                "short_window_minutes": 3,
                "incident_priority": "1",
            }
        )
        rule.write({"factor": 30})
        draft = self.env["tenant.sla.policy.version"].create(
            {
                "policy_id": self.policy.id,
                "effective_from": "2027-01-01 00:00:00",
                "calendar_id": self.calendar.id,
            }
        )
        draft.with_user(self.manager).write(
            {"escalation_level_ids": [(0, 0, {"after_minutes": 60, "recipient_kind": "team_lead"})]}
        )
        self.assertEqual(len(draft.escalation_level_ids), 1)
        self.policy.with_user(self.manager).escalation_duty_manager_id = self.manager

    def test_other_company_rule_hidden(self):
        other = self.env["res.company"].create({"name": "Other Platform Co"})
        foreign = self.env["tenant.slo.alert.rule"].create(
            {
                "name": "Other company's rule",
                "factor": 3,
                "long_window_minutes": 120,
                "short_window_minutes": 10,
                "company_id": other.id,
            }
        )
        visible = self.env["tenant.slo.alert.rule"].with_user(self.channel_user).search([])
        self.assertNotIn(foreign, visible)
        self.assertIn(self.env.ref("white_label_tenant.slo_alert_rule_page_fast"), visible)

    def test_company_b_chain_and_notices_invisible_to_company_a(self):
        company_b = self.env["res.company"].create({"name": "Channel Ops B"})
        policy = self.env["tenant.sla.policy"].create(
            {"name": "B Gold", "company_id": company_b.id}
        )
        version = self.env["tenant.sla.policy.version"].create(
            {
                "policy_id": policy.id,
                "effective_from": "2026-01-01 00:00:00",
                "business_hours": False,
                "target_ids": [
                    (0, 0, {"priority": "2", "response_hours": 2, "resolution_hours": 8})
                ],
                "escalation_level_ids": [
                    (0, 0, {"after_minutes": 10, "recipient_kind": "partner_contact"})
                ],
            }
        )
        version.action_activate()
        tenant = self.env["tenant.tenant"].create(
            {
                "name": "Company B tenant",
                "partner_id": self.partner_b.id,
                "company_id": company_b.id,
                "sla_policy_id": policy.id,
            }
        )
        incident = self.env["tenant.incident"].create(
            {
                "tenant_id": tenant.id,
                "subject": "B only",
                "priority": "2",
                "opened_at": "2026-03-02 10:00:00",
            }
        )
        notice = incident._escalate(datetime(2026, 3, 2, 10, 10))
        self.assertEqual(notice.company_id, company_b)
        self.assertEqual(notice.recipient_partner_id, self.partner_b)
        for record in (version.escalation_level_ids, notice):
            with self.assertRaises(AccessError):
                record.with_user(self.manager).check_access("read")
            self.assertFalse(record.with_user(self.manager).search([("id", "in", record.ids)]))
