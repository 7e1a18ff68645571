from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .test_lead_distribution import T0, LeadDistributionCase

Q1_END = date(2026, 3, 31)


@tagged("post_install", "-at_install")
class TestLeadAnswersFeedTheScorecard(LeadDistributionCase):
    """The partners of the lead distribution are Implementation Partners, scored by the shipped
    Implementation Partner template, whose sales domain (15 % of the overall score) weighs
    forwarded leads accepted 10 % and the median response time 10 %. In March 2026 (2026-Q1)
    Top gets three leads: it accepts one after 2 h, declines one after 30 h and lets one expire.
    The lead Top has no room for goes to a Mid partner, which accepts it after 1 h."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.implementation = cls.env.ref("partner_scorecard.partner_type_implementation")
        cls.shipped = cls.env.ref("partner_scorecard.template_implementation")
        members = cls.top | cls.mid_a | cls.mid_b | cls.entry
        members._workflow_write({"partner_type_id": cls.implementation.id})
        cls.rule.partner_type_ids = [Command.set(cls.implementation.ids)]
        cls.acceptance = cls.env.ref("partner_scorecard.metric_sales_lead_acceptance")
        cls.response = cls.env.ref("partner_scorecard.metric_sales_lead_response")

    def _card(self, membership):
        card = self.Scorecard._recompute_memberships(membership, ref_date=Q1_END)
        self.assertEqual(card.template_id, self.shipped)
        return card

    def _line(self, card, metric):
        return card.line_ids.filtered(lambda line: line.metric_id == metric)

    def _domain(self, card, domain):
        return card.domain_ids.filtered(lambda d: d.domain == domain)

    def test_the_shipped_sales_templates_weigh_the_lead_answers(self):
        for xmlid, acceptance, response in (
            ("partner_scorecard.template_implementation", 10.0, 10.0),
            ("partner_scorecard.template_regional_reseller", 10.0, 10.0),
        ):
            lines = self.env.ref(xmlid).line_ids
            self.assertEqual(
                lines.filtered(lambda x: x.metric_id == self.acceptance).weight, acceptance
            )
            self.assertEqual(
                lines.filtered(lambda x: x.metric_id == self.response).weight, response
            )
            sales = lines.filtered(lambda x: x.domain == "sales")
            self.assertEqual(sum(sales.mapped("weight")), 100.0, xmlid)
        for xmlid in ("template_consulting", "template_hosting_msp", "template_oem"):
            lines = self.env.ref(f"partner_scorecard.{xmlid}").line_ids
            self.assertNotIn(self.acceptance, lines.metric_id, f"no forwarded leads: {xmlid}")

    def test_accepted_declined_and_expired_offers_change_the_score(self):
        Offer = self.env["crm.lead.offer"]
        before = self._card(self.top)
        self.assertFalse(self._line(before, self.acceptance).has_value, "no offer: missing")
        sales_before = self._domain(before, "sales").coverage
        overall_before = before.overall_score
        with freeze_time(T0):
            accepted = self._forward(self._lead("LDS 1"))
            declined = self._forward(self._lead("LDS 2"))
            fast = self._forward(self._lead("LDS 4"))
        quick = fast.partner_id
        self.assertNotEqual(quick, self.top.partner_id, "Top is at its capacity of two")
        with freeze_time("2026-03-02 11:00:00"):
            self._as(fast, self._portal_of(quick)).action_accept()  # 1 h
        with freeze_time("2026-03-02 12:00:00"):
            self._as(accepted, self.portal_top).action_accept()  # 2 h
        with freeze_time("2026-03-03 16:00:00"):
            self._as(declined, self.portal_top).action_decline("Not our sector")  # 30 h
            expired = self._forward(self._lead("LDS 3"))
        with freeze_time("2026-03-10 00:00:00"):
            Offer._cron_expire_offers()
        self.assertEqual(expired.state, "expired")
        self.assertEqual(expired.partner_id, self.top.partner_id)

        card = self._card(self.top)
        acceptance = self._line(card, self.acceptance)
        response = self._line(card, self.response)
        # 1 accepted of 3 answered or expired: 33.33 %, scored from floor 20 to target 80
        self.assertAlmostEqual(acceptance.raw_value, 100 / 3, places=2)
        self.assertAlmostEqual(acceptance.score, 22.22)  # (33.33 - 20) / 60
        # median of 2 h and 30 h: 16 h, scored from floor 48 h down to target 4 h
        self.assertAlmostEqual(response.raw_value, 16.0)
        self.assertAlmostEqual(response.score, 72.73)  # (48 - 16) / 44
        # the sales domain (its CRM metrics have no data here, their weight moves to the two
        # measured ones): (22.22 x 10 + 72.73 x 10) / 20
        sales = self._domain(card, "sales")
        self.assertAlmostEqual(sales.score, 47.48)
        self.assertAlmostEqual(sales.coverage, 20.0)
        self.assertAlmostEqual(sales_before, 0.0)
        # overall: sales (15) and ecosystem (10, no certification: 0 points) are measured,
        # (15 x 47.475 + 10 x 0) / 25; coverage 15 x 20 % + 10 x 65 % = 9.5 %
        self.assertEqual(overall_before, 0.0)
        self.assertAlmostEqual(card.overall_score, 28.48)
        self.assertAlmostEqual(card.coverage, 9.5)

        # a partner that accepted its lead within the hour scores higher on the same template
        member = self.mid_a if quick == self.mid_a.partner_id else self.mid_b
        other = self._card(member)
        self.assertEqual(self._line(other, self.acceptance).score, 100.0)  # 100 % >= 80 %
        self.assertEqual(self._line(other, self.response).score, 100.0)  # 1 h <= 4 h
        self.assertEqual(self._domain(other, "sales").score, 100.0)
        self.assertAlmostEqual(other.overall_score, 60.0)  # (15 x 100 + 10 x 0) / 25

    def _portal_of(self, partner):
        return self.portal_mid_a if partner == self.mid_a.partner_id else self.portal_mid_b
