from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ScorecardCase

PARAM = "partner_channel.batch_slices"
RECOMPUTE = "partner_scorecard.partner_scorecard_cron_recompute"


@tagged("post_install", "-at_install")
class TestCronSlices(ScorecardCase):
    """Parallel slices: the setting, its twin scheduled actions, and the scorecard cron split
    over slices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["partner.membership"].search([]).write({"state": "ended"})
        cls.members = cls.env["partner.membership"]
        for index in range(9):
            member = cls._make_partner(f"Slice Partner {index}")
            cls._set_values(member, cls.ref_date, quality=55 + 5 * index, csat=80)
            cls.members |= member
        cls.Cron = cls.env["ir.cron"].with_context(active_test=False)
        cls.recompute = cls.env.ref(RECOMPUTE)

    def _set_slices(self, value):
        self.env["ir.config_parameter"].sudo().set_param(PARAM, value)

    def _twins(self, cron=None):
        return self.Cron.search(
            [("channel_slice_of_id", "=", (cron or self.recompute).id)],
            order="channel_slice_index",
        )

    # ---------------------------------------------------------------- the twins

    def test_setting_creates_and_removes_the_twins(self):
        self.recompute.write({"interval_number": 6, "interval_type": "hours", "priority": 3})
        self._set_slices(3)
        twins = self._twins()
        name = self.recompute.name
        self.assertEqual(twins.mapped("name"), [f"{name} (slice 2/3)", f"{name} (slice 3/3)"])
        self.assertEqual(
            twins.mapped("code"),
            ["model._cron_recompute(slice_index=1)", "model._cron_recompute(slice_index=2)"],
        )
        for twin in twins:
            self.assertEqual(
                (twin.model_id, twin.interval_number, twin.interval_type, twin.priority),
                (self.recompute.model_id, 6, "hours", 3),
            )
            self.assertEqual((twin.active, twin.user_id), (True, self.recompute.user_id))
        # every registered job gets its twins, not only the scorecards'
        for xmlid in self.env["ir.cron"]._channel_batch_jobs():
            self.assertEqual(len(self._twins(self.env.ref(xmlid))), 2, xmlid)

        # the original's schedule and activity hold for its slices
        self.recompute.write({"active": False, "interval_number": 2})
        self.assertEqual(set(twins.mapped("active")), {False})
        self.assertEqual(set(twins.mapped("interval_number")), {2})

        # fewer slices: the last twin goes, the other is renamed
        self._set_slices(2)
        self.assertFalse(twins[1].exists())
        self.assertEqual(self._twins().mapped("name"), [f"{name} (slice 2/2)"])
        self.assertEqual(self._twins(), twins[0])

        # back to one slice: no twin left
        self.env["ir.config_parameter"].sudo().search([("key", "=", PARAM)]).unlink()
        self.assertFalse(self._twins())
        self.assertFalse(
            self.Cron.search_count([("channel_slice_of_id", "!=", False)]),
            "no twin of any job is left",
        )

    def test_only_the_suites_own_twins_are_removed(self):
        """A scheduled action someone made by hand, even named like a twin, is never touched."""
        own = self.Cron.create(
            {
                "name": f"{self.recompute.name} (slice 2/2)",
                "model_id": self.recompute.model_id.id,
                "state": "code",
                "code": "model._cron_recompute(slice_index=1)",
            }
        )
        self._set_slices(2)
        self.assertEqual(len(self._twins()), 1)
        duplicate = self._twins().copy()
        self.assertFalse(duplicate.channel_slice_of_id, "a duplicate is somebody's own")
        self._set_slices(1)
        self.assertFalse(self._twins())
        self.assertTrue(own.exists())
        self.assertTrue(duplicate.exists())

    def test_twins_go_with_their_original(self):
        self._set_slices(3)
        twins = self._twins()
        actions = twins.ir_actions_server_id
        self.recompute.unlink()
        self.assertFalse(twins.exists())
        self.assertFalse(actions.exists(), "no server action is left behind")

    def test_bad_slice_count_is_refused_naming_the_setting(self):
        self._set_slices(2)
        for bad in (0, 17, "two", -1):
            with self.subTest(bad=bad), self.assertRaisesRegex(ValidationError, "Parallel Slices"):
                self._set_slices(bad)
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param(PARAM), "2")
        self.assertEqual(len(self._twins()), 1)
        # from the settings page as well
        settings = Form(self.env["res.config.settings"])
        self.assertEqual(settings.channel_batch_slices, 2)
        settings.channel_batch_slices = 20
        with self.assertRaisesRegex(ValidationError, "from 1 .* to 16"):
            settings.save().execute()
        settings = Form(self.env["res.config.settings"])
        settings.channel_batch_slices = 4
        settings.save().execute()
        self.assertEqual(len(self._twins()), 3)

    # ---------------------------------------------------------------- the scorecard cron

    def _cards(self):
        cards = self.Scorecard.search([("membership_id", "in", self.members.ids)])
        cards.invalidate_recordset()
        return cards

    def _run_slice(self, slice_index, batch_size=2, day=None):
        calls, remaining = 0, None
        while remaining != 0:
            remaining = self.Scorecard._cron_recompute(
                ref_date=day or self.ref_date, batch_size=batch_size, slice_index=slice_index
            )
            calls += 1
            self.assertLess(calls, 20, "the slice never finishes")
        return calls

    def test_slices_split_the_scorecards_disjointly_and_completely(self):
        self._set_slices(3)
        computed = {}
        # the original (slice 0) opens the period; the twins then run in any order
        for slice_index in (0, 2, 1):
            before = set(self._cards().filtered("computed_on").membership_id.ids)
            self._run_slice(slice_index)
            after = set(self._cards().filtered("computed_on").membership_id.ids)
            computed[slice_index] = after - before
            self.assertEqual(
                computed[slice_index],
                {m.id for m in self.members if m.id % 3 == slice_index},
                "a slice computes the memberships of its slice, and only those",
            )
        self.assertEqual(set().union(*computed.values()), set(self.members.ids))
        cards = self._cards()
        self.assertEqual(len(cards), 9, "one scorecard per membership, none twice")
        self.assertEqual(set(cards.mapped("state")), {"computed"})
        # ranked once the last slice was done: the same ranks as one slice gives
        ranks = {card.membership_id.id: card.rank_in_type for card in cards}
        self.assertEqual(sorted(ranks.values()), list(range(1, 10)))
        by_score = cards.sorted("overall_score", reverse=True)
        self.assertEqual(by_score.mapped("rank_in_type"), list(range(1, 10)))

    def test_the_original_opens_the_period_and_wakes_its_twins(self):
        self._set_slices(2)
        twin = self._twins()
        day = date(2026, 8, 14)  # in 2026-Q3: no period yet
        Trigger = self.env["ir.cron.trigger"]
        self.assertEqual(self.Scorecard._cron_recompute(ref_date=day, slice_index=1), 0)
        self.assertFalse(self.Period.search([("date_start", "=", date(2026, 7, 1))]))
        self.assertFalse(Trigger.search([("cron_id", "=", twin.id)]), "a twin opens no period")
        self.Scorecard._cron_recompute(ref_date=day, slice_index=0)
        period = self.Period.search([("date_start", "=", date(2026, 7, 1))])
        self.assertTrue(period)
        self.assertEqual(len(Trigger.search([("cron_id", "=", twin.id)])), 1)
        # the twin now finds its share of the new period
        self._run_slice(1, day=day)
        cards = self.Scorecard.search([("period_id", "=", period.id)])
        self.assertEqual(cards.membership_id, self.members)
        self.assertEqual(set(cards.mapped("state")), {"computed"})

    def test_an_idle_twin_takes_nothing(self):
        """A twin left from a larger count (removed when the setting changes) does no work."""
        self._set_slices(2)
        self.assertEqual(self._run_slice(2), 1)
        self.assertFalse(self._cards(), "no scorecard made for a slice that does not exist")
