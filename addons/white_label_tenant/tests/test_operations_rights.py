from datetime import date

from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .test_company_scope import TwoCompanyTenantCase


@tagged("post_install", "-at_install")
class TestOperationsRights(TwoCompanyTenantCase, HttpCase):
    """Issue 11: the operations figures are read as superuser, so they are not an RPC entry point
    (``tenant.operations._get_figures`` is private); over JSON-RPC a user gets them through the
    records it may read: a Channel User of company A sees partner A's scorecard of company A,
    with company A's uptime, and nothing of company B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        white_label = cls.env.ref("partner_scorecard.partner_type_white_label")
        uptime = cls.env.ref("white_label_tenant.metric_tenant_uptime")
        Membership = cls.env["partner.membership"]
        member_in_b = Membership.create(
            {
                "partner_id": cls.partner_a.id,
                "partner_type_id": white_label.id,
                "company_id": cls.company_b.id,
            }
        )
        member_in_a = Membership.search(
            [("partner_id", "=", cls.partner_a.id), ("company_id", "=", cls.company_a.id)]
        )
        # each company scores white-label operators on uptime alone
        cls.env["scorecard.template"].create(
            [
                {
                    "name": f"Uptime only ({company.name})",
                    "partner_type_id": white_label.id,
                    "company_id": company.id,
                    "domain_weight_ids": [Command.create({"domain": "operations", "weight": 100})],
                    "line_ids": [Command.create({"metric_id": uptime.id, "weight": 100})],
                }
                for company in (cls.company_a, cls.company_b)
            ]
        )
        cards = cls.env["partner.scorecard"]._recompute_memberships(
            member_in_a | member_in_b, ref_date=date(2021, 3, 20)
        )
        cls.card_a = cards.filtered(lambda c: c.company_id == cls.company_a)
        cls.card_b = cards.filtered(lambda c: c.company_id == cls.company_b)
        cls.user_ab = new_test_user(
            cls.env,
            login="wlt_ops_ab",
            groups="partner_scorecard.group_channel_user",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )
        for user in (cls.portal_a, cls.channel_user, cls.manager, cls.user_ab):
            user.password = user.login

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _refused(self, model, method, args, error):
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self._call(model, method, args)
        self.assertIn(error, str(caught.exception))

    def test_figures_are_no_rpc_entry_point_for_any_user(self):
        args = ["2021-03-01", "2021-03-31", "partner_id", [self.partner_a.id]]
        for user in (self.portal_a, self.channel_user, self.manager):
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                self._refused("tenant.operations", "_get_figures", args, "AccessError")
                self._refused("tenant.operations", "get_figures", args, "AttributeError")

    def test_channel_user_sees_own_company_figures_only(self):
        self.assertEqual(self.card_a.line_ids.raw_value, 75.0)
        self.assertEqual(self.card_b.line_ids.raw_value, 50.0)
        self.authenticate(self.channel_user.login, self.channel_user.login)
        cards = self._call(
            "partner.scorecard",
            "search_read",
            [
                [
                    ("partner_id", "=", self.partner_a.id),
                    ("id", "in", (self.card_a | self.card_b).ids),
                ]
            ],
            {"fields": ["company_id", "line_ids"]},
        )
        self.assertEqual([card["id"] for card in cards], self.card_a.ids)
        lines = self._call("partner.scorecard.line", "read", [cards[0]["line_ids"], ["raw_value"]])
        self.assertEqual([line["raw_value"] for line in lines], [75.0])
        # company B's scorecard and tenant stay out of reach
        self._refused(
            "partner.scorecard", "read", [self.card_b.ids, ["overall_score"]], "AccessError"
        )
        self._refused(
            "tenant.tenant", "read", [self.tenant_a_in_b.ids, ["uptime_30d"]], "AccessError"
        )

    def test_user_of_both_companies_sees_each_company_apart(self):
        self.authenticate(self.user_ab.login, self.user_ab.login)
        both = (self.company_a | self.company_b).ids
        lines = self._call(
            "partner.scorecard.line",
            "search_read",
            [[("scorecard_id", "in", (self.card_a | self.card_b).ids)]],
            {"fields": ["company_id", "raw_value"], "context": {"allowed_company_ids": both}},
        )
        self.assertEqual(
            sorted((line["company_id"][0], line["raw_value"]) for line in lines),
            sorted([(self.company_a.id, 75.0), (self.company_b.id, 50.0)]),
        )
