"""The data of the invoicing benchmark (bench/recurring_billing_invoicing.py), built once into a
template database that every measure copies.

Realistic invoices, the same for the three systems: a company in USD with the generic chart of
accounts; a 15 % sales tax on every line and a second 2 % tax on the support line; a payment term
with two instalments (30 % now, 70 % in 30 days) on every partner; one partner in four invoiced in
EUR (a rate on the invoice date) through a EUR sales journal. Each subscription has three monthly
pre-paid lines starting on the reference date (hosting 1-3 units, support, monitoring) and an
equivalent OCA contract (same partner, journal, payment term, products, quantities and prices).
"""

import random
from datetime import date

REF_DATE = date(2026, 1, 1)
COMPANY = "Bench Billing Co"
PARTNERS = 200
CHUNK = 1000  # records created per call while building the template


def setup_company(env):
    """The company, its taxes, payment term, EUR journal, products and partners."""
    from odoo import Command

    usd = env.ref("base.USD")
    eur = env.ref("base.EUR")
    eur.active = True
    company = env["res.company"].create({"name": COMPANY, "currency_id": usd.id})
    env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    env.user.company_ids |= company
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    company = company.with_env(env)
    company.billing_auto_post = True
    env["res.currency.rate"].create(
        {"name": date(2025, 12, 1), "rate": 0.9127, "currency_id": eur.id, "company_id": company.id}
    )
    vat = company.account_sale_tax_id
    assert vat and vat.amount_type == "percent", "the generic chart has a percent sales tax"
    eco = vat.copy({"name": "Bench eco-contribution 2%", "amount": 2.0})
    sales = env["account.journal"].search(
        [*env["account.journal"]._check_company_domain(company), ("type", "=", "sale")], limit=1
    )
    eur_journal = env["account.journal"].create(
        {
            "name": "Bench EUR Sales",
            "code": "BEUR",
            "type": "sale",
            "currency_id": eur.id,
            "company_id": company.id,
            "default_account_id": sales.default_account_id.id,
            "sequence": 50,  # after the company's own sales journal, which stays the default
        }
    )
    term = env["account.payment.term"].create(
        {
            "name": "Bench 30% now, 70% in 30 days",
            "company_id": company.id,
            "line_ids": [
                Command.create({"value": "percent", "value_amount": 30.0, "nb_days": 0}),
                Command.create({"value": "percent", "value_amount": 70.0, "nb_days": 30}),
            ],
        }
    )
    products = env["product.product"].create(
        [
            {"name": f"Bench {kind}", "type": "service", "taxes_id": [Command.set(taxes.ids)]}
            for kind, taxes in (("hosting", vat), ("support", vat | eco), ("monitoring", vat))
        ]
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench partner {i}",
                "is_company": True,
                "property_payment_term_id": term.id,
            }
            for i in range(PARTNERS)
        ]
    )
    return env, company, sales, eur_journal, products, partners


def subscription_plan(count, products, partners, sales, eur_journal):
    """What each subscription bills: ``[(partner, journal, [(product, service, qty, price)])]``."""
    rng = random.Random(7)
    plan = []
    for i in range(count):
        foreign = i % 4 == 3
        plan.append(
            (
                partners[i % len(partners)],
                eur_journal if foreign else sales,
                [
                    (
                        products[0],
                        "hosting",
                        rng.choice([1, 2, 3]),
                        rng.choice([299.99, 450, 899.5]),
                    ),
                    (products[1], "support", 1, rng.choice([149.95, 300])),
                    (products[2], "monitoring", 1, 49.9),
                ],
            )
        )
    return plan


