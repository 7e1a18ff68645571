from lxml import html

from odoo.tests import HttpCase, new_test_user, tagged

from .common import ScorecardCase

NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestPortalPages(HttpCase, ScorecardCase):
    """What a partner's portal user reads on /my and its scorecard page: the cards, the PDF of
    its own scorecards, metric values with their unit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_a = cls._make_partner("Pages Alpha Partners")
        cls.member_b = cls._make_partner("Pages Beta Partners")
        for member in (cls.member_a, cls.member_b):
            cls._set_values(member, cls.ref_date, quality=80, csat=85)
        cards = cls.Scorecard._recompute_memberships(
            cls.member_a | cls.member_b, ref_date=cls.ref_date
        )
        cls.card_a = cards.filtered(lambda c: c.membership_id == cls.member_a)
        cls.card_b = cards.filtered(lambda c: c.membership_id == cls.member_b)
        cls.portal_a = cls._portal_user("pages_alpha", cls.member_a.partner_id)
        cls.portal_b = cls._portal_user("pages_beta", cls.member_b.partner_id)
        cls.deal_b = cls.env["crm.lead"].create(
            {
                "name": "Pages Beta warehouse deal",
                "type": "opportunity",
                "partner_name": "Beta's customer",
                "channel_partner_id": cls.member_b.partner_id.id,
                "registration_state": "registered",
            }
        )
        # a customer's portal user: no channel partner, so no deal registration
        customer = cls.env["res.partner"].create({"name": "Pages Customer", "is_company": True})
        cls.portal_customer = cls._portal_user("pages_customer", customer)

    @classmethod
    def _portal_user(cls, login, company):
        contact = cls.env["res.partner"].create({"name": login.title(), "parent_id": company.id})
        return new_test_user(
            cls.env, login=login, groups="base.group_portal", partner_id=contact.id
        )

    def _page(self, login, url):
        self.authenticate(login, login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return html.fromstring(response.content)

    def _card(self, page, url):
        cards = page.xpath(f"//div[contains(@class, 'o_portal_index_card')][.//a[@href='{url}']]")
        return cards[0] if cards else None

    def test_deal_card_is_shown_to_a_channel_partner_without_deals(self):
        self.assertFalse(
            self.env["crm.lead"].search([("channel_partner_id", "=", self.member_a.partner_id.id)])
        )
        card = self._card(self._page("pages_alpha", "/my"), "/my/deals")
        self.assertIsNotNone(card)
        self.assertNotIn("d-none", card.get("class").split())
        # a customer's user is no channel partner: the card waits for a count, as Odoo's do
        card = self._card(self._page("pages_customer", "/my"), "/my/deals")
        self.assertIn("d-none", card.get("class").split())

    def test_each_card_of_the_suite_has_its_own_icon(self):
        page = self._page("pages_alpha", "/my")
        urls = (
            "/my/scorecards",
            "/my/deals",
            "/my/leads",
            "/my/gates",
            "/my/tenants",
            "/my/subscriptions",
            "/my/bundles",
            "/my/mdf",
        )
        icons = {}
        for url in urls:
            card = self._card(page, url)
            if card is None:  # a module of the suite that is not installed
                continue
            sources = card.xpath(".//div[contains(@class, 'o_portal_icon')]/img/@src")
            self.assertTrue(sources, f"the card of {url} has no icon")
            icons[url] = sources[0]
        self.assertGreaterEqual(len(icons), 2)
        self.assertEqual(len(set(icons.values())), len(icons), icons)
        all_icons = page.xpath("//div[contains(@class, 'o_portal_icon')]/img/@src")
        for url, icon in icons.items():
            self.assertEqual(all_icons.count(icon), 1, f"{url} shares its icon {icon}")

    def test_own_scorecard_pdf_is_served_and_another_partners_refused(self):
        page = self._page("pages_alpha", self.card_a.access_url)
        pdf_url = f"/my/scorecards/{self.card_a.id}?report_type=pdf&download=true"
        self.assertTrue(page.xpath(f"//a[@href='{pdf_url}']"), "no PDF link on the page")
        response = self.url_open(pdf_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn("Scorecard", response.headers["Content-Disposition"])
        # (tests render the report as HTML: the partner's own name is in it)
        self.assertIn(b"Pages Alpha Partners", response.content)
        other = self.url_open(f"/my/scorecards/{self.card_b.id}?report_type=pdf")
        self.assertTrue(other.url.endswith("/my"), other.url)
        self.assertNotEqual(other.headers["Content-Type"], "application/pdf")
        self.assertNotIn(b"Pages Beta Partners", other.content)

    def test_metric_values_read_with_their_unit_and_separators(self):
        Metric = self.env["scorecard.metric"].with_context(lang="en_US")
        percent = Metric.new({"unit": "percent"})
        self.assertEqual(percent._format_value(100.0), f"100{NBSP}%")
        self.assertEqual(percent._format_value(87.5), f"87.5{NBSP}%")
        amount = Metric.new({"unit": "amount"})
        symbol = self.env.company.currency_id.symbol
        self.assertIn("6,250.00", amount._format_value(6250.0))
        self.assertIn(symbol, amount._format_value(6250.0))
        self.assertEqual(Metric.new({"unit": "count"})._format_value(12.0), "12")
        page = self._page("pages_alpha", self.card_a.access_url)
        values = page.xpath("//table[contains(@class, 'o_scorecard_metrics')]/tbody/tr/td[2]")
        self.assertTrue(values)
        for cell in values:
            text = cell.text_content().strip()
            self.assertTrue(text.endswith("%") or text == "missing", text)

    def test_scorecard_breadcrumb_names_the_period(self):
        page = self._page("pages_alpha", self.card_a.access_url)
        crumbs = [
            li.text_content().strip()
            for li in page.xpath("//ol[contains(@class, 'breadcrumb')]/li")
        ]
        self.assertEqual(crumbs[-2:], ["Scorecards", self.card_a.period_id.name])

    def test_a_deal_has_its_page_for_its_partner_only(self):
        page = self._page("pages_beta", "/my/deals")
        self.assertTrue(page.xpath(f"//tr//a[@href='/my/deals/{self.deal_b.id}']"))
        page = self._page("pages_beta", f"/my/deals/{self.deal_b.id}")
        heading = page.xpath("//h2[contains(@class, 'o_portal_page_title')]")[0]
        self.assertIn("Pages Beta warehouse deal", heading.text_content())
        crumbs = [
            li.text_content().strip()
            for li in page.xpath("//ol[contains(@class, 'breadcrumb')]/li")
        ]
        self.assertEqual(crumbs[-2:], ["Deal registrations", "Pages Beta warehouse deal"])
        self.authenticate("pages_alpha", "pages_alpha")
        response = self.url_open(f"/my/deals/{self.deal_b.id}")
        self.assertTrue(response.url.endswith("/my/deals"), response.url)
        self.assertNotIn("Pages Beta warehouse deal", response.text)
