from datetime import date

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common import ScorecardCase


@tagged("post_install", "-at_install")
class TestScorecardCron(ScorecardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only this class's partners are active in the program
        cls.env["partner.membership"].search([]).write({"state": "ended"})
        cls.members = cls.env["partner.membership"]
        for index in range(6):
            member = cls._make_partner(f"Cron Partner {index}")
            cls._set_values(member, cls.ref_date, quality=60 + 5 * index, csat=80)
            cls.members |= member

    def _run_cron(self, day, batch_size):
        calls, remaining = 0, None
        while remaining != 0:
            remaining = self.Scorecard._cron_recompute(ref_date=day, batch_size=batch_size)
            calls += 1
            self.assertLess(calls, 20, "the cron never finishes")
        return calls

    def test_cron_works_in_batches_and_is_idempotent(self):
        calls = self._run_cron(self.ref_date, batch_size=4)
        self.assertEqual(calls, 2)  # 4 + 2 scorecards
        cards = self.Scorecard.search([("membership_id", "in", self.members.ids)])
        self.assertEqual(len(cards), 6)
        self.assertEqual(set(cards.mapped("state")), {"computed"})
        snapshot = {c.id: (c.overall_score, c.rank_in_type, c.write_date) for c in cards}
        # a second run on the same day finds nothing to do and changes nothing
        self.assertEqual(self.Scorecard._cron_recompute(ref_date=self.ref_date), 0)
        cards.invalidate_recordset()
        self.assertEqual(
            {c.id: (c.overall_score, c.rank_in_type, c.write_date) for c in cards}, snapshot
        )
        self.assertEqual(
            self.Scorecard.search_count([("membership_id", "in", self.members.ids)]), 6
        )

    def test_cron_creates_only_the_missing_scorecards(self):
        """Each call creates the scorecards of memberships that have none yet, and only those:
        one joining mid-period gets its own on the next call, the others are left as they are."""
        self._run_cron(self.ref_date, batch_size=4)
        cards = self.Scorecard.search([("membership_id", "in", self.members.ids)])
        before = {c.id: (c.create_date, c.write_date, c.state) for c in cards}
        newcomer = self._make_partner("Cron Partner late")
        period = cards.period_id
        self.assertEqual(
            self.Scorecard._insert_missing_scorecards(
                period, SQL("m.id = ANY(%s)", (self.members | newcomer).ids)
            ),
            1,
        )
        # a second call finds nothing missing
        self.assertEqual(
            self.Scorecard._insert_missing_scorecards(
                period, SQL("m.id = ANY(%s)", (self.members | newcomer).ids)
            ),
            0,
        )
        self.assertEqual(self._run_cron(self.ref_date, batch_size=4), 1)
        cards.invalidate_recordset()
        self.assertEqual({c.id: (c.create_date, c.write_date, c.state) for c in cards}, before)
        late = self.Scorecard.search([("membership_id", "=", newcomer.id)])
        self.assertEqual((len(late), late.state, late.period_id), (1, "computed", period))

    def test_cron_closes_previous_period_after_the_configured_days(self):
        self._run_cron(self.ref_date, batch_size=10)
        q2 = self.Period.search([("date_start", "=", date(2026, 4, 1))])
        self.company.scorecard_close_days = 10
        self._run_cron(date(2026, 7, 5), batch_size=10)
        self.assertEqual(q2.state, "open")  # 5 days after the end: not yet
        self._run_cron(date(2026, 7, 12), batch_size=10)
        self.assertEqual(q2.state, "closed")
        self.assertEqual(set(q2.scorecard_ids.mapped("state")), {"closed"})
        q3 = self.Period.search([("date_start", "=", date(2026, 7, 1))])
        self.assertEqual(
            len(q3.scorecard_ids.filtered(lambda c: c.membership_id in self.members)), 6
        )

    def test_recompute_query_count_does_not_grow_with_partners(self):
        # n and 3n partners: the same count (one query per metric, then fixed reads and writes),
        # under a generous ceiling rather than an exact figure an Odoo patch release may move
        small, large = self.members[:2], self.members
        # create the scorecards first, then measure pure recomputes
        self.Scorecard._recompute_memberships(large, ref_date=self.ref_date)
        counts = [
            self._query_count(
                lambda members=members: self.Scorecard._recompute_memberships(
                    members, ref_date=self.ref_date
                )
            )
            for members in (small, large)
        ]
        self.assertEqual(counts[0], counts[1], "the query count grows with the partners")
        self.assertLess(counts[1], 80)

    def _overall(self):
        cards = self.Scorecard.search([("membership_id", "in", self.members.ids)])
        cards.invalidate_recordset()
        return {card.membership_id: card.overall_score for card in cards}

    def test_new_manual_value_shows_after_the_next_run_the_same_day(self):
        self._run_cron(self.ref_date, batch_size=10)
        before = self._overall()
        member = self.members[0]
        value = self.env["partner.metric.value"].search(
            [("partner_id", "=", member.partner_id.id), ("metric_id", "=", self.m_quality.id)]
        )
        value.value = 100  # corrected by hand, the same day
        self.assertEqual(self.Scorecard._cron_recompute(ref_date=self.ref_date), 0)
        after = self._overall()
        # quality 60 -> 100 is 20 -> 100 points on half of the implementation domain: +40
        self.assertAlmostEqual(after[member] - before[member], 40.0, places=1)
        self.assertEqual(
            {m: s for m, s in after.items() if m != member},
            {m: s for m, s in before.items() if m != member},
        )

    def test_template_edit_shows_after_the_next_run_the_same_day(self):
        self._run_cron(self.ref_date, batch_size=10)
        before = self._overall()
        quality, csat = (
            self.template.line_ids.filtered(lambda line, m=m: line.metric_id == m)
            for m in (self.m_quality, self.m_csat)
        )
        self.template.write(
            {
                "line_ids": [
                    Command.update(quality.id, {"weight": 100}),
                    Command.update(csat.id, {"weight": 0}),
                ]
            }
        )
        self._run_cron(self.ref_date, batch_size=10)
        after = self._overall()
        # csat 80 is 66.67 points; quality 60 + 5 i is 20 + 10 i points: now quality alone counts
        for index, member in enumerate(self.members):
            self.assertAlmostEqual(after[member], 20 + 10 * index, places=2)
            self.assertNotEqual(after[member], before[member])
