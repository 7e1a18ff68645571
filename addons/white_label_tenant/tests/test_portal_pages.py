from datetime import datetime

from lxml import html

from odoo.tests import HttpCase, tagged

from .common import TenantCase


@tagged("post_install", "-at_install")
class TestPortalPages(TenantCase, HttpCase):
    """What a partner's portal user reads on its tenant, incident and status pages: the
    breadcrumb of the page's own record, labelled form fields, times in its zone, health in
    words."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Environment = cls.env["tenant.environment"]
        cls.env_a = Environment._workflow_create(
            {
                "tenant_id": cls.tenant_a.id,
                "database_name": cls.unique_name("_pp"),
                "url": "https://pages.example.com",
                "plan_id": cls.plan.id,
                "state": "active",
                "health_state": "up",
            }
        )
        cls.env_dev = Environment._workflow_create(
            {
                "tenant_id": cls.tenant_a.id,
                "database_name": cls.unique_name("_pd"),
                "plan_id": cls.plan.id,
                "stage": "development",
                "state": "active",
            }
        )
        cls.incident = cls.env["tenant.incident"].create(
            {
                "tenant_id": cls.tenant_a.id,
                "subject": "Pages: slow reports",
                "opened_at": datetime(2026, 1, 10, 12, 0),
            }
        )
        cls.env["tenant.branding"].create(
            {
                "partner_id": cls.partner_a.id,
                "brand_name": "Pages Cloud",
                "status_page_published": True,
                "status_page_slug": "pages-cloud",
            }
        )
        cls.portal_a.password = cls.portal_a.login
        cls.portal_a.tz = "Europe/Brussels"

    def _page(self, url):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return html.fromstring(response.content)

    @staticmethod
    def _crumbs(page):
        items = page.xpath("//ol[contains(@class, 'breadcrumb')]/li")
        return [li.text_content().strip() for li in items]

    def test_tenant_page_breadcrumb_ends_with_the_tenant(self):
        page = self._page(self.tenant_a.access_url)
        # the incidents listed on the page do not leak into the breadcrumb
        self.assertTrue(page.xpath("//tr[contains(@class, 'o_tenant_incident_row')]"))
        self.assertEqual(self._crumbs(page)[-2:], ["Tenants", "Secret Retail ERP"])
        self.assertEqual(self._crumbs(self._page("/my/tenants"))[-1], "Tenants")

    def test_incident_page_breadcrumb_goes_through_its_tenant(self):
        page = self._page(self.incident.access_url)
        self.assertEqual(
            self._crumbs(page)[-3:], ["Tenants", "Secret Retail ERP", self.incident.name]
        )
        self.assertTrue(page.xpath(f"//ol//a[@href='{self.tenant_a.access_url}']"))

    def test_incident_times_in_the_users_zone_with_the_zone_shown(self):
        page = self._page(self.incident.access_url)
        text = page.text_content()
        self.assertIn("Europe/Brussels", text)
        self.assertIn("13:00", text)  # 12:00 UTC in Brussels in January

    def test_incident_form_is_labelled_and_preselects_no_environment(self):
        page = self._page(self.tenant_a.access_url)
        form = page.xpath("//form[contains(@class, 'o_tenant_incident_form')]")[0]
        for name in ("subject", "environment_id", "priority", "description"):
            field = form.xpath(f".//*[@name='{name}']")[0]
            self.assertTrue(form.xpath(f".//label[@for='{field.get('id')}']"), name)
        options = form.xpath(".//select[@name='environment_id']/option")
        selected = [option.get("value") for option in options if option.get("selected")]
        self.assertEqual(selected, [""])
        self.assertEqual(len(options), 3)  # nobody picked: then the two environments

    def test_tables_have_headers(self):
        page = self._page(self.tenant_a.access_url)
        tables = page.xpath("//div[contains(@class, 'o_tenant_portal')]//table")
        self.assertTrue(tables)
        for table in tables:
            self.assertTrue(table.xpath("./thead/tr/th"), table.get("class"))

    def test_status_page_shows_health_in_words(self):
        self.env["tenant.branding"].search([("status_page_slug", "=", "pages-cloud")]).write(
            {"status_page_grouping": "region_stage"}
        )
        response = self.url_open("/status/pages-cloud")
        page = html.fromstring(response.content)
        badges = [b.text_content().strip() for b in page.xpath("//table//td/span[@class]")]
        self.assertIn("Operational", badges)  # production: up
        self.assertIn("No data", badges)  # development: not probed yet
        for raw in ("up", "unknown", "down", "suspended", "operational", "major_outage"):
            self.assertNotIn(raw, badges)
        self.assertTrue(page.xpath("//table/thead/tr/th"))
