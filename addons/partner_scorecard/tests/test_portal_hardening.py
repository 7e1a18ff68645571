import re

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ScorecardCase

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"


@tagged("post_install", "-at_install")
class TestDealPortalHardening(HttpCase, ScorecardCase):
    """A deal registered on the portal shows its text as text (portal list, form, backend
    description), the success notice is a fixed text whatever the URL says, and the form refuses
    a POST without the CSRF token (issue 11, portal hardening)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        member = cls._make_partner("Hardened Partners", certifications=1)
        contact = cls.env["res.partner"].create(
            {"name": "Hardened Contact", "parent_id": member.partner_id.id}
        )
        cls.member = member
        new_test_user(
            cls.env, login="portal_hardened", groups="base.group_portal", partner_id=contact.id
        )

    def setUp(self):
        super().setUp()
        self.authenticate("portal_hardened", "portal_hardened")

    def _register(self, **data):
        page = self.url_open("/my/deals")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        values = {"partner_name": "Gamma Wholesale", "expected_revenue": "1000", **data}
        return self.url_open("/my/deals/register", data={"csrf_token": token, **values})

    def test_deal_text_is_escaped_on_the_portal_and_in_the_backend(self):
        response = self._register(
            name=f"{SCRIPT} Warehouse", description=f"Needs {IMAGE}\nby March"
        )
        self.assertEqual(response.status_code, 200)
        lead = self.env["crm.lead"].search([("channel_partner_id", "=", self.member.partner_id.id)])
        self.assertEqual(lead.name, f"{SCRIPT} Warehouse")
        self.assertNotIn(SCRIPT, response.text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; Warehouse", response.text)
        # the notes are kept as the partner typed them: text, not markup for the backend form
        description = str(lead.description)
        self.assertNotIn("<img", description)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", description)
        self.assertIn("by March", description)

    def test_a_refused_form_shows_the_typed_text_escaped(self):
        response = self._register(
            name=f"{SCRIPT} Warehouse", description=IMAGE, expected_revenue="-5"
        )
        self.assertIn("Expected Revenue must be a positive number", response.text)
        self.assertNotIn(SCRIPT, response.text)
        self.assertNotIn(IMAGE, response.text)
        self.assertIn('value="&lt;script&gt;alert(1)&lt;/script&gt; Warehouse"', response.text)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", response.text)
        self.assertFalse(self.env["crm.lead"].search([("name", "like", "Warehouse")]))

    def test_notice_is_never_taken_from_the_url(self):
        page = self.url_open(f"/my/deals?registered={SCRIPT}Your deal was refused").text
        self.assertIn("Deal registered. Your account manager will confirm it.", page)
        self.assertNotIn("Your deal was refused", page)
        self.assertNotIn(SCRIPT, page)

    def test_register_without_csrf_token_is_refused(self):
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/my/deals/register",
                data={"name": "Cross-site deal", "partner_name": "X", "expected_revenue": "1"},
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Cross-site deal")]))
