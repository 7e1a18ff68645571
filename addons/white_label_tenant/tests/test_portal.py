from odoo import http
from odoo.tests import HttpCase, tagged

from .common import TenantCase


@tagged("post_install", "-at_install")
class TestPortalIsolation(TenantCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Environment = cls.env["tenant.environment"]
        cls.env_a = Environment._workflow_create(
            {
                "tenant_id": cls.tenant_a.id,
                "database_name": cls.unique_name("_pa"),
                "url": "https://a.example.com",
                "plan_id": cls.plan.id,
                "state": "active",
                "health_state": "up",
            }
        )
        cls.env_b = Environment._workflow_create(
            {
                "tenant_id": cls.tenant_b.id,
                "database_name": cls.unique_name("_pb"),
                "plan_id": cls.plan.id,
                "state": "active",
            }
        )
        cls.incident_b = cls.env["tenant.incident"].create(
            {"tenant_id": cls.tenant_b.id, "subject": "Beta private trouble"}
        )
        cls.env["tenant.branding"].create(
            {
                "partner_id": cls.partner_a.id,
                "brand_name": "Alpha Cloud ERP",
                "status_page_published": True,
                "status_page_slug": "alpha-cloud",
            }
        )
        for login in ("wlt_portal_a", "wlt_portal_b"):
            user = cls.env["res.users"].search([("login", "=", login)])
            user.password = login

    def test_orm_isolation(self):
        Tenant = self.env["tenant.tenant"].with_user(self.portal_a)
        self.assertEqual(Tenant.search([]), self.tenant_a)
        self.assertEqual(
            self.env["tenant.incident"].with_user(self.portal_a).search([]).tenant_id,
            self.env["tenant.tenant"],
        )
        self.assertEqual(
            self.env["tenant.environment"].with_user(self.portal_b).search([]), self.env_b
        )
        self.assertFalse(
            self.env["tenant.tenant"]
            .with_user(self.portal_a)
            .search([("id", "=", self.tenant_b.id)])
        )

    def test_http_isolation_and_incident_creation(self):
        self.authenticate("wlt_portal_a", "wlt_portal_a")
        listing = self.url_open("/my/tenants")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("Secret Retail ERP", listing.text)
        self.assertNotIn("Beta Shop ERP", listing.text)

        own = self.url_open(f"/my/tenants/{self.tenant_a.id}")
        self.assertIn("Secret Retail Ltd", own.text)
        other = self.url_open(f"/my/tenants/{self.tenant_b.id}")
        self.assertNotIn("Beta Shop ERP", other.text)
        self.assertTrue(other.url.endswith("/my"), other.url)
        self.assertNotIn(
            "Beta private trouble", self.url_open(f"/my/incidents/{self.incident_b.id}").text
        )

        csrf = http.Request.csrf_token(self)
        created = self.url_open(
            f"/my/tenants/{self.tenant_a.id}/incidents/new",
            data={
                "subject": "Cannot print invoices",
                "priority": "2",
                "csrf_token": csrf,
                "environment_id": self.env_a.id,
            },
        )
        incident = self.env["tenant.incident"].search([("subject", "=", "Cannot print invoices")])
        self.assertEqual(incident.tenant_id, self.tenant_a)
        self.assertEqual(incident.source, "portal")
        self.assertEqual(incident.sla_version_id, self.version)
        self.assertIn(self.contact_a, incident.message_partner_ids)
        self.assertIn(incident.name, created.text)

        # opening an incident on another partner's tenant is refused
        self.url_open(
            f"/my/tenants/{self.tenant_b.id}/incidents/new",
            data={"subject": "Sneaky", "csrf_token": csrf},
        )
        self.assertFalse(self.env["tenant.incident"].search([("subject", "=", "Sneaky")]))

    def test_public_status_page_has_no_customer_names(self):
        page = self.url_open("/status/alpha-cloud")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Alpha Cloud ERP", page.text)
        self.assertIn("ERP cluster EU West (Ireland)", page.text)
        self.assertNotIn("Secret Retail", page.text)
        self.assertEqual(self.url_open("/status/nobody").status_code, 404)


@tagged("post_install", "-at_install")
class TestPortalTour(TenantCase, HttpCase):
    def test_portal_user_opens_an_incident_and_sees_it_listed(self):
        self.env["tenant.environment"]._workflow_create(
            {
                "tenant_id": self.tenant_a.id,
                "database_name": self.unique_name("_tour"),
                "url": "https://tour.alpha.example.com",
                "plan_id": self.plan.id,
                "state": "active",
            }
        )
        self.start_tour("/my", "white_label_tenant_portal_incident", login=self.portal_a.login)
        incident = self.env["tenant.incident"].search(
            [("subject", "=", "Tour: invoices stuck in draft")]
        )
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.tenant_id, self.tenant_a)
        self.assertEqual((incident.priority, incident.source), ("2", "portal"))
        self.assertIn(self.portal_a.partner_id, incident.message_partner_ids)
        self.assertTrue(incident.resolution_deadline, "the SLA clock started")
