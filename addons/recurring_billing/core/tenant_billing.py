"""How a tenant's lifecycle acts on its billing, and what the tenant brings.

A tenant is billed in two ways: subscriptions linked to it (``tenant_id``: every line of them
serves the tenant) and hosting lines of its environments, which may sit on a subscription linked
to another tenant or to none (a partner's one subscription carrying the hosting of several
tenants).

- **Tenant MRR** on a day: the MRR of the subscriptions linked to the tenant, plus the MRR of the
  hosting lines of its environments on subscriptions *not* linked to it (so that a hosting line on
  a linked subscription counts once), each in the company currency.
- **Suspension scope** of one subscription: the whole subscription pauses when every running
  recurring line of it serves the tenant; when it also carries other tenants' (or unlinked)
  lines, only the tenant's hosting lines stop (per line); when none of its running lines serves
  the tenant it is left alone.
"""

SUBSCRIPTION = "subscription"
LINES = "lines"


def tenant_mrr(linked_mrr, hosting_lines):
    """MRR of one tenant.

    :param linked_mrr: ``{subscription: MRR}`` of the subscriptions linked to the tenant
    :param hosting_lines: ``[(subscription, MRR)]`` of the running hosting lines of the tenant's
        environments, whatever their subscription
    :return: the linked subscriptions' MRR plus the lines' of the other subscriptions

    >>> tenant_mrr({1: 500.0}, [(1, 300.0), (2, 120.0)])
    620.0
    """
    return sum(linked_mrr.values()) + sum(
        amount for subscription, amount in hosting_lines if subscription not in linked_mrr
    )


def suspension_scope(subscription_tenant, tenant, line_tenants):
    """How suspending ``tenant`` acts on one subscription.

    :param subscription_tenant: the tenant the subscription is linked to, or ``None``
    :param line_tenants: for each running recurring line, the tenant of its environment or
        ``None`` (a line without environment serves the subscription's tenant)
    :return: :data:`SUBSCRIPTION` (pause it), :data:`LINES` (stop the tenant's hosting lines
        only) or ``None`` (nothing of it serves the tenant)

    >>> suspension_scope(7, 7, [7, None])
    'subscription'
    >>> suspension_scope(None, 7, [7, 8])
    'lines'
    >>> suspension_scope(None, 7, [None]) is None
    True
    """
    serving = [
        line_tenant == tenant or (line_tenant is None and subscription_tenant == tenant)
        for line_tenant in line_tenants
    ]
    if not any(serving):
        return None
    return SUBSCRIPTION if all(serving) else LINES
