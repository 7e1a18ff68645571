from datetime import date, datetime

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged

from odoo.addons.partner_scorecard.tests.readonly import ReadOnlyRouteMixin

from .test_mdf import PDF, MdfCommon


@freeze_time("2026-05-12 10:00:00")
@tagged("post_install", "-at_install")
class TestMdfPortal(ReadOnlyRouteMixin, MdfCommon, HttpCase):
    """A partner's portal users claim marketing development funds over HTTP and in a browser, for
    their own partner only, and see the status of their claims."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="h7_mdf_portal", password="h7_mdf_portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.channel_partner
        cls.other_portal = new_test_user(
            cls.env, login="h7_mdf_other", password="h7_mdf_other", groups="base.group_portal"
        )
        cls.other_portal.partner_id.parent_id = cls.other_partner
        cls.foreign = cls._claim(300.0, partner=cls.other_partner, day=date(2026, 5, 2))
        cls.foreign_name = cls.foreign.name

    def _post(self, amount, evidence=True, **extra):
        data = {
            "name": "Spring webinar",
            "amount": amount,
            "activity_date": "2026-05-11",
            "payment_method": "credit_note",
            "csrf_token": http.Request.csrf_token(self),
            **extra,
        }
        files = {"evidence": ("agenda.pdf", PDF, "application/pdf")} if evidence else None
        return self.url_open("/my/mdf/claims", data=data, files=files)

    def _own_claims(self):
        return self.env["billing.mdf.claim"].search([("partner_id", "=", self.channel_partner.id)])

    def test_submit_a_claim_with_evidence(self):
        self.authenticate("h7_mdf_portal", "h7_mdf_portal")
        response = self._post("250,50", partner_id=str(self.other_partner.id))
        self.assertEqual(response.status_code, 200)
        claim = self._own_claims()
        self.assertEqual(len(claim), 1, "the partner comes from the user, never from the form")
        self.assertEqual(claim.amount, 250.5)
        self.assertEqual(claim.payment_method, "credit_note")
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.evidence_ids.mapped("name"), ["agenda.pdf"])
        self.assertEqual(claim.submitted_by_id, self.portal_user)
        self.assertEqual(claim.gate_state, "open")
        self.assertTrue(response.url.endswith(f"/my/mdf/claims/{claim.id}"), response.url)
        self.assertIn("Waiting for the channel manager", response.text)
        listing = self.url_open("/my/mdf")
        self.assertIn("Spring webinar", listing.text)
        self.assertIn("749.50", listing.text, "what is left of the quarter's 1,000.00")
        self.assertNotIn(self.foreign_name, listing.text)

    def test_bad_input_is_refused_with_a_clear_error_and_nothing_created(self):
        self.authenticate("h7_mdf_portal", "h7_mdf_portal")
        cases = [
            ("1200", True, "is more than what remains"),
            ("abc", True, "Amount: abc is not a number"),
            ("0", True, "a claim must be above zero"),
            ("100", False, "Evidence: attach a document"),
        ]
        for amount, evidence, message in cases:
            with self.subTest(amount=amount, evidence=evidence):
                response = self._post(amount, evidence=evidence)
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, response.text)
        self.assertFalse(self._own_claims())
        self.assertFalse(
            self.env["billing.mdf.fund"].search([("partner_id", "=", self.channel_partner.id)])
        )

    def test_other_partners_claim_is_refused(self):
        self.authenticate("h7_mdf_portal", "h7_mdf_portal")
        response = self.url_open(f"/my/mdf/claims/{self.foreign.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my/mdf"))
        self.assertNotIn(self.foreign_name, self.url_open(f"/my/mdf/claims/{self.foreign.id}").text)
        Claim = self.env["billing.mdf.claim"].with_user(self.portal_user)
        self.assertFalse(Claim.search([]))
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.portal_user).read(["amount"])
        with self.assertRaises(AccessError):
            Claim.create({"name": "x", "partner_id": self.channel_partner.id, "amount": 1.0})
        # its owner sees it
        self.authenticate("h7_mdf_other", "h7_mdf_other")
        own = self.url_open(f"/my/mdf/claims/{self.foreign.id}")
        self.assertIn(self.foreign_name, own.text)

    def test_status_of_a_paid_and_a_rejected_claim(self):
        paid = self._claim(100.0, day=date(2026, 5, 3))
        paid.gate_ids.approval_ids.with_user(self.manager).action_approve()
        paid.with_user(self.manager).action_approve()
        rejected = self._claim(50.0, day=date(2026, 5, 4))
        rejected.with_user(self.manager).action_reject("Outside the program's rules")
        self.authenticate("h7_mdf_portal", "h7_mdf_portal")
        page = self.url_open(f"/my/mdf/claims/{paid.id}").text
        self.assertIn("Paid", page)
        self.assertIn(paid.move_id.name, page)
        page = self.url_open(f"/my/mdf/claims/{rejected.id}").text
        self.assertIn("Outside the program&#39;s rules", page)

    def test_fund_and_claim_pages_are_read_only(self):
        """Served on a read-only cursor (a replica), also after a refused claim (its message
        travels in the session, not the database)."""
        self.authenticate("h7_mdf_other", "h7_mdf_other")
        self.assertReadOnlyPage("/my/mdf", self.foreign_name)
        self.assertReadOnlyPage(f"/my/mdf/claims/{self.foreign.id}", self.foreign_name)
        self._post("-5")
        self.assertReadOnlyPage("/my/mdf", self.foreign_name)

    def test_tour_submit_a_claim(self):
        self.start_tour("/my", "recurring_billing_mdf_tour", login="h7_mdf_portal")
        claim = self._own_claims()
        self.assertEqual(claim.name, "Tour roadshow")
        self.assertEqual(claim.amount, 320.0)
        self.assertEqual(claim.evidence_ids.mapped("name"), ["tour-evidence.pdf"])


@tagged("post_install", "-at_install")
class TestMdfPortalFuture(MdfCommon, HttpCase):
    """The same page a year later: no dependence on the install day."""

    def test_page_renders_any_day(self):
        new_test_user(
            self.env, login="h7_mdf_any", password="h7_mdf_any", groups="base.group_portal"
        ).partner_id.parent_id = self.channel_partner
        with freeze_time(datetime(2027, 8, 1, 12, 0)):
            self.authenticate("h7_mdf_any", "h7_mdf_any")
            page = self.url_open("/my/mdf")
            self.assertEqual(page.status_code, 200)
            self.assertIn("Gold (MDF)", page.text)
