"""Offer bundles (seed 003): what a bundle costs the partner, who may order it, and what an
order creates.

A bundle combines ERP scope, hosting model, support tier and commercial structure; its lines are
priced wholesale per month (one-time lines once). A partner orders it for a new end customer from
the portal: this module decides, without a database, whether the order is refused and why, the
subscription line prices for the bundle's billing period and the subscription's end date.
"""

from collections import namedtuple
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from .periods import MONTHS

BundleLine = namedtuple("BundleLine", "monthly_price quantity recurring")
Partner = namedtuple("Partner", "id membership_state type_id tier_id")
Bundle = namedtuple("Bundle", "active published type_ids tier_ids complexity_tier")

# why an order is refused, in the order they are checked
NO_MEMBERSHIP = "no_membership"
BUNDLE_UNAVAILABLE = "bundle_unavailable"
TYPE_NOT_ALLOWED = "type_not_allowed"
TIER_NOT_ALLOWED = "tier_not_allowed"
FOREIGN_CUSTOMER = "foreign_customer"


def wholesale_mrr(lines):
    """Monthly wholesale of the recurring lines.

    >>> wholesale_mrr([BundleLine(450.0, 1, True), BundleLine(300.0, 2, True),
    ...                BundleLine(9000.0, 1, False)])
    1050.0
    """
    return sum(line.monthly_price * line.quantity for line in lines if line.recurring)


def one_time_total(lines):
    return sum(line.monthly_price * line.quantity for line in lines if not line.recurring)


def period_price(monthly_price, periodicity, recurring=True):
    """A line's price per billing period: a monthly price times the months of the period; a
    one-time price stays as it is.

    >>> period_price(100.0, "quarterly"), period_price(5000.0, "yearly", recurring=False)
    (300.0, 5000.0)
    """
    return monthly_price * MONTHS[periodicity] if recurring else monthly_price


def commitment_end(date_start, commitment_months):
    """Last day of the commitment (inclusive), or None without one.

    >>> from datetime import date
    >>> commitment_end(date(2026, 1, 31), 12)
    datetime.date(2027, 1, 30)
    """
    if not commitment_months:
        return None
    return date_start + relativedelta(months=commitment_months) - timedelta(days=1)


def needs_project(complexity_tier):
    """Tiers 2 and 3 are implementations governed by gates; tier 1 is a template roll-out."""
    return str(complexity_tier or "1") in ("2", "3")


def order_refusal(partner, bundle, customer_owner_ids=()):
    """Why ``partner`` may not order ``bundle`` for a customer owned by ``customer_owner_ids``
    (the channel partners whose tenants, subscriptions or projects serve it), or None.

    >>> p = Partner(7, "active", 1, 2)
    >>> order_refusal(p, Bundle(True, True, (), (), "1"))
    >>> order_refusal(p._replace(membership_state="suspended"), Bundle(True, True, (), (), "1"))
    'no_membership'
    >>> order_refusal(p, Bundle(True, True, (3,), (), "1"))
    'type_not_allowed'
    >>> order_refusal(p, Bundle(True, True, (), (), "1"), customer_owner_ids={7, 9})
    'foreign_customer'
    """
    if partner.membership_state != "active":
        return NO_MEMBERSHIP
    if not (bundle.active and bundle.published):
        return BUNDLE_UNAVAILABLE
    if bundle.type_ids and partner.type_id not in bundle.type_ids:
        return TYPE_NOT_ALLOWED
    if bundle.tier_ids and partner.tier_id not in bundle.tier_ids:
        return TIER_NOT_ALLOWED
    if any(owner != partner.id for owner in customer_owner_ids):
        return FOREIGN_CUSTOMER
    return None


def available(partner, bundle):
    """Whether the catalogue shows ``bundle`` to ``partner`` (same rules, no customer yet)."""
    return order_refusal(partner, bundle) is None
