from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, formatLang

from ..core import billing as billing_core
from ..core import periods as period_core
from ..core.proration import days_between


class BillingSubscriptionLine(models.Model):
    """The billing arithmetic of a line: what is due and when (``core.billing``,
    ``core.periods``), and the invoice lines it turns into."""

    _inherit = "billing.subscription.line"

    def _is_running(self, date):
        self.ensure_one()
        return self.date_start <= date and (not self.date_end or self.date_end >= date)

    def _brings_mrr(self, date):
        """Whether this line counts in its subscription's MRR on ``date`` (running, the
        subscription neither draft nor paused on that day)."""
        self.ensure_one()
        sub = self.subscription_id
        return (
            sub.state != "draft"
            and not (sub.pause_date and sub.pause_date <= date)
            and self._is_running(date)
        )

    def _end_limit(self):
        """Last day billed: the line's or the subscription's end, or the day before a pause."""
        sub = self.subscription_id
        ends = [d for d in (self.date_end, sub.date_end) if d]
        if sub.pause_date:
            ends.append(sub.pause_date - timedelta(days=1))
        return min(ends) if ends else None

    def _own_end(self, day):
        """``day``, or the line's or subscription's end when earlier (a pause aside)."""
        ends = [d for d in (self.date_end, self.subscription_id.date_end, day) if d]
        return min(ends)

    def _credit_pending(self):
        """Whether days already invoiced lie beyond the line's end (to be credited)."""
        self.ensure_one()
        end = self._end_limit()
        return billing_core.credit_pending(self.recurring, self.last_date_invoiced, end)

    def _high_water_mark(self):
        return self.last_date_invoiced or self.date_start - timedelta(days=1)

    def _due_items(self, reference_date):
        """``[(kind, start, end, ratio)]`` due on the date for this line (``core.billing``)."""
        self.ensure_one()
        sub = self.subscription_id
        return billing_core.due_items(
            sub.date_start,
            sub.periodicity,
            sub.invoicing_mode == "prepaid",
            self.recurring,
            self.date_start,
            self.last_date_invoiced,
            self._end_limit(),
            reference_date,
            billable=sub.state in ("active", "paused", "closed"),
        )

    def _next_invoice_date(self):
        self.ensure_one()
        sub = self.subscription_id
        if not sub.date_start or not self.date_start:
            return None
        end = self._end_limit()
        if self.recurring and self.last_date_invoiced and end and self.last_date_invoiced > end:
            return end + timedelta(days=1)
        if not self.recurring:
            if self.last_date_invoiced or (end and self.date_start > end):
                return None
            return self.date_start
        return period_core.next_invoice_date(
            sub.date_start,
            sub.periodicity,
            sub.invoicing_mode == "prepaid",
            self._high_water_mark(),
            end,
        )

    def _check_invoiceable(self):
        self.ensure_one()
        accounts = self.product_id.product_tmpl_id.with_company(
            self.company_id
        )._get_product_accounts()
        if not accounts["income"]:
            raise UserError(
                self.env._(
                    "Product %(product)s (line %(line)s of %(subscription)s) has no income "
                    "account: set one on the product or its category.",
                    product=self.product_id.display_name,
                    line=self.name,
                    subscription=self.subscription_id.name,
                )
            )

    def _invoice_line_accounting(self, fiscal_position, cache):
        """Account, taxes, unit and analytic distribution of this line's invoice lines.

        These are the values ``account.move.line`` would compute for each invoice line from the
        product, the fiscal position and the partner (the same Odoo methods are called); a batch
        resolves them once per product and fiscal position (the analytic distribution once per
        product and partner) through ``cache`` instead of once per invoice line. Raises a
        ``UserError`` if the product has no income account.
        """
        self.ensure_one()
        company = self.company_id
        key = ("line", company.id, self.product_id.id, fiscal_position.id)
        if key not in cache:
            self._check_invoiceable()
            product = self.product_id.with_company(company)
            account = product.product_tmpl_id.get_product_accounts(fiscal_pos=fiscal_position)[
                "income"
            ]
            taxes = product.taxes_id.filtered_domain(
                self.env["account.tax"]._check_company_domain(company)
            ) or account.tax_ids.filtered(lambda tax: tax.type_tax_use == "sale")
            taxes = taxes._filter_taxes_by_company(company)
            if taxes and fiscal_position:
                taxes = fiscal_position.map_tax(taxes)
            cache[key] = {
                "account_id": account.id,
                "tax_ids": [fields.Command.set(taxes.ids)],
                "product_uom_id": product.uom_id.id,
            }
        vals = cache[key]
        return {**vals, "analytic_distribution": self._invoice_line_analytic(vals, cache)}

    def _invoice_line_analytic(self, accounting, cache):
        """The analytic distribution Odoo's distribution models give this line's invoice lines
        (``False`` without any), once per product, account and partner of a batch."""
        Model = self.env["account.analytic.distribution.model"]
        if "analytic_models" not in cache:
            # without a single model (as these rules see them), no search can find one: one
            # query per batch instead of one per partner and product
            cache["analytic_models"] = bool(Model.search_count([], limit=1))
        if not cache["analytic_models"]:
            return False
        company = self.company_id
        partner = self.subscription_id.partner_id.commercial_partner_id
        key = ("analytic", company.id, self.product_id.id, accounting["account_id"], partner.id)
        if key not in cache:
            product = self.product_id.with_company(company)
            account = self.env["account.account"].browse(accounting["account_id"])
            distribution = Model._get_distribution(
                {
                    "product_id": product.id,
                    "product_categ_id": product.categ_id.id,
                    "partner_id": partner.id,
                    "partner_category_id": partner.category_id.ids,
                    "account_prefix": account.code,
                    "company_id": company.id,
                    "related_root_plan_ids": self.env["account.analytic.plan"],
                }
            )
            cache[key] = distribution or False
        return cache[key]

    def _prepare_invoice_line_vals(self, kind, start, end, ratio):
        self.ensure_one()
        lang_env = self.with_context(lang=self.subscription_id.partner_id.lang).env
        label = f"{self.name} ({format_date(lang_env, start)} - {format_date(lang_env, end)})"
        if kind == "credit":
            label = self.env._("Credit: %(label)s", label=label)
        if ratio != 1.0:
            total = days_between(start, end) / ratio if ratio else 0
            label += self.env._(
                ", prorated %(days)s/%(total)s days",
                days=days_between(start, end),
                total=round(total),
            )
        quantity, price = self.quantity, self.price_unit * ratio
        if ratio != 1.0 and quantity != 1.0:
            # a prorated unit price is rounded to the price's digits before the quantity
            # multiplies the error: bill the prorated amount of the whole quantity as one unit
            label += self.env._(
                ", quantity %(quantity)s x %(price)s",
                quantity=formatLang(lang_env, quantity, dp="Product Unit of Measure"),
                price=formatLang(lang_env, self.price_unit, currency_obj=self.currency_id),
            )
            quantity, price = 1.0, self.price_unit * self.quantity * ratio
        return {
            "product_id": self.product_id.id,
            "name": label,
            "quantity": quantity,
            "price_unit": price * (-1 if kind == "credit" else 1),
            "billing_line_id": self.id,
            "billing_period_start": start,
            "billing_period_end": end,
        }