def build_subscriptions(env, plan):
    from odoo import Command

    for start in range(0, len(plan), CHUNK):
        vals = [
            {
                "name": f"BENCH/{start + i:05d}",
                "partner_id": partner.id,
                "currency_id": journal.currency_id.id or journal.company_id.currency_id.id,
                "journal_id": journal.id,
                "date_start": REF_DATE,
                "state": "active",
                "line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "service_type": service,
                            "quantity": quantity,
                            "price_unit": price,
                        }
                    )
                    for product, service, quantity, price in lines
                ],
            }
            for i, (partner, journal, lines) in enumerate(plan[start : start + CHUNK])
        ]
        # created running, as activation leaves them (state is the actions' to write)
        env["billing.subscription"]._workflow_create(vals)
        env.flush_all()
        env.invalidate_all()


def build_contracts(env, plan):
    """One OCA contract per subscription, named like it: monthly, pre-paid, from the date."""
    from odoo import Command

    for start in range(0, len(plan), CHUNK):
        vals = [
            {
                "name": f"BENCH/{start + i:05d}",
                "partner_id": partner.id,
                "contract_type": "sale",
                "journal_id": journal.id,
                "payment_term_id": partner.property_payment_term_id.id,
                "line_recurrence": False,
                "recurring_rule_type": "monthly",
                "recurring_interval": 1,
                "recurring_invoicing_type": "pre-paid",
                "date_start": REF_DATE,
                "recurring_next_date": REF_DATE,
                "contract_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "name": product.name,
                            "quantity": quantity,
                            "price_unit": price,
                            "uom_id": product.uom_id.id,
                            "date_start": REF_DATE,
                            "recurring_next_date": REF_DATE,
                        }
                    )
                    for product, _service, quantity, price in lines
                ],
            }
            for i, (partner, journal, lines) in enumerate(plan[start : start + CHUNK])
        ]
        env["contract.contract"].with_context(tracking_disable=True).create(vals)
        env.flush_all()
        env.invalidate_all()


def prepare(env, count):
    """Build the whole template (committed by the caller)."""
    env, company, sales, eur_journal, products, partners = setup_company(env)
    plan = subscription_plan(count, products, partners, sales, eur_journal)
    build_subscriptions(env, plan)
    build_contracts(env, plan)
    return company


def build_ledger(env, company, count, months=24):
    """``count`` subscriptions with a new-business movement and 23 monthly changes, in SQL (the
    MRR/NRR/GRR report's data)."""
    from psycopg2.extras import execute_values

    partners = env["res.partner"].search([("name", "=like", "Bench partner %")])
    rng = random.Random(11)
    cr = env.cr
    cr.execute(
        """INSERT INTO billing_subscription
               (name, partner_id, customer_key_id, company_id, currency_id, periodicity,
                invoicing_mode, date_start, renewal_type, state)
           SELECT 'LEDGER/' || g, (%s)[1 + g %% %s], (%s)[1 + g %% %s], %s, %s, 'monthly',
                  'prepaid', '2024-01-01', 'auto', 'active'
             FROM generate_series(1, %s) g RETURNING id, partner_id, customer_key_id""",
        [
            partners.ids,
            len(partners),
            partners.ids,
            len(partners),
            company.id,
            company.currency_id.id,
            count,
        ],
    )
    rows = []
    for sub_id, partner_id, customer_id in cr.fetchall():
        mrr = rng.choice([300, 500, 900])
        rows.append((date(2024, 1, 1), sub_id, partner_id, customer_id, "new", mrr))
        for month in range(1, months):
            change = rng.choice([0, 0, 0, 50, -50, 100])
            if change and mrr + change > 0:
                kind = "expansion" if change > 0 else "contraction"
                day = date(2024 + month // 12, month % 12 + 1, 1)
                rows.append((day, sub_id, partner_id, customer_id, kind, change))
                mrr += change
    execute_values(
        cr._obj,
        """INSERT INTO billing_mrr_movement
               (date, subscription_id, partner_id, customer_id, company_id, currency_id,
                revenue_layer, movement_type, amount, arr_amount)
           VALUES %s""",
        [
            (d, s, p, c, company.id, company.currency_id.id, "hosting", k, a, a * 12)
            for d, s, p, c, k, a in rows
        ],
        page_size=5000,
    )
    return len(rows)
