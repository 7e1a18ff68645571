from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ScorecardCase

T0 = "2026-03-02 10:00:00"


class LeadDistributionCase(ScorecardCase):
    """Four members of a program of their own in one region and vertical: Top, two Mid, one
    Entry; a rule for Mid and above, two open offers per partner, 48 hours to answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["crm.lead.distribution.rule"]
        cls.Rule.search([]).action_archive()  # the demo's rules are not ours
        cls.vertical = cls.env["partner.vertical"].create({"name": "LD Test Vertical"})
        cls.region = cls.env["res.country.group"].create(
            {"name": "LD Test Region", "country_ids": [Command.set(cls.env.ref("base.se").ids)]}
        )
        cls.top = cls._member("LD Top", cls.tier_top)
        cls.mid_a = cls._member("LD Mid A", cls.tier_mid)
        cls.mid_b = cls._member("LD Mid B", cls.tier_mid)
        cls.entry = cls._member("LD Entry", cls.tier_entry)
        cls.rule = cls.Rule.create(
            {
                "name": "LD rule",
                "partner_type_ids": [Command.set(cls.ptype.ids)],
                "min_tier_level": cls.tier_mid.level,
                "region_ids": [Command.set(cls.region.ids)],
                "vertical_ids": [Command.set(cls.vertical.ids)],
                "capacity": 2,
                "response_hours": 48,
            }
        )
        cls.portal_top = cls._portal_user("ld_top", cls.top.partner_id)
        cls.portal_mid_a = cls._portal_user("ld_mid_a", cls.mid_a.partner_id)
        cls.portal_mid_b = cls._portal_user("ld_mid_b", cls.mid_b.partner_id)

    @classmethod
    def _member(cls, name, tier):
        membership = cls._make_partner(name, tier)
        membership.write(
            {"region_id": cls.region.id, "vertical_ids": [Command.set(cls.vertical.ids)]}
        )
        return membership

    @classmethod
    def _portal_user(cls, login, company):
        contact = cls.env["res.partner"].create(
            {"name": login.title(), "parent_id": company.id, "email": f"{login}@example.com"}
        )
        return new_test_user(
            cls.env, login=login, groups="base.group_portal", partner_id=contact.id
        )

    def _lead(self, name, **vals):
        return self.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "partner_name": f"{name} Customer",
                "country_id": self.env.ref("base.se").id,
                "distribution_vertical_id": self.vertical.id,
                "user_id": self.manager.id,
                **vals,
            }
        )

    def _forward(self, lead, user=None):
        lead.with_user(user or self.user).action_distribution_forward()
        return self._open_offer(lead)

    def _open_offer(self, lead):
        return lead.lead_offer_ids.filtered(lambda offer: offer.state == "offered")

    def _as(self, offer, user):
        return offer.with_user(user)

    def assertNote(self, lead, text):
        bodies = [str(message.body) for message in lead.message_ids]
        self.assertTrue(any(text in body for body in bodies), f"{text!r} not in {bodies}")


@tagged("post_install", "-at_install")
class TestLeadDistribution(LeadDistributionCase):
    def test_forward_offers_the_highest_tier_then_round_robin(self):
        with freeze_time(T0):
            first = self._lead("LD First")
            offer = self._forward(first)
            self.assertEqual(offer.partner_id, self.top.partner_id)
            self.assertEqual(offer.deadline, datetime(2026, 3, 4, 10, 0))
            self.assertEqual(offer.create_uid, self.user, "who forwarded it")
            self.assertEqual(first.distribution_state, "offered")
            self.assertEqual(first.distribution_rule_id, self.rule)
            self.assertNote(first, "Offered to LD Top")
            mail = offer.message_ids.filtered(lambda m: "New lead for you" in (m.subject or ""))
            self.assertEqual(mail.partner_ids, self.portal_top.partner_id, "the portal user")
        with freeze_time("2026-03-02 11:00:00"):
            self._as(offer, self.portal_top).action_decline("Fully booked this quarter")
            # the two Mid partners were never offered anything: the lower id first
            moved = self._open_offer(first)
            self.assertEqual(moved.partner_id, self.mid_a.partner_id)
            mail = moved.message_ids.filtered(lambda m: "New lead for you" in (m.subject or ""))
            self.assertEqual(mail.partner_ids, self.portal_mid_a.partner_id)
            self.assertEqual(mail.author_id, self.manager.partner_id, "the salesperson, not LD Top")
            self.assertNote(first, "Fully booked this quarter")
            second = self._lead("LD Second")
            top_offer = self._forward(second)
            self.assertEqual(top_offer.partner_id, self.top.partner_id, "the tier comes first")
            self._as(top_offer, self.portal_top).action_decline("Not our market")
            # Mid A was offered a lead lately, Mid B not: round robin
            self.assertEqual(self._open_offer(second).partner_id, self.mid_b.partner_id)

    def test_accept_makes_the_partner_the_channel_partner(self):
        with freeze_time(T0):
            lead = self._lead("LD Accept")
            offer = self._forward(lead)
        with freeze_time("2026-03-02 13:30:00"):
            self._as(offer, self.portal_top).action_accept()
        self.assertEqual(offer.state, "accepted")
        self.assertEqual(offer.responded_at, datetime(2026, 3, 2, 13, 30))
        self.assertEqual(offer.response_hours, 3.5)
        self.assertEqual(offer.responded_by_id, self.portal_top)
        self.assertEqual(lead.channel_partner_id, self.top.partner_id)
        self.assertEqual(lead.distribution_state, "accepted")
        self.assertEqual(lead.user_id, self.manager, "the salesperson stays")
        self.assertNote(lead, "LD Top accepted the lead")
        with self._refused(UserError, "can no longer be answered"):
            self._as(offer, self.portal_top).action_decline("Changed our mind")

    def test_expiry_moves_on_at_the_deadline_and_is_safe_twice(self):
        Offer = self.env["crm.lead.offer"]
        with freeze_time(T0):
            lead = self._lead("LD Expiry")
            first = self._forward(lead)
        with freeze_time("2026-03-04 10:00:00"):  # the deadline itself: still answerable
            Offer._cron_expire_offers()
            self.assertEqual(first.state, "offered")
        with freeze_time("2026-03-04 10:00:01"):
            Offer._cron_expire_offers()
            self.assertEqual(first.state, "expired")
            self.assertFalse(first.response_hours)
            second = self._open_offer(lead)
            self.assertEqual(second.partner_id, self.mid_a.partner_id)
            self.assertEqual(second.deadline, datetime(2026, 3, 6, 10, 0, 1))
            Offer._cron_expire_offers()  # twice: nothing more happens
            self.assertEqual(lead.lead_offer_ids.mapped("state").count("offered"), 1)
            self.assertEqual(len(lead.lead_offer_ids), 2)
        with freeze_time("2026-03-06 10:00:02"):
            Offer._cron_expire_offers()
            third = self._open_offer(lead)
            self.assertEqual(third.partner_id, self.mid_b.partner_id)
            with self._refused(UserError, "Give the Reason"):
                self._as(third, self.portal_mid_b).action_decline("  ")
            self.assertEqual(third.state, "offered")
            self._as(third, self.portal_mid_b).action_decline("No retail consultants free")
        # the Entry partner is below the rule's tier: nobody is left
        self.assertEqual(lead.distribution_state, "exhausted")
        self.assertNotIn(self.entry.partner_id, lead.lead_offer_ids.partner_id)
        self.assertNote(lead, "No other partner is eligible")

    def test_ranking_queries_do_not_grow_with_the_members(self):
        lead = self._lead("LD Queries")

        def pick():
            self.assertEqual(lead._distribution_pick(self.rule, set()), self.top)

        few = self._query_count(pick)
        for index in range(6):
            self._member(f"LD Extra {index}", self.tier_mid)
        self.assertEqual(self._query_count(pick), few)

    def test_expiry_runs_in_bounded_slices(self):
        Offer = self.env["crm.lead.offer"]
        with freeze_time(T0):
            first = self._forward(self._lead("LD Slice 1"))
            second = self._forward(self._lead("LD Slice 2"))
        with freeze_time("2026-03-05 00:00:00"):
            self.assertEqual(Offer._cron_expire_offers(batch_size=1), first, "oldest first")
            self.assertEqual(second.state, "offered")
            self.assertEqual(Offer._cron_expire_offers(batch_size=1), second)
            self.assertEqual((first | second).mapped("state"), ["expired", "expired"])

    def test_an_expired_offer_cannot_be_accepted(self):
        with freeze_time(T0):
            lead = self._lead("LD Late")
            offer = self._forward(lead)
        with freeze_time("2026-03-04 10:00:01"), self._refused(UserError, "expired on"):
            self._as(offer, self.portal_top).action_accept()
        self.assertEqual(offer.state, "offered")
        self.assertFalse(lead.channel_partner_id)

    def test_capacity_and_suspended_partners_are_skipped(self):
        self.rule.capacity = 1
        with freeze_time(T0):
            self.assertEqual(self._forward(self._lead("LD Cap 1")).partner_id, self.top.partner_id)
            self.assertEqual(
                self._forward(self._lead("LD Cap 2")).partner_id,
                self.mid_a.partner_id,
                "Top holds one open offer already",
            )
            self.mid_b.action_suspend()
            with self._refused(UserError, "No partner is eligible"):
                self._forward(self._lead("LD Cap 3"))

    def test_suspended_partner_refused_nothing_half_created(self):
        self.mid_a.action_suspend()
        ok_lead = self._lead("LD Fine")
        lead = self._lead("LD Suspended", distribution_partner_id=self.mid_a.partner_id.id)
        messages = lead.message_ids
        with (
            freeze_time(T0),
            self._refused(UserError, "LD Mid A's partner membership is Suspended"),
        ):
            (ok_lead | lead).with_user(self.user).action_distribution_forward()
        self.assertFalse(lead.lead_offer_ids | ok_lead.lead_offer_ids, "no offer at all")
        self.assertFalse(lead.distribution_state or ok_lead.distribution_state)
        self.assertEqual(lead.message_ids, messages)

    def test_refused_forwards_name_the_fix(self):
        with freeze_time(T0):
            assigned = self._lead("LD Assigned", channel_partner_id=self.top.partner_id.id)
            with self._refused(UserError, "clear the Channel Partner"):
                self._forward(assigned)
            lead = self._lead("LD Twice")
            self._forward(lead)
            with self._refused(UserError, "is already offered to a partner"):
                self._forward(lead)
            self.rule.min_tier_level = 999
            with self._refused(UserError, "No partner is eligible"):
                self._forward(self._lead("LD Nobody"))
            self.rule.action_archive()
            with self._refused(UserError, "No active distribution rule"):
                self._forward(self._lead("LD No rule"))

    def test_rights_per_role(self):
        with freeze_time(T0):
            lead = self._lead("LD Rights")
            portal_lead = lead.with_user(self.portal_top)
            with self._refused(AccessError, "Channel User"):
                portal_lead.action_distribution_forward()
            offer = self._forward(lead)
            with self._refused(AccessError, "Accept / Decline / Withdraw"):
                self._as(offer, self.manager).write({"state": "accepted"})
            with self._refused(AccessError, "Forward to Partners"):
                lead.with_user(self.manager).write({"distribution_state": "accepted"})
            with self._refused(AccessError, "crm.lead.offer"):  # its record rule
                self._as(offer, self.portal_mid_a).action_accept()
            with self._refused(AccessError, "portal users"):
                self._as(offer, self.user).action_accept()
            with self._refused(AccessError, "Channel Manager"):
                self._as(offer, self.user).action_withdraw()
            self.assertFalse(
                self.env["crm.lead.offer"]
                .with_user(self.portal_mid_a)
                .search([("id", "=", offer.id)]),
                "another partner's offer is invisible",
            )
            self._as(offer, self.manager).action_withdraw()
            self.assertEqual(offer.state, "withdrawn")
            self.assertFalse(lead.distribution_state)
            # free again: the rules offer it to the next partner that has not had it
            self.assertEqual(self._forward(lead).partner_id, self.mid_a.partner_id)

    def test_scorecard_metrics_acceptance_and_response_time(self):
        Offer = self.env["crm.lead.offer"]
        with freeze_time(T0):
            accepted = self._forward(self._lead("LD M1"))
            declined = self._forward(self._lead("LD M2"))
        with freeze_time("2026-03-02 12:00:00"):
            self._as(accepted, self.portal_top).action_accept()  # 2 h
        with freeze_time("2026-03-03 16:00:00"):
            self._as(declined, self.portal_top).action_decline("No")  # 30 h
            expired = self._forward(self._lead("LD M3"))
        with freeze_time("2026-03-10 00:00:00"):
            Offer._cron_expire_offers()
        self.assertEqual(expired.state, "expired")
        Provider = self.env["partner.scorecard.provider"]
        context = Provider._metric_context(
            self.company, date(2026, 3, 1), date(2026, 3, 31), self.top.partner_id
        )
        acceptance = self.env.ref("partner_scorecard.metric_sales_lead_acceptance")
        response = self.env.ref("partner_scorecard.metric_sales_lead_response")
        top = self.top.partner_id.id
        self.assertAlmostEqual(Provider._compute_metric(acceptance, context)[top], 100 / 3)
        self.assertAlmostEqual(Provider._compute_metric(response, context)[top], 16.0)
        # an offer counts in the period it was answered or expired in, for its company only
        april = Provider._metric_context(
            self.company, date(2026, 4, 1), date(2026, 4, 30), self.top.partner_id
        )
        self.assertEqual(Provider._compute_metric(acceptance, april), {})
        other = self.env["res.company"].create({"name": "LD Other Company"})
        elsewhere = Provider._metric_context(
            other, date(2026, 3, 1), date(2026, 3, 31), self.top.partner_id
        )
        self.assertEqual(Provider._compute_metric(acceptance, elsewhere), {})
