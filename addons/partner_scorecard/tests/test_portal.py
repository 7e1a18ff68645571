import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ScorecardCase
from .readonly import ReadOnlyRouteMixin


@tagged("post_install", "-at_install")
class TestPortal(ReadOnlyRouteMixin, HttpCase, ScorecardCase):
    """A partner's portal users see their own scorecards and deals, over HTTP and in the ORM."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member_a = cls._make_partner("Portal Alpha Partners", certifications=1)
        cls.member_b = cls._make_partner("Portal Beta Partners")
        for member, quality in ((cls.member_a, 80), (cls.member_b, 60)):
            cls._set_values(member, cls.ref_date, quality=quality, csat=85)
        cards = cls.Scorecard._recompute_memberships(
            cls.member_a | cls.member_b, ref_date=cls.ref_date
        )
        cls.card_a = cards.filtered(lambda c: c.membership_id == cls.member_a)
        cls.card_b = cards.filtered(lambda c: c.membership_id == cls.member_b)
        cls.portal_a = cls._portal_user("portal_alpha", cls.member_a)
        cls.portal_b = cls._portal_user("portal_beta", cls.member_b)
        cls.deal_b = cls.env["crm.lead"].create(
            {
                "name": "Beta secret deal",
                "type": "opportunity",
                "channel_partner_id": cls.member_b.partner_id.id,
            }
        )

    @classmethod
    def _portal_user(cls, login, member):
        contact = cls.env["res.partner"].create(
            {"name": login.title(), "parent_id": member.partner_id.id}
        )
        return new_test_user(
            cls.env, login=login, groups="base.group_portal", partner_id=contact.id
        )

    def test_scorecard_page_shows_own_figures_and_charts(self):
        self.authenticate("portal_alpha", "portal_alpha")
        response = self.url_open("/my/scorecards")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Portal Alpha Partners", response.text)
        self.assertIn(f"{self.card_a.overall_score:.1f}", response.text)
        self.assertIn('class="o_scorecard_bars"', response.text)
        self.assertIn('class="o_scorecard_trend"', response.text)
        self.assertNotIn("Portal Beta Partners", response.text)

    def test_other_partners_scorecard_is_never_served(self):
        self.authenticate("portal_alpha", "portal_alpha")
        response = self.url_open(f"/my/scorecards/{self.card_b.id}")
        self.assertNotIn("Portal Beta Partners", response.text)
        self.assertTrue(response.url.endswith("/my"), response.url)
        own = self.url_open(f"/my/scorecards/{self.card_a.id}")
        self.assertIn("Portal Alpha Partners", own.text)

    def test_orm_isolation(self):
        Scorecard = self.env["partner.scorecard"].with_user(self.portal_a)
        self.assertEqual(Scorecard.search([]), self.card_a)
        with self.assertRaises(AccessError):
            self.card_b.with_user(self.portal_a).read(["overall_score"])
        with self.assertRaises(AccessError):
            self.card_a.with_user(self.portal_a).write({"overall_score": 99})
        lines = self.env["partner.scorecard.line"].with_user(self.portal_a).search([])
        self.assertEqual(lines.scorecard_id, self.card_a)
        deals = self.env["crm.lead"].with_user(self.portal_a).search([])
        self.assertNotIn(self.deal_b, deals)
        with self.assertRaises(AccessError):
            self.deal_b.with_user(self.portal_a).read(["name"])
        certs = self.env["partner.certification"].with_user(self.portal_a).search([])
        self.assertEqual(certs.partner_id, self.member_a.partner_id)
        with self.assertRaises(AccessError):
            self.env["partner.review"].with_user(self.portal_a).search([])

    def _csrf(self, path):
        page = self.url_open(path)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def test_register_deal_over_http(self):
        self.authenticate("portal_alpha", "portal_alpha")
        token = self._csrf("/my/deals")
        response = self.url_open(
            "/my/deals/register",
            data={
                "csrf_token": token,
                "name": "Warehouse rollout",
                "partner_name": "Gamma Wholesale",
                "expected_revenue": "25000",
                # a forged field is ignored: the deal always belongs to the user's partner
                "channel_partner_id": str(self.member_b.partner_id.id),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Deal registered", response.text)
        lead = self.env["crm.lead"].search([("name", "=", "Warehouse rollout")])
        self.assertEqual(lead.channel_partner_id, self.member_a.partner_id)
        self.assertEqual(lead.registration_state, "registered")
        self.assertEqual(lead.expected_revenue, 25000)
        self.assertNotIn("Beta secret deal", response.text)

    def test_bad_registration_is_refused_and_nothing_created(self):
        self.authenticate("portal_alpha", "portal_alpha")
        token = self._csrf("/my/deals")
        response = self.url_open(
            "/my/deals/register",
            data={"csrf_token": token, "name": "", "partner_name": "X", "expected_revenue": "-5"},
        )
        self.assertIn("Give the opportunity a name", response.text)
        self.assertIn("Expected Revenue must be a positive number", response.text)
        self.assertFalse(self.env["crm.lead"].search([("partner_name", "=", "X")]))

    def test_figure_pages_and_report_are_read_only(self):
        """The scorecard pages, the deals and the PDF's HTML are served on a read-only cursor (a
        replica) without writing anything."""
        self.authenticate("portal_alpha", "portal_alpha")
        self.assertReadOnlyPage("/my/scorecards", "Portal Alpha Partners")
        self.assertReadOnlyPage(f"/my/scorecards/{self.card_a.id}", "o_scorecard_bars")
        self.assertReadOnlyPage("/my/deals")
        self.assertReadOnlyPage("/my/leads")
        self.authenticate("portal_beta", "portal_beta")
        self.assertReadOnlyPage(f"/my/deals/{self.deal_b.id}", "Beta secret deal")
        new_test_user(
            self.env, login="sc_ro_manager", groups="partner_scorecard.group_channel_manager"
        )
        self.authenticate("sc_ro_manager", "sc_ro_manager")
        report = "partner_scorecard.report_partner_scorecard"
        self.assertReadOnlyPage(f"/report/html/{report}/{self.card_a.id}", "o_scorecard_bars")

    def test_report_renders_the_scorecard(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("partner_scorecard.report_partner_scorecard", self.card_a.ids)[0]
            .decode()
        )
        self.assertIn("Portal Alpha Partners", html)
        self.assertIn("o_scorecard_bars", html)


@tagged("post_install", "-at_install")
class TestPortalTour(HttpCase):
    def test_demo_portal_user_opens_scorecard_and_registers_deal(self):
        user = self.env.ref("partner_scorecard.portal_user_northwind")
        user.password = user.login  # start_tour logs in with the login as password
        self.start_tour("/my", "partner_scorecard_portal_tour", login=user.login)
        lead = self.env["crm.lead"].search([("name", "=", "Tour Warehouse Rollout")])
        self.assertEqual(
            lead.channel_partner_id, self.env.ref("partner_scorecard.partner_northwind")
        )


@tagged("post_install", "-at_install")
class TestMultiCompany(ScorecardCase):
    def test_other_company_users_do_not_see_the_scorecards(self):
        member = self._make_partner("Company A Partner")
        self._set_values(member, self.ref_date, quality=80, csat=80)
        card = self._card(member)
        other = self.env["res.company"].create({"name": "Other Channel Co"})
        outsider = new_test_user(
            self.env,
            login="sc_other_company",
            groups="partner_scorecard.group_channel_manager",
            company_id=other.id,
            company_ids=[other.id],
        )
        self.assertFalse(
            self.env["partner.scorecard"].with_user(outsider).search([("id", "=", card.id)])
        )
        self.assertFalse(
            self.env["partner.membership"].with_user(outsider).search([("id", "=", member.id)])
        )
        with self.assertRaises(AccessError):
            card.with_user(outsider).read(["overall_score"])

    def test_send_by_email_attaches_the_pdf_template(self):
        member = self._make_partner("Mail Partner")
        self._set_values(member, self.ref_date, quality=80, csat=80)
        action = self._card(member).action_send_by_email()
        template = self.env["mail.template"].browse(action["context"]["default_template_id"])
        self.assertEqual(
            template.report_template_ids,
            self.env.ref("partner_scorecard.partner_scorecard_report_action"),
        )

    def test_company_specific_configuration_stays_in_its_company(self):
        other = self.env["res.company"].create({"name": "Config Co"})
        outsider = new_test_user(
            self.env,
            login="sc_config_other",
            groups="partner_scorecard.group_channel_manager",
            company_id=other.id,
            company_ids=[other.id],
        )
        Metric = self.env["scorecard.metric"].with_user(outsider)
        self.assertFalse(
            Metric.search([("id", "=", self.m_quality.id)]) and self.m_quality.company_id
        )
        self.m_quality.company_id = self.env.company
        self.assertFalse(Metric.search([("id", "=", self.m_quality.id)]))
        shared = self.env.ref("partner_scorecard.metric_sales_win_rate")
        self.assertEqual(Metric.search([("id", "=", shared.id)]), shared)  # no company: shared
