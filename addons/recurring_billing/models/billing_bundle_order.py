import re

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..core import bundle as bundle_core

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class BillingBundle(models.Model):
    """Ordering a bundle for an end customer: one request creates the customer, the draft
    subscription with the bundle's lines, the tenant's provisioning request (a draft tenant with
    its production environment) and, for tier 2-3, the implementation project with its gates.

    The checks run first (active membership, bundle allowed, customer not another partner's),
    then everything is created in one savepoint: a refusal or a failure creates nothing."""

    _inherit = "billing.bundle"

    # ------------------------------------------------------------------ who may order what

    def _order_membership(self, partner):
        """The partner's membership in this bundle's company (an active one when it has one)."""
        self.ensure_one()
        memberships = (
            self.env["partner.membership"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.commercial_partner_id.id),
                    ("company_id", "in", (self.company_id.id, False)),
                ]
            )
        )
        return memberships.filtered(lambda m: m.state == "active")[:1] or memberships[:1]

    def _core_partner(self, partner):
        """The ordering partner as the core sees it."""
        membership = self._order_membership(partner)
        return bundle_core.Partner(
            partner.commercial_partner_id.id,
            membership.state or False,
            membership.partner_type_id.id,
            membership.tier_id.id,
        )

    def _available_for(self, partner):
        """The bundles of this recordset ``partner`` may order (the portal catalogue)."""
        return self.filtered(
            lambda bundle: bundle_core.available(
                bundle._core_partner(partner), bundle._core_bundle()
            )
        )

    @api.model
    def _customer_owners(self, customers):
        """``{customer id: ids of the channel partners that serve it}`` for the commercial
        entities of ``customers``: its tenants, subscriptions and implementation projects name
        them, and a channel partner is its own owner. Three searches whatever the number."""
        customers = customers.commercial_partner_id
        env = self.env(su=True)
        owners = {customer.id: set() for customer in customers}

        def collect(records, customer_field, owner_field):
            for record in records:
                customer = record[customer_field].commercial_partner_id
                if customer.id in owners:
                    owners[customer.id].add(record[owner_field].commercial_partner_id.id)

        collect(
            env["tenant.tenant"]
            .with_context(active_test=False)
            .search([("end_customer_id", "child_of", customers.ids)]),
            "end_customer_id",
            "partner_id",
        )
        collect(
            env["billing.subscription"].search([("end_customer_id", "child_of", customers.ids)]),
            "end_customer_id",
            "partner_id",
        )
        collect(
            env["project.project"]
            .with_context(active_test=False)
            .search(
                [("partner_id", "child_of", customers.ids), ("channel_partner_id", "!=", False)]
            ),
            "partner_id",
            "channel_partner_id",
        )
        for customer in customers.sudo().filtered("channel_membership_ids"):
            owners[customer.id].add(customer.id)
        return owners

    def _own_customers(self, partner):
        """The end customers ``partner`` already serves and nobody else does (offered on the
        order form)."""
        partner = partner.commercial_partner_id
        env = self.env(su=True)
        customers = (
            env["billing.subscription"]
            .search([("partner_id", "=", partner.id), ("end_customer_id", "!=", False)])
            .end_customer_id.commercial_partner_id
        )
        customers |= (
            env["tenant.tenant"]
            .search([("partner_id", "=", partner.id), ("end_customer_id", "!=", False)])
            .end_customer_id.commercial_partner_id
        )
        owners = self._customer_owners(customers)
        return customers.filtered(lambda c: owners[c.id] == {partner.id}).sorted("name")

    def _refusal_message(self, code, partner, customer_label=""):
        self.ensure_one()
        messages = {
            bundle_core.NO_MEMBERSHIP: self.env._(
                "%(partner)s has no active channel membership: bundles can be ordered once "
                "the membership is active again (ask your account manager).",
                partner=partner.display_name,
            ),
            bundle_core.BUNDLE_UNAVAILABLE: self.env._(
                "The bundle %(bundle)s is not offered on the portal any more: pick another "
                "bundle from the catalogue.",
                bundle=self.name,
            ),
            bundle_core.TYPE_NOT_ALLOWED: self.env._(
                "The bundle %(bundle)s is offered to %(types)s partners only: pick a bundle "
                "from your catalogue.",
                bundle=self.name,
                types=", ".join(self.partner_type_ids.mapped("name")),
            ),
            bundle_core.TIER_NOT_ALLOWED: self.env._(
                "The bundle %(bundle)s is offered to the %(tiers)s tiers only: pick a bundle "
                "from your catalogue.",
                bundle=self.name,
                tiers=", ".join(self.partner_tier_ids.mapped("name")),
            ),
            bundle_core.FOREIGN_CUSTOMER: self.env._(
                "End customer: %(customer)s is not one of your customers (another channel "
                "partner serves it): order for a new customer or pick one of your own.",
                customer=customer_label or self.env._("the customer you picked"),
            ),
        }
        return messages[code]

    # ------------------------------------------------------------------ the order

    def _place_order(self, partner, customer=None, customer_vals=None, region="eu-west"):
        """Order this bundle for ``partner`` (the channel partner) and an end customer: an
        existing one of its own (``customer``) or a new one (``customer_vals``: name, email,
        vat, country_id). Returns the draft subscription; raises UserError naming the field
        and the fix, having created nothing."""
        self.ensure_one()
        partner = partner.commercial_partner_id
        customer_vals = customer_vals or {}
        core_partner, core_bundle = self._core_partner(partner), self._core_bundle()
        # who orders what first: a partner that may not order is told so whatever it typed
        if code := bundle_core.order_refusal(core_partner, core_bundle):
            raise UserError(self._refusal_message(code, partner))
        regions = dict(
            self.env["tenant.environment"]._fields["region"]._description_selection(self.env)
        )
        if region not in regions:
            raise UserError(self.env._("Environment Region: pick one of the regions offered."))
        if not customer:
            customer_vals = self._check_customer_vals(customer_vals)
            same_vat = customer_vals.get("vat") and self.env["res.partner"].sudo().search(
                [("vat", "=ilike", customer_vals["vat"]), ("is_company", "=", True)]
            )
            known = same_vat or self.env["res.partner"]
        else:
            known = customer
        owners_by_customer = self._customer_owners(known)
        owners = set().union(*owners_by_customer.values())
        if customer and not owners:
            owners = {0}  # a record no partner serves is not the orderer's to pick
        if code := bundle_core.order_refusal(core_partner, core_bundle, owners):
            # named as the partner typed it: the record found by tax ID or id stays unnamed, so
            # the form never tells one partner the names of another's customers
            label = "" if customer else customer_vals.get("name")
            raise UserError(self._refusal_message(code, partner, label))
        if not customer and owners == {partner.id}:
            # the partner's own customer typed again (same tax ID): no duplicate
            customer = known.commercial_partner_id.filtered(
                lambda c: owners_by_customer[c.id] == {partner.id}
            )[:1]
        with self.env.cr.savepoint():
            return (
                self.sudo()
                .with_company(self.company_id)
                ._create_order(partner, customer, customer_vals, region)
            )

    @api.model
    def _check_customer_vals(self, vals):
        name = (vals.get("name") or "").strip()
        if not name:
            raise UserError(self.env._("End Customer Name: enter the new customer's name."))
        email = (vals.get("email") or "").strip()
        if email and not _EMAIL.match(email):
            raise UserError(self.env._("End Customer Email: %s is not an email address.", email))
        country = False
        if vals.get("country_id"):
            country = self.env["res.country"].browse(int(vals["country_id"])).exists()
            if not country:
                raise UserError(self.env._("End Customer Country: pick a country from the list."))
        return {
            "name": name[:128],
            "email": email or False,
            "vat": (vals.get("vat") or "").strip()[:32] or False,
            "country_id": country.id if country else False,
        }

    def _create_order(self, partner, customer, customer_vals, region):
        """Create everything of the order (the caller checked it and holds the savepoint)."""
        self.ensure_one()
        if not customer:
            customer = self.env["res.partner"].create(
                {**customer_vals, "is_company": True, "company_id": False}
            )
        project = self.env["project.project"]
        if bundle_core.needs_project(self.complexity_tier):
            project = project.create(self._prepare_order_project_vals(partner, customer))
            project.action_create_tenant()
            tenant = project.tenant_ids
            project.message_post(
                body=self.env._(
                    "Opened by the portal order of the bundle %(bundle)s (tier %(tier)s) by "
                    "%(user)s.",
                    bundle=self.name,
                    tier=self.complexity_tier,
                    user=self.env.user.name,
                )
            )
        else:
            tenant = self._create_order_tenant(partner, customer)
        # the partner's account manager follows what the portal order opened (never the portal
        # user who placed it)
        responsible = self._order_membership(partner).account_manager_id
        if responsible and not responsible.share:
            project.write({"user_id": responsible.id})
            tenant.write({"user_id": responsible.id})
        tenant.write(self._prepare_order_tenant_vals())
        tenant.environment_ids.write({"plan_id": self.plan_id.id, "region": region})
        subscription = self.env["billing.subscription"].create(
            self._prepare_order_subscription_vals(partner, customer, tenant)
        )
        subscription.message_post(
            body=self.env._(
                "Ordered from the bundle %(bundle)s on the portal by %(user)s: tenant "
                "%(tenant)s requested%(project)s.",
                bundle=self.name,
                user=self.env.user.name,
                tenant=tenant.display_name,
                project=self.env._(", implementation project %s opened", project.display_name)
                if project
                else "",
            )
        )
        return subscription

    def _order_name(self, customer):
        return f"{customer.name} - {self.name}"

    def _prepare_order_project_vals(self, partner, customer):
        """The implementation project as a qualified deal would open it
        (crm.lead._prepare_implementation_project_vals), the bundle giving the tier."""
        return {
            "name": self._order_name(customer),
            "partner_id": customer.id,
            "channel_partner_id": partner.id,
            "complexity_tier": self.complexity_tier,
            "company_id": self.company_id.id,
        }

    def _create_order_tenant(self, partner, customer):
        """A tier 1 bundle has no project: the tenant and its draft production environment
        are requested as project.action_create_tenant does."""
        tenant = self.env["tenant.tenant"].create(
            {
                "name": self._order_name(customer),
                "partner_id": partner.id,
                "end_customer_id": customer.id,
                "complexity_tier": self.complexity_tier,
                "company_id": self.company_id.id,
            }
        )
        slug = re.sub(r"[^a-z0-9]+", "_", customer.name.lower()).strip("_")[:40]
        self.env["tenant.environment"].create(
            {
                "tenant_id": tenant.id,
                "stage": "production",
                "plan_id": self.plan_id.id,
                "database_name": f"{slug or 'tenant'}_{tenant.id}_prod",
            }
        )
        return tenant

    def _prepare_order_tenant_vals(self):
        vals = {"deployment_model": self.hosting_model}
        if self.sla_policy_id:
            vals["sla_policy_id"] = self.sla_policy_id.id
        return vals

    def _prepare_order_subscription_vals(self, partner, customer, tenant):
        start = fields.Date.context_today(self)
        production = tenant.environment_ids.filtered(lambda e: e.stage == "production")[:1]
        return {
            "partner_id": partner.id,
            "end_customer_id": customer.id,
            "tenant_id": tenant.id,
            "bundle_id": self.id,
            "company_id": self.company_id.id,
            "periodicity": self.periodicity,
            "date_start": start,
            "date_end": bundle_core.commitment_end(start, self.commitment_months) or False,
            "renewal_term": self.commitment_months or 12,
            "line_ids": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "name": line.name or line.product_id.display_name,
                        "service_type": line.service_type,
                        "recurring": line.recurring,
                        "quantity": line.quantity,
                        "price_unit": bundle_core.period_price(
                            line.monthly_price, self.periodicity, line.recurring
                        ),
                        "environment_id": production.id
                        if line.service_type == "hosting"
                        else False,
                    }
                )
                for line in self.line_ids
            ],
        }
