import importlib
import inspect

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

# the suite's four modules: recurring_billing depends on the three others, so all are installed
MODULES = ("partner_scorecard", "governance_gates", "white_label_tenant", "recurring_billing")

# every route of the suite that accepts a POST, with a URL to try it on (the ids need not exist:
# the CSRF check runs before the controller); a new POST route must be added here
POST_ROUTES = {
    "/my/mdf/claims": "/my/mdf/claims",
    "/my/deals/register": "/my/deals/register",
    "/my/gates/<int:gate_id>/tick/<int:line_id>": "/my/gates/1/tick/1",
    "/my/tenants/<int:tenant_id>/incidents/new": "/my/tenants/1/incidents/new",
    "/my/bundles/<int:bundle_id>/order/submit": "/my/bundles/1/order/submit",
    "/my/subscriptions/<int:subscription_id>/resale": "/my/subscriptions/1/resale",
    "/my/invoices/<int:invoice_id>/dispute": "/my/invoices/1/dispute",
    "/my/leads/<int:offer_id>/accept": "/my/leads/1/accept",
    "/my/leads/<int:offer_id>/decline": "/my/leads/1/decline",
}


def suite_routes():
    """``[(module, function name, routing)]`` of every ``@http.route`` in the suite's
    controllers, as declared (a route's ``csrf`` defaults to True)."""
    routes = []
    for module in MODULES:
        controllers = importlib.import_module(f"odoo.addons.{module}.controllers")
        for _name, submodule in inspect.getmembers(controllers, inspect.ismodule):
            if not submodule.__name__.startswith(controllers.__name__):
                continue
            for _cls_name, cls in inspect.getmembers(submodule, inspect.isclass):
                if cls.__module__ != submodule.__name__:
                    continue
                for name, function in vars(cls).items():
                    routing = getattr(function, "original_routing", None)
                    if routing:
                        routes.append((module, name, routing))
    return routes


@tagged("post_install", "-at_install")
class TestPortalPostsNeedCsrf(HttpCase):
    """Every portal form of the suite is protected against cross-site requests (issue 11): no
    route turns the CSRF check off, and a POST without the token is refused before the
    controller runs."""

    def test_no_route_of_the_suite_turns_csrf_off(self):
        routes = suite_routes()
        self.assertTrue(routes)
        for module, name, routing in routes:
            with self.subTest(module=module, route=name):
                self.assertIsNot(routing.get("csrf", True), False)
        post = {
            path
            for _module, _name, routing in routes
            if routing.get("type", "http") == "http" and "POST" in (routing.get("methods") or ())
            for path in routing["routes"]
        }
        self.assertEqual(post, set(POST_ROUTES), "a new POST route: add it to POST_ROUTES")

    def test_each_post_route_refuses_a_request_without_token(self):
        new_test_user(self.env, login="csrf_portal", groups="base.group_portal")
        self.authenticate("csrf_portal", "csrf_portal")
        for route, url in POST_ROUTES.items():
            with self.subTest(route=route):
                with mute_logger("odoo.http"):
                    refused = self.url_open(url, data={"name": "x"}, allow_redirects=False)
                self.assertEqual(refused.status_code, 400)
                # with the token the same request reaches the controller (which sends a
                # stranger's ids back to the portal home): the 400 was the missing token
                accepted = self.url_open(
                    url,
                    data={"name": "x", "csrf_token": http.Request.csrf_token(self)},
                    allow_redirects=False,
                )
                self.assertNotEqual(accepted.status_code, 400)
