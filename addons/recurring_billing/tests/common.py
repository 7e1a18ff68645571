from datetime import date

from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class BillingCommon(AccountTestInvoicingCommon):
    """A company with a chart of accounts, a channel partner with two end customers, and the
    products of the three revenue layers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("recurring_billing.group_billing_manager")
        cls.company = cls.env.company
        cls.company.billing_auto_post = True
        cls.channel_partner = cls.env["res.partner"].create(
            {"name": "Northwind Hosting Partners", "is_company": True}
        )
        cls.other_partner = cls.env["res.partner"].create(
            {"name": "Contoso Resellers", "is_company": True}
        )
        cls.customer_1, cls.customer_2 = cls.env["res.partner"].create(
            [
                {"name": "Acme Manufacturing", "is_company": True},
                {"name": "Globex Foods", "is_company": True},
            ]
        )
        cls.hosting = cls._create_product(name="Managed hosting M", type="service")
        cls.support = cls._create_product(name="Support Gold", type="service")
        cls.implementation = cls._create_product(name="Implementation package", type="service")
        (cls.hosting | cls.support | cls.implementation).taxes_id = False

    @classmethod
    def _subscription(
        cls, start=date(2026, 1, 1), partner=None, customer=None, lines=None, activate=True, **vals
    ):
        lines = lines or [("hosting", 500.0), ("support", 200.0)]
        products = {
            "hosting": cls.hosting,
            "support": cls.support,
            "implementation": cls.implementation,
        }
        subscription = cls.env["billing.subscription"].create(
            {
                "partner_id": (partner or cls.channel_partner).id,
                "end_customer_id": customer and customer.id,
                "date_start": start,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": products[service].id,
                            "service_type": service,
                            "price_unit": price,
                        }
                    )
                    for service, price in lines
                ],
                **vals,
            }
        )
        if activate:
            subscription.action_activate()
        return subscription

    def _run(self, reference_date):
        return self.env["billing.run"]._run(reference_date)

    def _count_queries(self, function):
        """``(queries, result)`` of ``function()`` from cold caches, its writes flushed."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = function()
        self.env.flush_all()
        return self.cr.sql_log_count - before, result
