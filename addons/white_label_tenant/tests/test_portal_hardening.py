import json

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import TenantCase

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"


@tagged("post_install", "-at_install")
class TestPortalHardening(TenantCase, HttpCase):
    """What a partner's portal user types is shown as text, never run as markup; the tenant
    page's error message is a fixed text whatever the URL says; the incident form refuses a POST
    without the CSRF token (issue 11, portal hardening)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a.password = "wlt_portal_a"

    def setUp(self):
        super().setUp()
        self.authenticate("wlt_portal_a", "wlt_portal_a")

    def _report(self, **data):
        return self.url_open(
            f"/my/tenants/{self.tenant_a.id}/incidents/new",
            data={"csrf_token": http.Request.csrf_token(self), "priority": "2", **data},
        )

    def test_incident_text_is_escaped_on_the_portal_pages(self):
        page = self._report(subject=f"{SCRIPT} printer down", description=f"Since {IMAGE} today")
        self.assertEqual(page.status_code, 200)
        incident = self.env["tenant.incident"].search([("tenant_id", "=", self.tenant_a.id)])
        self.assertEqual(incident.subject, f"{SCRIPT} printer down", "stored as typed")
        self.assertTrue(page.url.endswith(incident.access_url), page.url)
        tenant_page = self.url_open(f"/my/tenants/{self.tenant_a.id}").text
        for text in (page.text, tenant_page):
            self.assertNotIn(SCRIPT, text)
            self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; printer down", text)
        self.assertNotIn(IMAGE, page.text)
        self.assertNotIn("<img src=x", page.text)
        self.assertIn("Since &lt;img src=x onerror=alert(1)&gt; today", page.text)

    def test_portal_chatter_message_is_not_markup(self):
        self._report(subject="Slow reports")
        incident = self.env["tenant.incident"].search([("subject", "=", "Slow reports")])
        answer = self.url_open(
            "/mail/message/post",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "thread_model": "tenant.incident",
                        "thread_id": incident.id,
                        # the portal user has no write access: the page's token opens the chatter
                        "token": incident.sudo()._portal_ensure_token(),
                        "post_data": {
                            "body": f"{SCRIPT} see {IMAGE}",
                            "message_type": "comment",
                        },
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertNotIn("error", answer, answer)
        message = incident.message_ids.filtered(lambda m: m.author_id == self.contact_a)[:1]
        self.assertTrue(message, "the portal user's message was posted")
        body = str(message.body)
        self.assertNotIn("<script", body)
        self.assertNotIn("onerror", body)
        self.assertIn("see", body)

    def test_error_message_is_never_taken_from_the_url(self):
        forged = f"{SCRIPT}Your tenant is suspended: call +1 555 0100"
        page = self.url_open(f"/my/tenants/{self.tenant_a.id}?error={forged}").text
        self.assertNotIn("Your tenant is suspended", page)
        self.assertNotIn(SCRIPT, page)
        self.assertNotIn("Please describe the problem in the subject.", page)
        # the form's own refusal (no subject) leads to the same fixed text
        refused = self._report(subject="  ")
        self.assertIn("Please describe the problem in the subject.", refused.text)
        self.assertFalse(self.env["tenant.incident"].search([("tenant_id", "=", self.tenant_a.id)]))

    def test_incident_post_without_csrf_token_is_refused(self):
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/my/tenants/{self.tenant_a.id}/incidents/new",
                data={"subject": "Forged from another site", "priority": "1"},
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["tenant.incident"].search([("subject", "=", "Forged from another site")])
        )
