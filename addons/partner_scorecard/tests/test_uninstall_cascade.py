from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from .common import ScorecardCase


@tagged("post_install", "-at_install")
class TestUninstallCascade(ScorecardCase):
    """The references to metrics, partner types, certification types and scorecards cascade in
    the database, so that uninstalling the module that ships them takes the rows using them along;
    a user deleting one in use is refused instead, and the templates keep adding up."""

    def test_a_metric_in_use_cannot_be_deleted_by_hand(self):
        with self.assertRaisesRegex(UserError, "CSAT cannot be deleted: .*Archive it"):
            self.m_csat.unlink()
        self.assertTrue(self.m_csat.exists())
        self.assertIn(self.m_csat, self.template.line_ids.metric_id)
        unused = self.m_csat.copy({"code": "t_unused"})
        unused.unlink()  # nothing uses it: deleted
        self.assertFalse(unused.exists())

    def test_a_partner_type_or_certification_type_in_use_cannot_be_deleted(self):
        membership = self._make_partner("Cascade Partner", certifications=1)
        with self.assertRaisesRegex(UserError, "Test Integrator cannot be deleted"):
            self.ptype.unlink()
        with self.assertRaisesRegex(UserError, "Test Functional cannot be deleted"):
            self.cert_type.unlink()
        self.assertTrue(membership.exists())
        certifications = self.env["partner.certification"].search(
            [("partner_id", "=", membership.partner_id.id)]
        )
        self.assertEqual(len(certifications), 1)

    def test_a_membership_whose_scorecard_was_reviewed_cannot_be_deleted(self):
        membership = self._make_partner("Reviewed Partner")
        review = self.env["partner.review"].create({"scorecard_id": self._card(membership).id})
        with self.assertRaisesRegex(UserError, "cannot be deleted: .*Review"):
            membership.unlink()
        self.assertTrue(review.exists())

    def test_uninstalling_a_metric_reweights_the_templates(self):
        # as the uninstall of the metric's module deletes it
        self.m_csat.with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()
        self.assertFalse(self.m_csat.exists())
        weights = {line.metric_id: line.weight for line in self.template.line_ids}
        self.assertEqual(weights, {self.m_quality: 100.0, self.m_win: 100.0})
        # a domain left without metric is dropped, the others share its weight
        self.m_win.with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()
        self.assertEqual(
            [(d.domain, d.weight) for d in self.template.domain_weight_ids],
            [("implementation", 100.0)],
        )
        self.assertEqual(self.template.line_ids.metric_id, self.m_quality)
