from odoo.tests import tagged

from .common import ScorecardCase


@tagged("post_install", "-at_install")
class TestDealRegistration(ScorecardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls._make_partner("First Partner").partner_id
        cls.second = cls._make_partner("Second Partner").partner_id
        cls.existing = cls.env["crm.lead"].create(
            {
                "name": "ERP for Nordic Parts",
                "type": "opportunity",
                "channel_partner_id": cls.first.id,
                "partner_name": "Nordic Parts AB",
                "customer_vat": "SE556677889901",
                "email_from": "buyer@nordicparts.se",
            }
        )

    def _register(self, **vals):
        return self.env["crm.lead"].create(
            {
                "name": "Registration",
                "type": "opportunity",
                "channel_partner_id": self.second.id,
                **vals,
            }
        )

    def test_same_vat_is_a_conflict(self):
        lead = self._register(partner_name="Other name", customer_vat="se 5566 7788 9901")
        self.assertTrue(lead.is_registration_conflict)
        self.assertEqual(lead.registration_conflict_ids, self.existing)

    def test_same_email_domain_is_a_conflict(self):
        lead = self._register(partner_name="NP Holding", email_from="ceo@NordicParts.se")
        self.assertEqual(lead.registration_conflict_ids, self.existing)

    def test_same_normalised_name_is_a_conflict(self):
        lead = self._register(partner_name="nordic parts")
        self.assertEqual(lead.registration_conflict_ids, self.existing)

    def test_different_customer_or_same_partner_is_no_conflict(self):
        self.assertFalse(self._register(partner_name="Baltic Tools").is_registration_conflict)
        own = self.env["crm.lead"].create(
            {
                "name": "Upsell",
                "type": "opportunity",
                "channel_partner_id": self.first.id,
                "partner_name": "Nordic Parts AB",
            }
        )
        self.assertFalse(own.is_registration_conflict)

    def test_public_mail_domain_proves_nothing(self):
        self.existing.email_from = "nordicparts@gmail.com"
        lead = self._register(partner_name="Someone", email_from="other@gmail.com")
        self.assertFalse(lead.is_registration_conflict)

    def test_won_deal_no_longer_blocks(self):
        self.existing.action_set_won()
        self.assertFalse(self._register(partner_name="Nordic Parts AB").is_registration_conflict)
