from datetime import datetime

from lxml import html

from odoo.tests import HttpCase, tagged

from .common import TenantCase


@tagged("post_install", "-at_install")
class TestServiceTerms(TenantCase, HttpCase):
    """The partner reads, on its tenant's portal page, the terms of the SLA policy version in
    force: uptime target, response and resolution per priority, RPO/RTO, backups and their
    retention; another partner's users never reach the page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in cls.portal_a | cls.portal_b:
            user.password = user.login
        cls.portal_a.tz = "UTC"

    def _terms_section(self, login, tenant):
        self.authenticate(login, login)
        response = self.url_open(f"/my/tenants/{tenant.id}")
        self.assertEqual(response.status_code, 200)
        page = html.fromstring(response.content)
        return response, page.xpath("//section[contains(@class, 'o_tenant_service_terms')]")

    def test_own_partner_reads_the_terms_in_force(self):
        _response, sections = self._terms_section(self.portal_a.login, self.tenant_a)
        self.assertEqual(len(sections), 1)
        section = sections[0]
        text = " ".join(section.text_content().split())
        self.assertIn("Gold v1", text)
        terms = dict(
            zip(
                [dt.text_content().strip() for dt in section.xpath(".//dt")],
                [dd.text_content().strip() for dd in section.xpath(".//dd")],
                strict=True,
            )
        )
        self.assertEqual(terms["Uptime target"], "99.9\N{NO-BREAK SPACE}%")
        self.assertEqual(terms["SLA clock"], "Business hours (Brussels office)")
        self.assertEqual(terms["RPO (data loss at most)"], "1 h")
        self.assertEqual(terms["RTO (restored within)"], "30 min")
        self.assertEqual(terms["Backups"], "Every 24 hours")
        self.assertEqual(
            terms["Backup retention"],
            "Every backup kept 2 days, then the newest of each day 14 days, of each week 8 "
            "weeks, of each month 12 months",
        )
        rows = [
            [td.text_content().strip() for td in tr.xpath("./td")]
            for tr in section.xpath(
                ".//table[contains(@class, 'o_tenant_service_targets')]/tbody/tr"
            )
        ]
        self.assertEqual(
            rows,
            [
                ["Critical", "1\N{NO-BREAK SPACE}h", "4\N{NO-BREAK SPACE}h"],
                ["High", "2\N{NO-BREAK SPACE}h", "8\N{NO-BREAK SPACE}h"],
                ["Normal", "4\N{NO-BREAK SPACE}h", "16\N{NO-BREAK SPACE}h"],
            ],
        )

    def test_maintenance_window_of_the_terms(self):
        """The window of the version in force in words, and its next openings in the user's
        time zone."""
        if not hasattr(self.env["tenant.tenant"], "_maintenance_windows"):
            self.skipTest("maintenance windows are not installed")
        terms = self.tenant_a._portal_service_terms(datetime(2026, 6, 10, 12, 0), "UTC")
        self.assertEqual(terms["maintenance_window"], self.version.maintenance_window_display)
        expected = self.tenant_a._maintenance_windows(
            datetime(2026, 6, 10, 12, 0), datetime(2026, 7, 10, 12, 0)
        )
        self.assertEqual(len(terms["maintenance"]), len(expected))
        self.assertGreaterEqual(len(expected), 4)  # weekly
        _response, sections = self._terms_section(self.portal_a.login, self.tenant_a)
        window = sections[0].xpath(".//*[contains(@class, 'o_tenant_service_maintenance')]")
        self.assertIn(self.version.maintenance_window_display, window[0].text_content())
        self.assertTrue(window[0].xpath(".//li"))

    def test_terms_follow_the_version_in_force(self):
        """A later version changes what the page says from its date on, not before."""
        later = self.version.copy(
            {"effective_from": datetime(2026, 7, 1), "rpo_minutes": 15, "state": "draft"}
        )
        later.action_activate()
        before = self.tenant_a._portal_service_terms(datetime(2026, 6, 30, 12, 0))
        after = self.tenant_a._portal_service_terms(datetime(2026, 7, 1, 12, 0))
        self.assertEqual((before["version"], before["rpo"]), ("Gold v1", "1 h"))
        self.assertEqual((after["version"], after["rpo"]), ("Gold v2", "15 min"))
        self.assertIsNone(self.tenant_a._portal_service_terms(datetime(2025, 12, 31)))

    def test_tenant_without_policy_says_so(self):
        self.tenant_a.sla_policy_id = False
        _response, sections = self._terms_section(self.portal_a.login, self.tenant_a)
        self.assertIn("No SLA policy is in force", sections[0].text_content())

    def test_other_partner_cannot_read_the_terms(self):
        response, sections = self._terms_section(self.portal_b.login, self.tenant_a)
        self.assertFalse(sections)
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn(self.tenant_a.name, response.text)
