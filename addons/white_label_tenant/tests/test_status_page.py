from datetime import datetime, timedelta

from lxml import html

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, freeze_time, tagged

from .common import TenantCase

# a Wednesday morning, outside the weekly maintenance window (Sunday 02:00 Brussels)
NOW = datetime(2026, 11, 18, 10, 0)


@freeze_time(NOW)
class StatusPageCase(TenantCase):
    """A published brand of partner A (one running production in EU West, a development
    environment, a month of probes), incidents with and without public text, and an
    unpublished brand of partner B. The server's clock is frozen on ``NOW``: the page shows the
    last 90 days from it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = NOW
        cls.customer_a.email = "it@secret-retail.example.com"
        Environment = cls.env["tenant.environment"]
        cls.env_prod = Environment._workflow_create(
            {
                "tenant_id": cls.tenant_a.id,
                "database_name": cls.unique_name("_sp"),
                "url": "https://secret-retail.example.com",
                "plan_id": cls.plan.id,
                "region": "eu-west",
                "state": "active",
                "health_state": "up",
            }
        )
        cls.env_dev = Environment._workflow_create(
            {
                "tenant_id": cls.tenant_a.id,
                "database_name": cls.unique_name("_sd"),
                "plan_id": cls.plan.id,
                "stage": "development",
                "region": "eu-west",
                "state": "active",
                "health_state": "down",
            }
        )
        cls.env_b = Environment._workflow_create(
            {
                "tenant_id": cls.tenant_b.id,
                "database_name": cls.unique_name("_sb"),
                "plan_id": cls.plan.id,
                "state": "active",
            }
        )
        # yesterday: 24 hourly probes, all up; the day before: 3 of 24 failed
        today = cls.now.replace(hour=0, minute=0, second=0)
        samples = []
        for days_ago, failures in ((1, 0), (2, 3)):
            for hour in range(24):
                samples.append(
                    {
                        "environment_id": cls.env_prod.id,
                        "probed_at": today - timedelta(days=days_ago) + timedelta(hours=hour),
                        "ok": hour >= failures,
                    }
                )
        cls.env["tenant.uptime.sample"].create(samples)
        Incident = cls.env["tenant.incident"]
        cls.current = Incident.create(
            {
                "tenant_id": cls.tenant_a.id,
                "environment_id": cls.env_prod.id,
                "subject": "Secret Retail cannot post invoices",
                "opened_at": cls.now - timedelta(hours=5),
                "public_title": "Slow invoice posting",
            }
        )
        Update = cls.env["tenant.incident.update"]
        Update.create(
            [
                {
                    "incident_id": cls.current.id,
                    "posted_at": cls.now - timedelta(hours=4),
                    "status": "investigating",
                    "body": "Invoices take minutes to post; we are investigating.",
                },
                {
                    "incident_id": cls.current.id,
                    "posted_at": cls.now - timedelta(hours=3),
                    "status": "identified",
                    "body": "INTERNAL: worker 7 restarted twice, watch it",
                    "is_public": False,
                },
            ]
        )
        cls.current.message_post(body="Chatter note: call the CFO", subtype_xmlid="mail.mt_note")
        cls.past = Incident.create(
            {
                "tenant_id": cls.tenant_a.id,
                "subject": "Secret Retail reports wrong",
                "opened_at": cls.now - timedelta(days=10, hours=2),
                "public_title": "Reports showed stale figures",
            }
        )
        cls.past._write_clock({"state": "resolved", "resolved_at": cls.now - timedelta(days=10)})
        Update.create(
            {
                "incident_id": cls.past.id,
                "posted_at": cls.now - timedelta(days=10),
                "status": "resolved",
                "body": "The report cache was rebuilt.",
            }
        )
        cls.old = Incident.create(
            {
                "tenant_id": cls.tenant_a.id,
                "subject": "Old trouble",
                "opened_at": cls.now - timedelta(days=120),
                "public_title": "Long forgotten outage",
            }
        )
        cls.old._write_clock({"state": "resolved", "resolved_at": cls.now - timedelta(days=119)})
        cls.private = Incident.create(
            {"tenant_id": cls.tenant_a.id, "subject": "Private trouble without a title"}
        )
        Branding = cls.env["tenant.branding"]
        cls.branding = Branding.create(
            {
                "partner_id": cls.partner_a.id,
                "brand_name": "Alpha Status Cloud",
                "status_page_published": True,
                "status_page_slug": "alpha-status",
            }
        )
        Branding.create(
            {
                "partner_id": cls.partner_b.id,
                "brand_name": "Beta Hidden Cloud",
                "status_page_slug": "beta-status",
            }
        )


@tagged("post_install", "-at_install")
class TestStatusPage(StatusPageCase, HttpCase):
    def _page(self, slug="alpha-status"):
        response = self.url_open(f"/status/{slug}")
        self.assertEqual(response.status_code, 200)
        return response.text, html.fromstring(response.content)

    def test_unpublished_or_unknown_address_is_not_found(self):
        self.assertEqual(self.url_open("/status/beta-status").status_code, 404)
        self.assertEqual(self.url_open("/status/nobody").status_code, 404)
        self.branding.status_page_published = False
        self.assertEqual(self.url_open("/status/alpha-status").status_code, 404)

    def test_no_tenant_or_customer_name_anywhere(self):
        text, _page = self._page()
        self.assertIn("Alpha Status Cloud", text)
        for secret in (
            self.tenant_a.name,
            self.customer_a.name,
            self.customer_a.email,
            "Secret Retail",
            self.tenant_b.name,
            self.env_prod.url,
            self.env_prod.database_name,
            self.current.name,
        ):
            self.assertNotIn(secret, text)

    def test_groups_with_status_and_ninety_daily_bars(self):
        _text, page = self._page()
        groups = page.xpath("//tr[contains(@class, 'o_status_group')]")
        # production per region by default: the development environment is not shown
        self.assertEqual(len(groups), 1)
        cells = [td.text_content().strip() for td in groups[0].xpath("./td")]
        self.assertEqual(cells[0], "ERP cluster EU West (Ireland)")
        self.assertEqual(cells[1], "Operational")
        self.assertEqual(cells[2], "93.75\N{NO-BREAK SPACE}%")  # 45 of 48 probes
        bars = page.xpath("//div[contains(@class, 'o_status_bars')]/span")
        self.assertEqual(len(bars), 90)
        levels = [bar.get("class").split("o_status_bar_")[-1] for bar in bars]
        self.assertEqual(levels[-3:], ["down", "up", "none"])
        self.assertEqual(set(levels[:-3]), {"none"})
        two_days_ago = (self.now - timedelta(days=2)).date().isoformat()
        self.assertEqual(bars[-3].get("title"), f"{two_days_ago}: 87.50\N{NO-BREAK SPACE}%")

    def test_groups_by_region_and_stage_read_the_health(self):
        self.branding.write(
            {"status_page_grouping": "region_stage", "status_page_group_label": "Alpha ERP"}
        )
        _text, page = self._page()
        self.assertEqual(
            self._rows_and_banner(page),
            (
                [
                    ("Alpha ERP EU West (Ireland) · Production", "Operational"),
                    ("Alpha ERP EU West (Ireland) · Development", "Major outage"),
                ],
                "Major outage",
            ),
        )

    def _rows_and_banner(self, page):
        rows = [
            (tr.xpath("./td")[0].text_content().strip(), tr.xpath("./td")[1].text_content().strip())
            for tr in page.xpath("//tr[contains(@class, 'o_status_group')]")
        ]
        # the banner tells the worst
        overall = page.xpath("//div[contains(@class, 'o_status_overall')]")[0]
        return rows, overall.text_content().strip()

    def test_down_in_a_maintenance_window_is_planned_not_an_outage(self):
        self.branding.write(
            {"status_page_grouping": "region_stage", "status_page_group_label": "Alpha ERP"}
        )
        start, end = self.tenant_a._maintenance_windows(self.now, self.now + timedelta(days=7))[0]
        self.assertEqual((start.weekday(), end - start), (6, timedelta(hours=4)))
        with freeze_time(start + timedelta(hours=1)):
            _text, page = self._page()
        rows, banner = self._rows_and_banner(page)
        self.assertEqual(
            rows[1], ("Alpha ERP EU West (Ireland) · Development", "Under maintenance")
        )
        self.assertEqual(banner, "Maintenance in progress")

    def test_current_and_past_incidents_with_public_updates_only(self):
        text, page = self._page()
        current = page.xpath("//section[contains(@class, 'o_status_current_incidents')]")[0]
        current_text = current.text_content()
        self.assertIn("Slow invoice posting", current_text)
        self.assertIn("Invoices take minutes to post; we are investigating.", current_text)
        self.assertIn("ERP cluster EU West (Ireland)", current_text)
        past = page.xpath("//section[contains(@class, 'o_status_past_incidents')]")[0]
        past_text = past.text_content()
        self.assertIn("Reports showed stale figures", past_text)
        self.assertIn("The report cache was rebuilt.", past_text)
        self.assertNotIn("Slow invoice posting", past_text)
        for hidden in (
            "INTERNAL: worker 7",  # an update not marked public
            "Chatter note",  # the incident's chatter
            "Long forgotten outage",  # resolved more than 90 days ago
            "Private trouble",  # no status page title
            "cannot post invoices",  # the subject
        ):
            self.assertNotIn(hidden, text)

    def test_channel_user_publishes_an_incident_from_its_form(self):
        """The incident's Status Page tab: a channel user gives the title and a public update
        (author and time recorded); portal users cannot read updates at all."""
        incident = self.private.with_user(self.channel_user)
        with Form(incident) as form:
            form.public_title = "Login page slow"
            with form.update_ids.new() as line:
                line.status = "monitoring"
                line.body = "A fix is out; we are watching response times."
        update = incident.update_ids
        self.assertEqual(update.author_id, self.channel_user)
        self.assertTrue(update.is_public and update.posted_at)
        values = self.branding._status_page_values(self.now)
        self.assertIn("Login page slow", [row["title"] for row in values["current_incidents"]])
        with self.assertRaises(AccessError):
            self.env["tenant.incident.update"].with_user(self.portal_a).search([])

    def test_public_text_naming_the_customer_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Status Page Title"):
            self.private.public_title = "Outage at Secret Retail Ltd"
        with self.assertRaisesRegex(ValidationError, "Public Message"):
            self.env["tenant.incident.update"].create(
                {"incident_id": self.current.id, "body": "Secret Retail ERP is down again"}
            )

    def test_scheduled_maintenance_is_announced(self):
        """The windows of the tenant's SLA version (every week: two in the next 14 days) are
        announced in advance, in UTC, with the groups they concern."""
        if not hasattr(self.env["tenant.tenant"], "_maintenance_windows"):
            self.skipTest("maintenance windows are not installed")
        windows = self.tenant_a._maintenance_windows(self.now, self.now + timedelta(days=14))
        self.assertGreaterEqual(len(windows), 2)
        values = self.branding._status_page_values(self.now)
        self.assertEqual(
            [(row["start"], row["groups"]) for row in values["maintenance"]],
            [
                (self.branding._format_utc(start), ["ERP cluster EU West (Ireland)"])
                for start, end in windows
                if end > self.now
            ],
        )
        _text, page = self._page()
        announced = page.xpath("//li[contains(@class, 'o_status_maintenance_window')]")
        self.assertTrue(announced)
        self.assertIn("ERP cluster EU West (Ireland)", announced[0].text_content())
        self.assertIn("UTC", announced[0].text_content())

    def test_next_window_of_a_tenant_to_upgrade_says_so(self):
        """A campaign under way that still has to upgrade the tenant's production marks the
        tenant's next window; the campaign's name and modules stay off the page."""
        if "tenant.upgrade.campaign" not in self.env:
            self.skipTest("upgrade campaigns are not installed")
        self.env["tenant.environment"]._workflow_create(
            {
                "tenant_id": self.tenant_a.id,
                "database_name": self.unique_name("_ss"),
                "plan_id": self.plan.id,
                "stage": "staging",
                "state": "active",
            }
        )
        Campaign = self.env["tenant.upgrade.campaign"].with_user(self.manager)
        campaign = Campaign.create(
            {
                "name": "Quarterly accounting patch",
                "module_names": "account",
                "tenant_ids": [(6, 0, self.tenant_a.ids)],
            }
        )
        campaign.action_start()
        flags = [
            row["upgrade"] for row in self.branding._status_page_values(self.now)["maintenance"]
        ]
        self.assertEqual(flags[:1], [True])
        self.assertFalse(any(flags[1:]))
        text, page = self._page()
        window = page.xpath("//li[contains(@class, 'o_status_maintenance_window')]")[0]
        self.assertIn("Upgrade planned", window.text_content())
        self.assertNotIn("Quarterly accounting patch", text)

    def _count_queries(self):
        self.env.invalidate_all()
        self.env.cr.sql_log_count = 0
        before = self.env.cr.sql_log_count
        self.branding._status_page_values(self.now)
        return self.env.cr.sql_log_count - before

    def test_probes_are_read_in_one_grouped_query(self):
        """More days of probes add no query: they are counted per environment and day in SQL."""
        self._count_queries()  # warm the caches
        queries = self._count_queries()
        start = self.now.replace(hour=0, minute=0, second=0) - timedelta(days=60)
        self.env["tenant.uptime.sample"].create(
            [
                {
                    "environment_id": self.env_prod.id,
                    "probed_at": start + timedelta(hours=hour),
                    "ok": True,
                }
                for hour in range(30 * 24)
            ]
        )
        self.assertEqual(self._count_queries(), queries)

    def test_status_page_tour(self):
        self.start_tour("/status/alpha-status", "white_label_tenant_status_page")


@tagged("post_install", "-at_install")
class TestStatusPagePhone(StatusPageCase, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_status_page_tour_fits_a_phone(self):
        self.start_tour("/status/alpha-status", "white_label_tenant_status_page")


@tagged("post_install", "-at_install")
class TestStatusPageDemo(TransactionCase):
    """The demo brands' status pages tell something: Tagus Nube's open incident with its public
    updates, and never the internal note or the customer (demo databases only)."""

    def test_demo_page_shows_an_incident_with_its_updates(self):
        branding = self.env.ref("white_label_tenant.demo_branding_reseller", False)
        incident = self.env["tenant.incident"].search(
            [("subject", "=", "Slow stock valuation report")], limit=1
        )
        if not branding or not incident:
            self.skipTest("no demo data")
        Demo = self.env["tenant.demo"]
        Demo._demo_status_page_updates()
        count = self.env["tenant.incident.update"].search_count([])
        Demo._demo_status_page_updates()  # safe to run twice
        self.assertEqual(self.env["tenant.incident.update"].search_count([]), count)

        Demo._demo_health_from_probes()
        values = branding._status_page_values(incident.opened_at + timedelta(days=1))
        self.assertEqual({row["status_label"] for row in values["rows"]}, {"Operational"})
        self.assertEqual(values["overall_label"], "Some systems are affected")
        [current] = values["current_incidents"]
        self.assertEqual(current["title"], "Slow stock valuation reports")
        self.assertEqual(
            [update["status_label"] for update in current["updates"]],
            ["Identified", "Investigating"],
        )
        self.assertTrue(values["rows"])
        shown = repr({key: value for key, value in values.items() if key != "branding"})
        for hidden in ("4 million moves", incident.tenant_id.name, "Costa"):
            self.assertNotIn(hidden, shown)
