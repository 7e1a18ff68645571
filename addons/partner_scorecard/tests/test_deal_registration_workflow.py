from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ScorecardCase

PROTECTION_PARAM = "partner_scorecard.registration_protection_days"


@tagged("post_install", "-at_install")
class TestDealRegistrationWorkflow(ScorecardCase):
    """Submitted -> approved (protected) / rejected -> expired, through the actions a user has."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls._make_partner("Reg First Partner").partner_id
        cls.second = cls._make_partner("Reg Second Partner").partner_id
        cls.env["ir.config_parameter"].set_param(PROTECTION_PARAM, "90")
        cls.env["ir.config_parameter"].set_param(
            "partner_scorecard.registration_decision_days", "30"
        )
        contact = cls.env["res.partner"].create(
            {"name": "Reg Portal", "parent_id": cls.first.id, "email": "portal@first.example"}
        )
        cls.portal = new_test_user(
            cls.env, login="reg_portal", groups="base.group_portal", partner_id=contact.id
        )

    def _submit(self, partner, customer="Fjord Cargo AS", name=None):
        """A Channel User records the partner's deal and submits its registration."""
        lead = (
            self.env["crm.lead"]
            .with_user(self.user)
            .create(
                {
                    "name": name or f"{customer} rollout",
                    "type": "opportunity",
                    "channel_partner_id": partner.id,
                    "partner_name": customer,
                }
            )
        )
        lead.action_registration_submit()
        return lead.with_env(self.env)

    def _approve(self, lead):
        lead.with_user(self.manager).action_registration_approve()

    def _reject(self, lead, reason):
        action = lead.with_user(self.manager).action_registration_reject()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"reason": reason})
        )
        wizard.action_apply()

    # ------------------------------------------------------------------ transitions

    @freeze_time("2026-03-02 10:00:00")
    def test_approve_starts_the_protection_window_and_tells_the_partner(self):
        lead = self._submit(self.first)
        self.assertEqual(lead.registration_state, "registered")
        self.assertEqual(
            dict(lead._fields["registration_state"]._description_selection(self.env))["registered"],
            "Submitted",
        )
        self._approve(lead)
        self.assertEqual(lead.registration_state, "approved")
        self.assertEqual(str(lead.registration_approved_at), "2026-03-02 10:00:00")
        self.assertEqual(lead.registration_protected_until, date(2026, 5, 31))
        self.assertEqual(lead.registration_decided_by_id, self.manager)
        self.assertIn(self.first, lead.message_partner_ids)
        message = lead.message_ids.filtered(lambda m: "approved" in (m.subject or ""))
        self.assertTrue(message, "the approval is posted in the chatter")
        self.assertIn(self.first, message.notified_partner_ids)
        self.assertIn("05/31/2026", message.body)

    @freeze_time("2026-03-02")
    def test_protection_days_come_from_the_setting(self):
        self.env["ir.config_parameter"].set_param(PROTECTION_PARAM, "10")
        lead = self._submit(self.first)
        self._approve(lead)
        self.assertEqual(lead.registration_protected_until, date(2026, 3, 12))

    @freeze_time("2026-03-02")
    def test_the_settings_screen_sets_the_windows(self):
        settings = self.env["res.config.settings"].create(
            {"registration_protection_days": 45, "registration_decision_days": 10}
        )
        settings.execute()
        lead = self._submit(self.first)
        self._approve(lead)
        self.assertEqual(lead.registration_protected_until, date(2026, 4, 16))
        with self.assertRaisesRegex(ValidationError, "0 or more"):
            self.env["res.config.settings"].create({"registration_protection_days": -1})

    @freeze_time("2026-03-02")
    def test_a_bad_setting_is_named_and_nothing_changes(self):
        self.env["ir.config_parameter"].set_param(PROTECTION_PARAM, "ninety")
        lead = self._submit(self.first)
        with self.assertRaisesRegex(UserError, PROTECTION_PARAM):
            self._approve(lead)
        self.assertEqual(lead.registration_state, "registered")
        self.assertFalse(lead.registration_protected_until)

    @freeze_time("2026-03-02")
    def test_reject_needs_a_reason_which_the_partner_reads(self):
        lead = self._submit(self.first)
        with self.assertRaisesRegex(UserError, "Reason"):
            self._reject(lead, "   ")
        self.assertEqual(lead.registration_state, "registered")
        self._reject(lead, "The customer already buys from us directly.")
        self.assertEqual(lead.registration_state, "rejected")
        self.assertEqual(lead.registration_reason, "The customer already buys from us directly.")
        message = lead.message_ids.filtered(lambda m: "rejected" in (m.subject or ""))
        self.assertIn("already buys from us directly", message.body)
        with self.assertRaisesRegex(UserError, "Rejected"):
            self._approve(lead)

    @freeze_time("2026-03-02")
    def test_the_portal_user_who_registered_follows_the_deal(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.portal)
            .sudo()
            .create(
                {
                    "name": "Portal deal",
                    "type": "opportunity",
                    "partner_name": "Portal Customer Oy",
                    "channel_partner_id": self.first.id,
                    "registration_state": "registered",
                }
            )
            .with_env(self.env)
        )
        self._approve(lead)
        self.assertIn(self.portal.partner_id, lead.message_partner_ids)

    # ------------------------------------------------------------------ refusals and rights

    @freeze_time("2026-03-02")
    def test_channel_user_and_portal_user_cannot_decide(self):
        lead = self._submit(self.first)
        for user in (self.user, self.portal):
            with self.assertRaises(AccessError):
                lead.with_user(user).action_registration_approve()
            with self.assertRaises(AccessError):
                lead.with_user(user).action_registration_reject()
            with self.assertRaises(AccessError):
                self.env["crm.lead.registration.reject"].with_user(user).create(
                    {"lead_ids": lead.ids, "reason": "No"}
                )
        self.assertEqual(lead.registration_state, "registered")

    @freeze_time("2026-03-02")
    def test_the_state_changes_only_through_the_actions(self):
        lead = self._submit(self.first)
        with self.assertRaisesRegex(AccessError, "Registration Status"):
            lead.with_user(self.manager).write({"registration_state": "approved"})
        with self.assertRaises(AccessError):
            lead.with_user(self.manager).write({"registration_protected_until": "2030-01-01"})
        with self.assertRaises(AccessError):
            self.env["crm.lead"].with_user(self.manager).create(
                {
                    "name": "Born approved",
                    "channel_partner_id": self.second.id,
                    "registration_state": "approved",
                }
            )
        self.assertEqual(lead.registration_state, "registered")

    # ------------------------------------------------------------------ conflicts

    @freeze_time("2026-03-02")
    def test_a_conflict_blocks_approval_until_a_manager_picks_the_winner(self):
        first = self._submit(self.first, name="First's Fjord deal")
        second = self._submit(self.second, name="Second's Fjord deal")
        self.assertTrue(second.is_registration_conflict)
        for lead, rival in ((first, second), (second, first)):
            with self.assertRaisesRegex(UserError, f"{rival.name}.*Resolve Conflict"):
                self._approve(lead)
        self.assertEqual((first | second).mapped("registration_state"), ["registered"] * 2)
        action = second.with_user(self.manager).action_registration_resolve_conflict()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"winner_id": first.id})
        )
        self.assertEqual(wizard.lead_ids, first | second)
        wizard.action_apply()
        self.assertEqual(second.registration_state, "rejected")
        self.assertEqual(second.registration_reason, "Conflict lost to First's Fjord deal")
        self.assertEqual(first.registration_state, "approved")
        self.assertEqual(first.registration_protected_until, date(2026, 5, 31))

    @freeze_time("2026-03-02")
    def test_the_later_registration_may_win_and_its_conflict_warning_goes(self):
        first = self._submit(self.first, name="First's Fjord deal")
        second = self._submit(self.second, name="Second's Fjord deal")
        action = second.with_user(self.manager).action_registration_resolve_conflict()
        self.env[action["res_model"]].with_user(self.manager).with_context(
            **action["context"]
        ).create({"winner_id": second.id, "approve_winner": False}).action_apply()
        self.assertEqual(first.registration_state, "rejected")
        self.assertEqual(first.registration_reason, "Conflict lost to Second's Fjord deal")
        self.assertEqual(second.registration_state, "registered", "approval left to the manager")
        self.assertFalse(second.is_registration_conflict, "the form no longer warns")
        self._approve(second)
        self.assertEqual(second.registration_state, "approved")
        rejected = first.message_ids.filtered(lambda m: "rejected" in (m.subject or ""))
        self.assertIn(self.first, rejected.notified_partner_ids)

    @freeze_time("2026-03-02")
    def test_the_winner_must_be_one_of_the_conflicting_registrations(self):
        first = self._submit(self.first)
        second = self._submit(self.second)
        other = self._submit(self.second, customer="Elsewhere GmbH")
        with self.assertRaisesRegex(UserError, "Winning Registration"):
            self.env["crm.lead.registration.conflict"].with_user(self.manager).create(
                {"lead_ids": (first | second).ids, "winner_id": other.id}
            )

    # ------------------------------------------------------------------ protection

    def test_protection_refuses_another_partners_submission_with_its_date(self):
        with freeze_time("2026-03-02"):
            first = self._submit(self.first)
            self._approve(first)
        with freeze_time("2026-05-31"):  # the last protected day
            with self.assertRaisesRegex(UserError, "protected .* until 2026-05-31"):
                self._submit(self.second, name="Too early")
            # the deal stays a plain opportunity: no registration was submitted
            draft = self.env["crm.lead"].search([("name", "=", "Too early")])
            self.assertFalse(draft.registration_state)
            with self.assertRaises(AccessError):
                self.env["crm.lead"].with_user(self.user).create(
                    {"name": "Forced", "registration_state": "approved"}
                )
            # created already submitted (as the portal form does): refused the same way
            with self.assertRaisesRegex(UserError, "2026-05-31"):
                self.env["crm.lead"].with_user(self.user).create(
                    {
                        "name": "Created submitted",
                        "channel_partner_id": self.second.id,
                        "partner_name": "fjord cargo as",
                        "registration_state": "registered",
                    }
                )
            # the protecting partner itself may register more deals for its customer
            self.assertEqual(
                self._submit(self.first, name="Upsell").registration_state, "registered"
            )
        with freeze_time("2026-06-01"):
            later = self._submit(self.second, name="After the window")
            self.assertEqual(later.registration_state, "registered")

    # ------------------------------------------------------------------ cron

    def _run_cron(self):
        self.env["crm.lead"]._cron_registration_expiry()

    def test_cron_expires_on_the_day_after_the_window_once(self):
        with freeze_time("2026-03-02"):
            lead = self._submit(self.first)
            won = self._submit(self.second, customer="Won Customer AB")
            self._approve(lead | won)
            won.action_set_won()
        with freeze_time("2026-05-31 12:00:00"):
            self._run_cron()
            self.assertEqual(lead.registration_state, "approved")
        with freeze_time("2026-06-01 12:00:00"):
            self._run_cron()
            self.assertEqual(lead.registration_state, "expired")
            self.assertEqual(won.registration_state, "approved", "a won deal never expires")
            expired = lead.message_ids.filtered(lambda m: "expired" in (m.subject or ""))
            self.assertEqual(len(expired), 1)
            self.assertIn(self.first, expired.notified_partner_ids)
            self._run_cron()
            self.assertEqual(
                len(lead.message_ids.filtered(lambda m: "expired" in (m.subject or ""))), 1
            )
            # an expired registration protects nothing and blocks no one
            rival = self._submit(self.second, name="Fresh start")
            self._approve(rival)
            self.assertEqual(rival.registration_state, "approved")

    def test_cron_reminds_the_managers_once_of_an_undecided_submission(self):
        with freeze_time("2026-03-01 09:00:00"):
            lead = self._submit(self.first)
        with freeze_time("2026-03-30 12:00:00"):
            self._run_cron()
            self.assertFalse(lead.activity_ids)
        with freeze_time("2026-03-31 12:00:00"):
            self._run_cron()
            activities = lead.activity_ids
            self.assertIn(self.manager, activities.user_id)
            self.assertNotIn(self.user, activities.user_id)
            self._run_cron()
            self.assertEqual(lead.activity_ids, activities, "reminded once")

    def test_cron_works_in_bounded_batches(self):
        with freeze_time("2026-03-02"):
            leads = self._submit(self.first, customer="Batch One")
            leads |= self._submit(self.first, customer="Batch Two")
            leads |= self._submit(self.first, customer="Batch Three")
            self._approve(leads)
        with freeze_time("2026-06-02"):
            self.env["crm.lead"]._cron_registration_expiry(batch_size=2)
            self.assertEqual(
                sorted(leads.mapped("registration_state")), ["approved", "expired", "expired"]
            )
            self.env["crm.lead"]._cron_registration_expiry(batch_size=2)
            self.assertEqual(leads.mapped("registration_state"), ["expired"] * 3)
