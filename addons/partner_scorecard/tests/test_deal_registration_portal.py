import re

from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged

from .common import ScorecardCase


@tagged("post_install", "-at_install")
class TestDealRegistrationPortal(HttpCase, ScorecardCase):
    """The partner submits and reads its registrations on the portal; protection refuses others."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_a = cls._make_partner("Reg Portal Alpha")
        cls.member_b = cls._make_partner("Reg Portal Beta")
        cls.portal_a = cls._portal_user("reg_alpha", cls.member_a.partner_id)
        cls.portal_b = cls._portal_user("reg_beta", cls.member_b.partner_id)
        cls.env["ir.config_parameter"].set_param(
            "partner_scorecard.registration_protection_days", "90"
        )

    @classmethod
    def _portal_user(cls, login, company):
        contact = cls.env["res.partner"].create({"name": login.title(), "parent_id": company.id})
        return new_test_user(
            cls.env, login=login, groups="base.group_portal", partner_id=contact.id
        )

    def _csrf(self, path):
        page = self.url_open(path)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _register(self, login, name, customer):
        self.authenticate(login, login)
        return self.url_open(
            "/my/deals/register",
            data={
                "csrf_token": self._csrf("/my/deals"),
                "name": name,
                "partner_name": customer,
                "expected_revenue": "30000",
            },
        )

    def _lead(self, name):
        return self.env["crm.lead"].search([("name", "=", name)])

    @freeze_time("2026-03-02 10:00:00")
    def test_submission_refused_during_another_partners_protection(self):
        self._register("reg_alpha", "Alpha harbour deal", "Harbour Logistics AS")
        alpha = self._lead("Alpha harbour deal")
        self.assertEqual(alpha.registration_state, "registered")
        alpha.with_user(self.manager).action_registration_approve()
        response = self._register("reg_beta", "Beta harbour deal", "harbour logistics")
        self.assertEqual(response.status_code, 200)
        self.assertIn("protected by another partner", response.text)
        self.assertIn("2026-05-31", response.text)
        self.assertFalse(self._lead("Beta harbour deal"), "nothing created")
        self.assertNotIn("Deal registered", response.text)
        # the protected partner's page shows the decision; the other partner cannot open it
        self.authenticate("reg_alpha", "reg_alpha")
        page = self.url_open(f"/my/deals/{alpha.id}").text
        self.assertIn("Approved", page)
        self.assertIn("Protected until", page)
        self.assertIn("05/31/2026", page)
        self.authenticate("reg_beta", "reg_beta")
        other = self.url_open(f"/my/deals/{alpha.id}")
        self.assertNotIn("Alpha harbour deal", other.text)

    @freeze_time("2026-03-02 10:00:00")
    def test_rejection_reason_is_shown_on_the_deal_page(self):
        self._register("reg_beta", "Beta quay deal", "Quay Foods AB")
        lead = self._lead("Beta quay deal")
        action = lead.with_user(self.manager).action_registration_reject()
        self.env[action["res_model"]].with_user(self.manager).with_context(
            **action["context"]
        ).create({"reason": "Quay Foods is a direct account."}).action_apply()
        self.authenticate("reg_beta", "reg_beta")
        page = self.url_open(f"/my/deals/{lead.id}").text
        self.assertIn("Rejected", page)
        self.assertIn("Quay Foods is a direct account.", page)
        self.assertNotIn("Protected until", page)


@tagged("post_install", "-at_install")
class TestDealRegistrationTour(HttpCase):
    def test_register_approve_protected_deal_in_the_browser(self):
        user = self.env.ref("partner_scorecard.portal_user_northwind")
        user.password = user.login  # start_tour logs in with the login as password
        self.start_tour("/my/deals", "partner_scorecard_deal_register_tour", login=user.login)
        lead = self.env["crm.lead"].search([("name", "=", "Tour Fjord Cargo Rollout")])
        self.assertEqual(lead.registration_state, "registered")
        self.assertEqual(
            lead.channel_partner_id, self.env.ref("partner_scorecard.partner_northwind")
        )
        self.start_tour(
            f"/odoo/action-partner_scorecard.crm_lead_registration_action/{lead.id}",
            "partner_scorecard_deal_approve_tour",
            login="admin",
        )
        self.assertEqual(lead.registration_state, "approved")
        self.assertTrue(lead.registration_protected_until)
        self.start_tour("/my/deals", "partner_scorecard_deal_protected_tour", login=user.login)
