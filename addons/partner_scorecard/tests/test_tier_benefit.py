from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ScorecardCase


@tagged("post_install", "-at_install")
class TestTierBenefit(HttpCase, ScorecardCase):
    """A tier's benefits (wholesale discount, MDF budget, other benefits): validated on save and
    shown on the partner's portal scorecard next to the gap to the next tier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier_entry.write(
            {
                "discount_percent": 5.0,
                "mdf_amount": 1000.0,
                "mdf_periodicity": "year",
                "benefit_notes": "Partner portal\n\nOnboarding webinar",
            }
        )
        cls.tier_mid.write(
            {
                "discount_percent": 12.5,
                "mdf_amount": 2500.0,
                "mdf_periodicity": "quarter",
                "benefit_notes": "Named partner manager",
            }
        )
        cls.member = cls._make_partner("Benefit Alpha Partners", certifications=1)
        cls.other = cls._make_partner("Benefit Beta Partners", tier=cls.tier_mid)
        for member in cls.member | cls.other:
            cls._set_values(member, cls.ref_date, quality=70, csat=85)
        cards = cls.Scorecard._recompute_memberships(cls.member | cls.other, ref_date=cls.ref_date)
        cls.card = cards.filtered(lambda c: c.membership_id == cls.member)
        contact = cls.env["res.partner"].create(
            {"name": "Benefit Portal", "parent_id": cls.member.partner_id.id}
        )
        new_test_user(
            cls.env,
            login="benefit_portal",
            password="benefit_portal",
            groups="base.group_portal",
            partner_id=contact.id,
        )

    def test_discount_must_be_a_percentage(self):
        for value in (-1, 100.01, 250):
            with (
                self.assertRaisesRegex(ValidationError, "Wholesale Discount .* between 0 and 100"),
                self.env.cr.savepoint(),
            ):
                self.tier_mid.write({"discount_percent": value})
        with (
            self.assertRaisesRegex(ValidationError, "MDF Budget .* cannot be negative"),
            self.env.cr.savepoint(),
        ):
            self.tier_mid.write({"mdf_amount": -10})
        self.tier_mid.write({"discount_percent": 100})
        self.assertEqual(self.tier_mid.discount_percent, 100)

    def test_benefit_lines_and_next_tier(self):
        self.assertEqual(self.tier_entry._benefit_lines(), ["Partner portal", "Onboarding webinar"])
        self.assertEqual(self.tier_entry._next_tier(), self.tier_mid)
        self.assertEqual(self.tier_mid._next_tier(), self.tier_top)
        self.assertFalse(self.tier_top._next_tier())

    def test_portal_shows_current_and_next_tier_benefits(self):
        self.authenticate("benefit_portal", "benefit_portal")
        response = self.url_open("/my/scorecards")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("Tier benefits", text)
        self.assertIn("o_tier_benefits_current", text)
        self.assertIn("o_tier_benefits_next", text)
        # current: the entry tier; next: the middle tier, with the gap section before them
        self.assertIn("Onboarding webinar", text)
        self.assertIn("5 %", text)
        self.assertIn("12.5 %", text)
        self.assertIn("Named partner manager", text)
        self.assertIn("Per Quarter", text)
        self.assertLess(text.index("Gap to"), text.index("Tier benefits"))
        self.assertNotIn("Benefit Beta Partners", text)

    def test_tour_read_the_benefits(self):
        self.start_tour("/my", "partner_scorecard_tier_benefits_tour", login="benefit_portal")
