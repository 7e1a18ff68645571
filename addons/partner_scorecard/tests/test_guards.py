from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ScorecardCase

FORGED_FIGURES = {
    "overall_score": 99.0,
    "coverage": 100.0,
    "is_complete": True,
    "rank_in_type": 1,
    "trend": 50.0,
    "state": "reviewed",
    "recommendation_state": "pending",
}


@tagged("post_install", "-at_install")
class TestWorkflowGuards(ScorecardCase):
    """Issue 11: scorecard figures and a membership's tier change only through the compute engine
    and the actions, whatever the caller's group (channel.workflow.guard)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls._make_partner("Guarded Partner")
        cls._set_values(cls.member, cls.ref_date, quality=60, csat=70)
        cls.card = cls.Scorecard._recompute_memberships(cls.member, ref_date=cls.ref_date)

    def test_scorecard_figures_refused_on_write_for_every_group(self):
        before = (self.card.overall_score, self.card.coverage, self.card.state)
        for user in (self.user, self.manager):
            for fname, value in FORGED_FIGURES.items():
                with (
                    self.subTest(user=user.login, field=fname),
                    self._refused(AccessError, f"({fname})"),
                ):
                    self.card.with_user(user).write({fname: value})
        with self._refused(AccessError, "(overall_score)"):
            self.card.sudo().write({"overall_score": 99.0})
        self.card.invalidate_recordset()
        self.assertEqual((self.card.overall_score, self.card.coverage, self.card.state), before)

    def test_scorecard_created_with_figures_is_refused(self):
        vals = {
            "name": "Forged",
            "membership_id": self.member.id,
            "partner_id": self.member.partner_id.id,
            "period_id": self.card.period_id.id,
            "date_start": self.card.date_start,
            "date_end": self.card.date_end,
            "company_id": self.company.id,
            "overall_score": 100.0,
            "state": "computed",
        }
        with self._refused(AccessError, "(overall_score)"):
            self.Scorecard.with_user(self.manager).create(vals)

    def test_scorecard_identity_is_frozen(self):
        other = self.Period._get_or_create(date(2026, 8, 1), self.company)
        with self._refused(AccessError, "(period_id)"):
            self.card.with_user(self.manager).write({"period_id": other.id})

    def test_actions_still_move_the_scorecard(self):
        self.card.with_user(self.user).action_mark_reviewed()
        self.assertEqual(self.card.state, "reviewed")
        with self._refused(AccessError, "Channel Manager"):
            self.card.with_user(self.user).action_close()
        self.card.with_user(self.manager).action_close()
        self.assertEqual(self.card.state, "closed")

    def test_membership_tier_refused_on_write_and_create_for_every_group(self):
        for user in (self.user, self.manager):
            with self.subTest(user=user.login), self._refused(AccessError, "(tier_id)"):
                self.member.with_user(user).write({"tier_id": self.tier_top.id})
        with self._refused(AccessError, "Change Tier"):
            self.member.sudo().write({"tier_id": self.tier_top.id})
        partner = self.env["res.partner"].create({"name": "New Joiner", "is_company": True})
        for user in (self.user, self.manager):
            with self.subTest(user=user.login), self._refused(AccessError, "(tier_id)"):
                self.env["partner.membership"].with_user(user).create(
                    {
                        "partner_id": partner.id,
                        "partner_type_id": self.ptype.id,
                        "tier_id": self.tier_top.id,
                    }
                )
        # joining without a tier is a plain create; other fields stay editable
        joined = (
            self.env["partner.membership"]
            .with_user(self.user)
            .create({"partner_id": partner.id, "partner_type_id": self.ptype.id})
        )
        joined.with_user(self.user).write({"account_manager_id": self.manager.id})
        self.assertFalse(joined.tier_id)
        self.assertEqual(self.member.tier_id, self.tier_entry)
        self.assertEqual(len(self.member.tier_history_ids), 1, "only 'Joined the program'")

    def test_records_created_through_the_bypass_are_guarded_again(self):
        partner = self.env["res.partner"].create({"name": "Placed Joiner", "is_company": True})
        membership = self.env["partner.membership"]._workflow_create(
            {
                "partner_id": partner.id,
                "partner_type_id": self.ptype.id,
                "tier_id": self.tier_mid.id,
            }
        )
        self.assertEqual(membership.tier_id, self.tier_mid)
        with self._refused(AccessError, "(tier_id)"):
            membership.write({"tier_id": self.tier_top.id})
        self.assertEqual(membership.tier_id, self.tier_mid)

    def test_change_tier_dialog_is_the_managers_logged_way(self):
        with self._refused(AccessError, "Channel Manager"):
            self.member.with_user(self.user).action_change_tier()
        action = self.member.with_user(self.manager).action_change_tier()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"tier_id": self.tier_mid.id, "reason": "Strategic account"})
        )
        wizard.action_apply()
        self.assertEqual(self.member.tier_id, self.tier_mid)
        last = self.member.tier_history_ids[:1]
        self.assertEqual(
            (last.old_tier_id, last.new_tier_id, last.reason, last.user_id),
            (self.tier_entry, self.tier_mid, "Strategic account", self.manager),
        )

    def test_applied_recommendation_moves_the_tier(self):
        card = self.card
        card._workflow_write(
            {"recommendation_state": "pending", "recommended_tier_id": self.tier_mid.id}
        )
        with self._refused(AccessError, "Channel Manager"):
            card.with_user(self.user).action_apply_recommendation()
        card.with_user(self.manager).action_apply_recommendation()
        self.assertEqual(self.member.tier_id, self.tier_mid)
        self.assertEqual(card.recommendation_state, "applied")
        self.assertEqual(self.member.tier_history_ids[:1].scorecard_id, card)

    def test_computed_rows_and_tier_history_are_read_only_for_every_group(self):
        line = self.card.line_ids[:1]
        history = self.member.tier_history_ids[:1]
        for user in (self.user, self.manager):
            with self.subTest(user=user.login):
                for records, vals in (
                    (line, {"score": 100.0}),
                    (self.card.domain_ids[:1], {"score": 100.0}),
                    (history, {"reason": "Rewritten"}),
                ):
                    with self.assertRaises(AccessError):
                        records.with_user(user).write(vals)
                with self.assertRaises(AccessError):
                    self.env["partner.tier.history"].with_user(user).create(
                        {"membership_id": self.member.id, "new_tier_id": self.tier_top.id}
                    )
        self.assertEqual(len(self.member.tier_history_ids), 1)
