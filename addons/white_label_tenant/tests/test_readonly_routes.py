from datetime import datetime

from odoo.tests import HttpCase, tagged

from odoo.addons.partner_scorecard.tests.readonly import ReadOnlyRouteMixin

from .common import TenantCase


@tagged("post_install", "-at_install")
class TestReadOnlyRoutes(ReadOnlyRouteMixin, TenantCase, HttpCase):
    """The tenant, incident and gate pages of the portal and the public status page are
    read-only routes and answer without writing anything."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env_a = cls.env["tenant.environment"]._workflow_create(
            {
                "tenant_id": cls.tenant_a.id,
                "database_name": cls.unique_name("_ro"),
                "url": "https://ro.example.com",
                "plan_id": cls.plan.id,
                "state": "active",
                "health_state": "up",
            }
        )
        cls.incident = cls.env["tenant.incident"].create(
            {
                "tenant_id": cls.tenant_a.id,
                "environment_id": cls.env_a.id,
                "subject": "Read-only: slow reports",
                "public_title": "Slow reports",
                "opened_at": datetime(2026, 1, 10, 12, 0),
            }
        )
        cls.env["tenant.incident.update"].create(
            {"incident_id": cls.incident.id, "body": "We are looking into it."}
        )
        cls.env["tenant.branding"].create(
            {
                "partner_id": cls.partner_a.id,
                "brand_name": "Read Only Cloud",
                "status_page_published": True,
                "status_page_slug": "read-only-cloud",
            }
        )
        cls.portal_a.password = cls.portal_a.login

    def test_status_page_is_read_only_for_visitors(self):
        self.assertReadOnlyPage("/status/read-only-cloud", "Slow reports")

    def test_tenant_and_incident_pages_are_read_only(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        self.assertReadOnlyPage("/my/tenants", self.tenant_a.name)
        self.assertReadOnlyPage(f"/my/tenants/{self.tenant_a.id}", self.env_a.url)
        self.assertReadOnlyPage(f"/my/incidents/{self.incident.id}", self.incident.subject)

    def test_shared_link_is_read_only_for_a_visitor(self):
        token = self.tenant_a._portal_ensure_token()
        self.assertReadOnlyPage(f"/my/tenants/{self.tenant_a.id}?access_token={token}")

    def test_gate_pages_are_read_only(self):
        gate = self.env["governance.gate"].search(
            [("res_model", "=", "tenant.tenant"), ("res_id", "=", self.tenant_a.id)]
        )
        self.authenticate(self.portal_a.login, self.portal_a.login)
        self.assertReadOnlyPage("/my/gates", gate.name)
        self.assertReadOnlyPage(f"/my/gates/{gate.id}", gate.name)
