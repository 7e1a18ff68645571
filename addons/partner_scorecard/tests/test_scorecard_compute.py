from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ScorecardCase


@tagged("post_install", "-at_install")
class TestScorecardCompute(ScorecardCase):
    def test_scores_from_manual_and_crm_values(self):
        member = self._make_partner("Acme Integrators", certifications=1)
        self._set_values(member, self.ref_date, quality=75, csat=90)
        # 2 won, 2 lost closed in Q2 -> win rate 50 % -> 100 points; one won in Q1 does not count
        for won in (True, True, False, False):
            self._make_deal(member.partner_id, 1000, won, date(2026, 4, 2), date(2026, 4, 20))
        self._make_deal(member.partner_id, 1000, True, date(2026, 1, 2), date(2026, 2, 1))
        card = self._card(member)
        lines = {line.metric_id: line for line in card.line_ids}
        self.assertEqual(lines[self.m_quality].score, 50.0)  # 75 between floor 50 and target 100
        self.assertEqual(lines[self.m_csat].score, 100.0)
        self.assertEqual(lines[self.m_win].raw_value, 50.0)
        self.assertEqual(lines[self.m_win].score, 100.0)
        domains = {d.domain: d.score for d in card.domain_ids}
        self.assertEqual(domains, {"implementation": 75.0, "sales": 100.0})
        self.assertEqual(card.overall_score, 85.0)  # 0.6 * 75 + 0.4 * 100
        self.assertEqual(card.state, "computed")
        self.assertTrue(card.is_complete)
        self.assertEqual(card.period_id.name, "2026-Q2")

    def test_missing_metric_is_shown_missing_and_its_weight_moves(self):
        member = self._make_partner("Sparse Data Ltd")
        self._set_values(member, self.ref_date, quality=100)  # no CSAT, no CRM deal
        card = self._card(member)
        csat = card.line_ids.filtered(lambda line: line.metric_id == self.m_csat)
        self.assertFalse(csat.has_value)
        self.assertEqual(csat.effective_weight, 0.0)
        quality = card.line_ids.filtered(lambda line: line.metric_id == self.m_quality)
        self.assertEqual(quality.effective_weight, 100.0)  # the only measured metric carries all
        self.assertEqual(card.overall_score, 100.0)
        self.assertEqual(card.coverage, 30.0)  # half of the 60 % implementation weight
        self.assertFalse(card.is_complete)
        self.assertEqual(card.recommendation, "keep")  # incomplete cards never move a tier

    def test_rank_within_type_and_trend(self):
        strong = self._make_partner("Strong Co")
        weak = self._make_partner("Weak Co")
        for member, value in ((strong, 100), (weak, 60)):
            self._set_values(member, date(2026, 2, 1), quality=value, csat=90)
            self._set_values(member, self.ref_date, quality=value - 10, csat=90)
        self.Scorecard._recompute_memberships(strong | weak, ref_date=date(2026, 2, 1))
        cards = self.Scorecard._recompute_memberships(strong | weak, ref_date=self.ref_date)
        by_member = {c.membership_id: c for c in cards}
        self.assertEqual(by_member[strong].rank_in_type, 1)
        self.assertEqual(by_member[weak].rank_in_type, 2)
        # no deal, so sales is missing and implementation carries the whole score:
        # quality 100 -> 90 is 100 -> 80 points on half of the domain, -10 overall
        self.assertTrue(by_member[strong].has_trend)
        self.assertAlmostEqual(by_member[strong].trend, -10.0)

    def test_promotion_needs_two_periods_and_a_manager_decision(self):
        member = self._make_partner("Climber BV", tier=self.tier_entry, certifications=1)
        for day in (date(2026, 2, 1), self.ref_date):
            self._set_values(member, day, quality=80, csat=80)
        first = self._card(member, date(2026, 2, 1))
        self.assertEqual(first.qualifying_tier_id, self.tier_mid)
        self.assertEqual(first.recommendation, "keep")  # one period above is not enough
        first.period_id.action_close()
        second = self._card(member)
        self.assertEqual(second.recommendation, "promote")
        self.assertEqual(second.recommended_tier_id, self.tier_mid)
        self.assertEqual(second.recommendation_state, "pending")
        with self.assertRaises(UserError):
            second.with_user(self.user).action_apply_recommendation()
        second.with_user(self.manager).action_apply_recommendation()
        self.assertEqual(member.tier_id, self.tier_mid)
        self.assertEqual(second.recommendation_state, "applied")
        last = member.tier_history_ids.sorted("id")[-1]
        self.assertEqual((last.old_tier_id, last.new_tier_id), (self.tier_entry, self.tier_mid))
        self.assertEqual(last.scorecard_id, second)

    def test_demotion_waits_for_grace_and_can_be_rejected(self):
        member = self._make_partner("Slipping SA", tier=self.tier_mid, certifications=1)
        for day in (date(2026, 2, 1), self.ref_date):
            self._set_values(member, day, quality=55, csat=65)
        first = self._card(member, date(2026, 2, 1))
        self.assertEqual(first.qualifying_tier_id, self.tier_entry)
        self.assertEqual(first.recommendation, "keep")  # grace period
        second = self._card(member)
        self.assertEqual(second.recommendation, "demote")
        self.assertEqual(second.recommended_tier_id, self.tier_entry)
        second.with_user(self.manager).action_reject_recommendation()
        self.assertEqual(second.recommendation_state, "rejected")
        self.assertEqual(member.tier_id, self.tier_mid)

    def test_gap_to_next_tier_names_each_short_criterion(self):
        member = self._make_partner("Almost There", tier=self.tier_mid, certifications=1)
        self._set_values(member, self.ref_date, quality=90, csat=90)
        self._make_deal(member.partner_id, 1000, True, date(2026, 4, 1), date(2026, 4, 3))
        self._make_deal(member.partner_id, 1000, False, date(2026, 4, 1), date(2026, 4, 3))
        self._make_deal(member.partner_id, 1000, False, date(2026, 4, 1), date(2026, 4, 3))
        card = self._card(member)
        # implementation 90, sales: win rate 33.33 % -> 66.67 points; overall 80.67
        self.assertEqual(card.next_tier_id, self.tier_top)
        gaps = {gap.name: (gap.required_value, gap.shortfall) for gap in card.gap_ids}
        self.assertEqual(gaps["Active certifications"], (2.0, 1.0))
        self.assertEqual(gaps["Sales Effectiveness score"], (70.0, 3.33))
        self.assertNotIn("Overall score", gaps)

    def test_expired_certification_stops_counting(self):
        member = self._make_partner("Lapsed Certs")
        self.env["partner.certification"].create(
            {
                "partner_id": member.partner_id.id,
                "certification_type_id": self.cert_type.id,
                "date_obtained": date(2025, 4, 15),  # 12 months: valid at Q1's end, not Q2's
            }
        )
        self._set_values(member, self.ref_date, quality=90, csat=90)
        self.assertEqual(self._card(member).certification_count, 0)
        q1 = self._card(member, date(2026, 2, 1))
        self.assertEqual(q1.certification_count, 1)

    def test_closed_scorecard_never_changes(self):
        member = self._make_partner("Frozen Ltd")
        self._set_values(member, self.ref_date, quality=90, csat=90)
        card = self._card(member)
        card.with_user(self.manager).action_close()
        with self.assertRaises(UserError):
            card.write({"overall_score": 1})
        with self.assertRaises(UserError):
            card.write({"state": "computed"})
        with self.assertRaises(UserError):
            card.unlink()
        score = card.overall_score
        self.Scorecard._recompute_memberships(member, ref_date=self.ref_date)
        self.assertEqual(card.overall_score, score)

    def test_review_actions_schedule_owner_activities(self):
        member = self._make_partner("Reviewed Inc")
        self._set_values(member, self.ref_date, quality=70, csat=70)
        card = self._card(member)
        review = self.env["partner.review"].create({"scorecard_id": card.id})
        action = self.env["partner.review.action"].create(
            {
                "review_id": review.id,
                "name": "Certify a consultant",
                "owner_id": self.user.id,
                "date_due": date(2026, 6, 30),
            }
        )
        self.assertEqual(action.activity_ids.user_id, self.user)
        self.assertEqual(action.activity_ids.date_deadline, date(2026, 6, 30))
        action.action_done()
        self.assertFalse(action.activity_ids)
        review.action_done()
        self.assertEqual(card.state, "reviewed")
