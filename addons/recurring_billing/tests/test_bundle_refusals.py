import html
import re
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .bundle_common import BundleCommon


@tagged("post_install", "-at_install")
class TestBundleRefusals(BundleCommon):
    """Bad orders are refused with a clear message and create nothing; portal users act on
    their own partner's records only (over HTTP and JSON-RPC)."""

    def _assert_refused(self, key, bundle, message, **data):
        before = self._counts()
        self._login(key)
        response = self._order(bundle, **data)
        self.assertEqual(response.status_code, 200, "the form comes back with the reason")
        shown = re.search(r'o_bundle_error"[^>]*>(.*?)</div>', response.text, re.S)
        self.assertTrue(shown, "the form comes back with the reason")
        self.assertIn(message, html.unescape(shown.group(1)))
        self.assertEqual(self._counts(), before, "nothing half-created")
        return response

    def test_partner_without_active_membership(self):
        self._assert_refused(
            "quietwater",
            self.bundle_starter,
            "has no active channel membership",
            customer_mode="new",
            name="Nobody Yet Ltd",
        )
        self._login("quietwater")
        self.assertNotIn("DTC Starter (test)", self.url_open("/my/bundles").text)

    def test_bundle_of_another_tier(self):
        self._assert_refused(
            "fjord",
            self.bundle_platinum,
            "is offered to the Bundle Test Platinum tiers only",
            customer_mode="new",
            name="Somebody Large Ltd",
        )

    def test_unpublished_bundle(self):
        self.bundle_starter.portal_published = False
        self._assert_refused(
            "fjord",
            self.bundle_starter,
            "is not offered on the portal any more",
            customer_mode="new",
            name="Somebody Small Ltd",
        )

    def test_customer_of_another_partner_picked_by_id(self):
        """Fjordline posts Oakridge's customer's id (never offered on its form)."""
        response = self._assert_refused(
            "fjord",
            self.bundle_starter,
            "is not one of your customers",
            customer_mode="existing",
            customer_id=str(self.dunmore.id),
        )
        self.assertNotIn("Dunmore Foods", response.text, "another partner's customer unnamed")

    def test_customer_of_another_partner_typed_as_new(self):
        """The same company typed as a new customer (same tax ID) is still Oakridge's."""
        response = self._assert_refused(
            "fjord",
            self.bundle_starter,
            "Dunmore NV is not one of your customers",
            customer_mode="new",
            name="Dunmore NV",
            vat="be0999000111",
        )
        self.assertNotIn("Dunmore Foods", response.text, "the name on record stays hidden")

    def test_another_channel_partner_as_customer(self):
        self._assert_refused(
            "fjord",
            self.bundle_starter,
            "is not one of your customers",
            customer_mode="existing",
            customer_id=str(self.oakridge.id),
        )

    def test_bad_input(self):
        self._assert_refused(
            "fjord", self.bundle_starter, "End Customer Name", customer_mode="new", name=" "
        )
        self._assert_refused(
            "fjord",
            self.bundle_starter,
            "is not an email address",
            customer_mode="new",
            name="Mailless Ltd",
            email="not-an-email",
        )
        self._assert_refused(
            "fjord",
            self.bundle_starter,
            "Environment Region",
            customer_mode="new",
            name="Nowhere Ltd",
            region="moon-base",
        )

    def test_failure_while_creating_leaves_nothing(self):
        """A failure after the checks (no plan fits the tier 2 project's tenant here: the
        existing action refuses) rolls the whole order back."""
        self.env["tenant.plan"].search([]).active = False
        before = self._counts()
        with self.assertRaises(UserError):
            self.bundle_growth.with_user(self.users["fjord"]).sudo()._place_order(
                self.fjord, customer_vals={"name": "Rollback Retail"}
            )
        self.assertEqual(self._counts(), before)

    # ------------------------------------------------------------------ resale price

    def test_resale_price_of_another_partners_subscription_over_http(self):
        subscription = self.oakridge_subscription
        self._login("fjord")
        response = self._post(f"/my/subscriptions/{subscription.id}/resale", {"resale_price": "10"})
        self.assertTrue(response.headers["Location"].endswith("/my"))
        self.env.invalidate_all()
        self.assertFalse(subscription.resale_shared)
        self.assertEqual(subscription.resale_price, 0.0)
        # its owner may
        self._login("oakridge")
        self._post(f"/my/subscriptions/{subscription.id}/resale", {"resale_price": "150"})
        self.env.invalidate_all()
        self.assertEqual(subscription.resale_price, 150.0)
        self.assertEqual(subscription.resale_margin, 60.0)

    def test_resale_price_must_be_a_finite_amount_at_or_above_zero(self):
        subscription = self.oakridge_subscription
        self._login("oakridge")
        for typed, code in (
            ("-5", "negative"),
            ("nan", "not_finite"),
            ("inf", "not_finite"),
            ("1e400", "not_finite"),
            ("twelve", "not_a_number"),
            ("", "empty"),
        ):
            with self.subTest(typed=typed):
                response = self._post(
                    f"/my/subscriptions/{subscription.id}/resale", {"resale_price": typed}
                )
                self.assertIn(f"resale_error={code}", response.headers["Location"])
                page = self.url_open(response.headers["Location"])
                self.assertIn("o_resale_error", page.text)
        self.env.invalidate_all()
        self.assertFalse(subscription.resale_shared)
        self._post(f"/my/subscriptions/{subscription.id}/resale", {"resale_price": "0"})
        self.env.invalidate_all()
        self.assertTrue(subscription.resale_shared, "0 is a price")
        self.assertEqual(subscription.resale_margin, -90.0)

    # ------------------------------------------------------------------ rights per role

    def _rpc(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_portal_user_over_json_rpc(self):
        self._login("fjord")
        line = self.bundle_starter.line_ids[0]
        with mute_logger("odoo.http"):
            with self.assertRaises(JsonRpcException):
                self._rpc("billing.bundle", "create", [{"name": "Mine", "erp_scope": "x"}])
            with self.assertRaises(JsonRpcException):
                self._rpc("billing.bundle.line", "write", [[line.id], {"monthly_price": 1.0}])
            with self.assertRaises(JsonRpcException):
                self._rpc("billing.bundle", "search_read", [[]], {"fields": ["name"]})
            # the resale price only through its action, and never on another's subscription
            with self.assertRaises(JsonRpcException):
                self._rpc(
                    "billing.subscription",
                    "write",
                    [[self.oakridge_subscription.id], {"resale_price": 1.0}],
                )
            with self.assertRaises(JsonRpcException):
                self._rpc(
                    "billing.subscription",
                    "action_set_resale_price",
                    [[self.oakridge_subscription.id], 10],
                )
        self.env.invalidate_all()
        self.assertEqual(line.monthly_price, 100.0)
        self.assertFalse(self.oakridge_subscription.resale_shared)
        self._login("oakridge")
        self._rpc(
            "billing.subscription", "action_set_resale_price", [[self.oakridge_subscription.id], 95]
        )
        self.env.invalidate_all()
        self.assertEqual(self.oakridge_subscription.resale_margin, 5.0)

    def test_channel_staff_read_the_price_but_never_set_it(self):
        self.oakridge_subscription.with_user(self.users["oakridge"]).action_set_resale_price(120)
        staff = self.env["res.users"].create(
            {
                "name": "Bundle Channel User",
                "login": "bundle_channel_user",
                "groups_id": [(6, 0, [self.env.ref("partner_scorecard.group_channel_user").id])],
            }
        )
        manager = self.env["res.users"].create(
            {
                "name": "Bundle Channel Manager",
                "login": "bundle_channel_manager",
                "groups_id": [(6, 0, [self.env.ref("partner_scorecard.group_channel_manager").id])],
            }
        )
        for user in (staff, manager):
            subscription = self.oakridge_subscription.with_user(user)
            self.assertEqual(subscription.resale_price, 120.0)
            self.assertEqual(subscription.resale_margin, 30.0)
            with self.assertRaises(AccessError):
                subscription.write({"resale_price": 1.0})
            with self.assertRaises(AccessError):
                subscription.action_set_resale_price(1.0)
        # bundles: Channel Users read, Channel Managers maintain them
        self.assertTrue(self.bundle_growth.with_user(staff).name)
        with self.assertRaises(AccessError):
            self.bundle_growth.line_ids[0].with_user(staff).monthly_price = 1.0
        self.bundle_growth.line_ids[0].with_user(manager).monthly_price = 410.0
        self.assertEqual(self.bundle_growth.wholesale_mrr, 610.0)


@tagged("post_install", "-at_install")
class TestBundleMarginReports(BundleCommon):
    @freeze_time("2026-05-04 10:00:00")
    def test_revenue_dashboard_counts_the_subscription_price(self):
        """The revenue dashboard's partner margin uses the price the partner shares per
        subscription (instead of its lines' prices), monthly, against the running wholesale."""
        today = date(2026, 5, 4)
        subscription = self.env["billing.subscription"].create(
            {
                "partner_id": self.fjord.id,
                "periodicity": "quarterly",
                "date_start": today,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.support.id,
                            "service_type": "support",
                            "price_unit": 300.0,
                            "resale_price": 900.0,
                        }
                    )
                ],
            }
        )
        subscription.action_activate()
        subscription.with_user(self.users["fjord"]).action_set_resale_price(180)
        data = self.env["billing.dashboard"].get_dashboard_data(False, today)
        row = next(row for row in data["partners"] if row["id"] == self.fjord.id)
        self.assertAlmostEqual(row["wholesale"], 100.0)
        self.assertAlmostEqual(row["resale"], 180.0)
        self.assertAlmostEqual(row["margin"], 80.0)
        self.assertEqual(row["subscriptions"], 1)
