from odoo.tests import tagged

from .bundle_common import BundleCommon


@tagged("post_install", "-at_install")
class TestBundleTour(BundleCommon):
    def test_order_a_bundle_in_the_browser(self):
        """Issue 14 done-when: a portal user orders a bundle end to end in a real browser."""
        self.bundle_growth.name = "Omnichannel Growth (tour)"
        self.start_tour("/my", "recurring_billing_bundle_order_tour", login="bundle_fjord")
        subscription = self.bundle_growth.subscription_ids
        self.assertEqual(subscription.end_customer_id.name, "Tourmaline Garden Centres")
        self.assertEqual(subscription.tenant_id.environment_ids.region, "eu-central")
        self.assertTrue(subscription.tenant_id.project_id)
        self.assertEqual(subscription.resale_margin, 350.0)
