from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged

from .common import ScorecardCase


@tagged("post_install", "-at_install")
class TestIncompleteScorecard(HttpCase, ScorecardCase):
    """Missing is missing (issue 10): below the company's minimum coverage a scorecard shows
    "incomplete" — no score out of 100, no rank, no trend and never "You meet every criterion of
    the next tier" — in the backend, the portal, the PDF and the e-mail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one certification and a perfect quality score: the next tier's criteria (overall 60,
        # one certification) look met, but only 30 % of the weight has data (minimum 60 %)
        cls.sparse = cls._make_partner("Sparse Partners", certifications=1)
        cls._set_values(cls.sparse, cls.ref_date, quality=100)
        cls.full = cls._make_partner("Measured Partners", certifications=1)
        cls._set_values(cls.full, cls.ref_date, quality=70, csat=80)
        cards = cls.Scorecard._recompute_memberships(cls.sparse | cls.full, ref_date=cls.ref_date)
        cls.card = cards.filtered(lambda c: c.membership_id == cls.sparse)
        cls.full_card = cards.filtered(lambda c: c.membership_id == cls.full)
        contact = cls.env["res.partner"].create(
            {"name": "Sparse Contact", "parent_id": cls.sparse.partner_id.id}
        )
        new_test_user(
            cls.env, login="portal_sparse", groups="base.group_portal", partner_id=contact.id
        )

    def test_incomplete_scorecard_has_no_rank_and_no_trend(self):
        self.assertEqual(self.card.coverage, 30.0)
        self.assertFalse(self.card.is_complete)
        self.assertEqual(self.card.completeness, "incomplete")
        self.assertFalse(self.card.rank_in_type, "a score on 30 % of the weight ranks nobody")
        self.assertFalse(self.card.has_trend)
        self.assertFalse(self.card.gap_ids, "the next tier's criteria look met on partial data")
        # the complete scorecard is first of its type, whatever the incomplete one's 100 points
        self.assertEqual(self.full_card.completeness, "complete")
        self.assertEqual(self.full_card.rank_in_type, 1)
        self.assertEqual(self.sparse.last_is_complete, False)
        self.assertEqual(self.sparse.last_overall_score, 0.0)

    def test_portal_page_says_incomplete(self):
        self.authenticate("portal_sparse", "portal_sparse")
        response = self.url_open(f"/my/scorecards/{self.card.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Sparse Partners", page)
        self.assertIn("incomplete", page)
        self.assertNotIn("/ 100", page)
        header = page.split("o_portal_scorecard")[1].split("Domain scores")[0]
        self.assertNotIn("100.0", header, "no overall score shown")
        self.assertNotRegex(header, r"rank\s*<strong>")
        self.assertNotIn("You meet every criterion of the next tier", page)
        self.assertIn("measured once the scorecard is complete", page)

    def test_pdf_says_incomplete(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("partner_scorecard.report_partner_scorecard", self.card.ids)[0]
            .decode()
        )
        self.assertIn("incomplete", html)
        self.assertNotIn("/ 100", html)
        self.assertNotIn("Rank", html)
        complete = (
            self.env["ir.actions.report"]
            ._render_qweb_html("partner_scorecard.report_partner_scorecard", self.full_card.ids)[0]
            .decode()
        )
        self.assertIn("/ 100", complete)
        self.assertIn("Rank", complete)

    def test_email_says_incomplete(self):
        template = self.env.ref("partner_scorecard.mail_template_partner_scorecard")
        body = template._render_field("body_html", self.card.ids)[self.card.id]
        self.assertIn("incomplete", body)
        self.assertNotIn("out of 100", body)

    def test_backend_list_and_form_hide_score_and_rank_of_incomplete_cards(self):
        views = self.Scorecard.get_views([(False, "list"), (False, "form")])["views"]
        for view_type in ("list", "form"):
            arch = etree.fromstring(views[view_type]["arch"])
            score = arch.xpath("//field[@name='overall_score']")[0]
            self.assertEqual(score.get("invisible"), "not is_complete", view_type)
            rank = arch.xpath("//field[@name='rank_in_type']")[0]
            self.assertEqual(rank.get("invisible"), "not rank_in_type", view_type)
            self.assertTrue(arch.xpath("//field[@name='completeness']"), view_type)
        form = etree.fromstring(views["form"]["arch"])
        note = form.xpath("//page[@name='gap']/div[contains(@class, 'alert')]")
        self.assertIn("measured once the scorecard is complete", "".join(note[0].itertext()))
        self.assertEqual(note[0].get("invisible"), "is_complete or state == 'draft'")
