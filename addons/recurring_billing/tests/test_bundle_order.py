from odoo.tests import tagged

from odoo.addons.partner_scorecard.tests.readonly import ReadOnlyRouteMixin

from .bundle_common import BundleCommon


@tagged("post_install", "-at_install")
class TestBundleOrder(ReadOnlyRouteMixin, BundleCommon):
    """Issue 14: a partner orders an offer bundle for a new end customer from its portal; one
    request creates the customer, the draft subscription, the tenant's provisioning request and,
    for tier 2-3, the implementation project with its gates."""

    def test_catalogue_shows_the_bundles_the_partner_may_order(self):
        self._login("fjord")
        page = self.url_open("/my/bundles")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Omnichannel Growth (test)", page.text)
        self.assertIn("DTC Starter (test)", page.text)
        self.assertNotIn(
            "Enterprise for Platinum (test)", page.text, "a bundle for another tier is not offered"
        )
        form = self.url_open(f"/my/bundles/{self.bundle_growth.id}/order")
        self.assertIn("o_bundle_order_form", form.text)
        self.assertIn("implementation project", form.text)
        # a bundle outside the catalogue has no order form
        other = self.url_open(f"/my/bundles/{self.bundle_platinum.id}/order")
        self.assertTrue(other.url.endswith("/my/bundles"))

    def test_catalogue_and_order_form_are_read_only(self):
        self._login("fjord")
        self.assertReadOnlyPage("/my/bundles", "Omnichannel Growth (test)")
        self.assertReadOnlyPage(f"/my/bundles/{self.bundle_growth.id}/order", "o_bundle_order_form")

    def test_order_end_to_end_over_http(self):
        """Tier 2: customer, draft subscription with the bundle's lines priced for its quarterly
        period, draft tenant with its production environment in the chosen region on the bundle's
        plan, and the implementation project with its next gate open; then the partner sets its
        resale price and sees its margin."""
        before = self._counts()
        self._login("fjord")
        response = self._order(
            self.bundle_growth,
            customer_mode="new",
            name="Larchmont Outdoor Supply",
            email="it@larchmont.example.com",
            vat="NO999888777",
            country_id=str(self.env.ref("base.no").id),
            region="eu-central",
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.env.invalidate_all()
        subscription = self.env["billing.subscription"].search(
            [("bundle_id", "=", self.bundle_growth.id)]
        )
        self.assertEqual(len(subscription), 1)
        self.assertIn(f"/my/subscriptions/{subscription.id}", response.headers["Location"])
        customer = subscription.end_customer_id
        self.assertEqual(
            (customer.name, customer.email, customer.vat, customer.country_id.code),
            ("Larchmont Outdoor Supply", "it@larchmont.example.com", "NO999888777", "NO"),
        )
        self.assertFalse(customer.parent_id, "the end customer is nobody's contact")
        self.assertEqual(subscription.state, "draft")
        self.assertEqual(subscription.partner_id, self.fjord)
        self.assertEqual(subscription.periodicity, "quarterly")
        self.assertEqual(subscription.renewal_term, 12)
        self.assertTrue(subscription.date_end)
        self.assertEqual(
            sorted(subscription.line_ids.mapped(lambda line: (line.service_type, line.price_unit))),
            [("hosting", 1200.0), ("implementation", 8000.0), ("support", 600.0)],
            "monthly wholesale prices billed per quarter, the one-time line once",
        )
        self.assertEqual(subscription.wholesale_mrr, 600.0)
        tenant = subscription.tenant_id
        self.assertEqual(tenant.state, "draft")
        self.assertEqual(tenant.partner_id, self.fjord)
        self.assertEqual(tenant.end_customer_id, customer)
        self.assertEqual(tenant.deployment_model, "dedicated")
        self.assertEqual(tenant.complexity_tier, "2")
        production = tenant.environment_ids
        self.assertEqual(len(production), 1)
        self.assertEqual(
            (production.stage, production.state, production.region, production.plan_id),
            ("production", "draft", "eu-central", self.plan),
        )
        hosting = subscription.line_ids.filtered(lambda line: line.service_type == "hosting")
        self.assertEqual(hosting.environment_id, production)
        project = tenant.project_id
        self.assertTrue(project, "a tier 2 bundle opens the implementation project")
        self.assertEqual(
            (project.channel_partner_id, project.partner_id, project.complexity_tier),
            (self.fjord, customer, "2"),
        )
        self.assertEqual(project.implementation_phase, "discovery")
        manager = self.fjord.channel_membership_id.account_manager_id
        self.assertEqual(
            (tenant.user_id, project.user_id),
            (manager, manager),
            "the partner's account manager follows the order, not the portal user",
        )
        self.assertTrue(
            project.gate_ids.filtered(lambda gate: gate.state == "open"),
            "the gate of the project's next phase is open: the existing gates guard it",
        )
        after = self._counts()
        self.assertEqual(after["res.partner"], before["res.partner"] + 1)
        self.assertEqual(after["billing.subscription"], before["billing.subscription"] + 1)
        self.assertEqual(after["tenant.tenant"], before["tenant.tenant"] + 1)
        self.assertEqual(after["project.project"], before["project.project"] + 1)

        # the partner lands on its subscription, sets its own price and sees its margin
        page = self.url_open(response.headers["Location"])
        self.assertIn("o_bundle_ordered", page.text)
        self.assertIn("Omnichannel Growth (test)", page.text)
        saved = self._post(
            f"/my/subscriptions/{subscription.id}/resale", {"resale_price": "1,000.50"}
        )
        self.assertIn("resale_saved=1", saved.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(subscription.resale_price, 1000.5)
        self.assertEqual(subscription.resale_margin, 400.5)
        self.assertEqual(subscription.resale_price_by_id, self.users["fjord"])
        catalogue = self.url_open("/my/bundles")
        self.assertIn(subscription.name, catalogue.text)
        self.assertIn("400.50", catalogue.text)

    def test_tier_1_order_has_no_project(self):
        self._login("fjord")
        response = self._order(
            self.bundle_starter, customer_mode="new", name="Pebble Bay Candles", region="eu-west"
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.env.invalidate_all()
        subscription = self.bundle_starter.subscription_ids
        self.assertEqual(subscription.tenant_id.deployment_model, "multi_tenant")
        self.assertFalse(subscription.tenant_id.project_id)
        self.assertEqual(subscription.tenant_id.environment_ids.stage, "production")
        self.assertFalse(subscription.date_end, "no commitment: no end date")
        self.assertEqual(subscription.wholesale_mrr, 250.0)

    def test_order_for_an_own_existing_customer(self):
        """The partner's own customer is offered on the form and may get a second bundle."""
        self._login("fjord")
        self._order(self.bundle_starter, customer_mode="new", name="Pebble Bay Candles")
        self.env.invalidate_all()
        customer = self.bundle_starter.subscription_ids.end_customer_id
        form = self.url_open(f"/my/bundles/{self.bundle_growth.id}/order")
        self.assertIn("Pebble Bay Candles", form.text)
        response = self._order(
            self.bundle_growth, customer_mode="existing", customer_id=str(customer.id)
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.env.invalidate_all()
        self.assertEqual(self.bundle_growth.subscription_ids.end_customer_id, customer)

    def test_own_customer_typed_again_is_not_duplicated(self):
        self._login("fjord")
        self._order(self.bundle_starter, customer_mode="new", name="Pebble Bay", vat="DK11223344")
        self.env.invalidate_all()
        customer = self.bundle_starter.subscription_ids.end_customer_id
        before = self._counts()["res.partner"]
        response = self._order(
            self.bundle_growth, customer_mode="new", name="Pebble Bay ApS", vat="dk11223344"
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(self._counts()["res.partner"], before)
        self.assertEqual(self.bundle_growth.subscription_ids.end_customer_id, customer)

    def test_backend_screens(self):
        """The bundle form and the Partner Margin report open for Channel staff."""
        action = self.env.ref("recurring_billing.billing_subscription_margin_action")
        views = self.env["billing.subscription"].get_views(
            [(view.view_id.id, view.view_mode) for view in action.view_ids]
        )
        self.assertEqual(set(views["views"]), {"pivot", "graph", "list"})
        self.assertIn("resale_margin", views["views"]["pivot"]["arch"])
        form = self.env["billing.bundle"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("partner_tier_ids", form)
        self.assertTrue(self.env["billing.bundle"].get_views([(False, "kanban")]))
        subscription_form = self.env["billing.subscription"].get_views([(False, "form")])
        self.assertIn("resale_margin", subscription_form["views"]["form"]["arch"])


@tagged("post_install", "-at_install")
class TestBundleDemo(BundleCommon):
    def test_northwind_ordered_a_bundle_with_its_price(self):
        """Demo data: the seed 003 bundles, and Northwind's portal order with its own price."""
        bundles = self.env["billing.bundle"].search(
            [
                (
                    "id",
                    "in",
                    [
                        self.env.ref(f"recurring_billing.bundle_{key}").id
                        for key in (
                            "dtc_starter",
                            "omnichannel_growth",
                            "b2b_wholesale",
                            "marketplace_enterprise",
                        )
                    ],
                )
            ]
        )
        self.assertEqual(len(bundles), 4)
        self.assertEqual(set(bundles.mapped("hosting_model")), {"multi_tenant", "dedicated"})
        northwind = self.env.ref("partner_scorecard.partner_northwind")
        order = self.env.ref("recurring_billing.bundle_omnichannel_growth").subscription_ids
        self.assertEqual(order.partner_id, northwind)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.tenant_id.project_id.gate_ids)
        self.assertEqual(order.resale_price, 2450.0)
        # Northwind pays the wholesale less its Silver discount (5 %): 1,650.00 -> 1,567.50
        self.assertEqual(order.wholesale_mrr, 1650.0)
        self.assertEqual(order.tier_discount, 5.0)
        self.assertEqual(order.paid_wholesale_mrr, 1567.5)
        self.assertEqual(order.resale_margin, 2450.0 - 1567.5)
        self.assertEqual(
            order.resale_price_by_id, self.env.ref("partner_scorecard.portal_user_northwind")
        )
