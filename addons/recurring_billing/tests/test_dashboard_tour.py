from datetime import date

from odoo import Command
from odoo.tests import HttpCase, freeze_time, new_test_user, tagged


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")  # the server's today: the dashboard's default window ends on it
class TestDashboardTour(HttpCase):
    """A billing manager opens the revenue dashboard from the web client and sees the figures of
    their company (a company of its own, so that demo data does not count): the MRR, the four
    attach rates (hosting and support 100%, no monitoring or enhancement retainer: 0%), the charts
    and the cohort heat map, also grouped by partner type (one block, White-Label Operator)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env["res.company"].create({"name": "Billing Tour Company"})
        cls.manager = new_test_user(
            cls.env,
            login="billux_tour_manager",
            password="billux_tour_manager_pw1",
            groups="base.group_user,recurring_billing.group_billing_manager",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        partner = cls.env["res.partner"].create(
            {"name": "Tour Hosting Partner", "is_company": True}
        )
        # a white-label operator of the tour's company: its cohort heads the partner-type grouping
        cls.env["partner.membership"].create(
            {
                "partner_id": partner.id,
                "partner_type_id": cls.env.ref("partner_scorecard.partner_type_white_label").id,
                "company_id": company.id,
            }
        )
        hosting, support = cls.env["product.product"].create(
            [
                {"name": "Tour hosting", "type": "service"},
                {"name": "Tour support", "type": "service"},
            ]
        )
        subscription = (
            cls.env["billing.subscription"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "date_start": date(2026, 4, 15),
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": hosting.id,
                                "service_type": "hosting",
                                "price_unit": 500.0,
                                "resale_price": 600.0,
                            }
                        ),
                        Command.create(
                            {
                                "product_id": support.id,
                                "service_type": "support",
                                "price_unit": 200.0,
                            }
                        ),
                    ],
                }
            )
        )
        subscription.action_activate()

    def test_dashboard_tour(self):
        self.start_tour(
            "/odoo/action-recurring_billing.billing_dashboard_action",
            "recurring_billing_dashboard",
            login="billux_tour_manager",
        )
