"""Brand consistency: how completely a tenant is presented under its partner's brand."""

# what a customer sees of the partner's brand: each counts the same
BRAND_ITEMS = ("logo", "colors", "custom_domain", "sender")


def brand_items(logo, primary, secondary, custom_domain, sender, default_colors):
    """The :data:`BRAND_ITEMS` a branding has set. The colours count once, and only when they
    are not both the platform's defaults (a brand that kept them looks like every other).

    >>> sorted(brand_items(True, "#112233", "#ffffff", "erp.acme.com", "", ("#1f3b57", "#e8eef5")))
    ['colors', 'custom_domain', 'logo']
    >>> brand_items(False, "#1f3b57", "#e8eef5", "", "help@acme.com", ("#1f3b57", "#e8eef5"))
    {'sender'}
    """
    items = set()
    if logo:
        items.add("logo")
    if (
        primary
        and secondary
        and (primary.lower(), secondary.lower()) != tuple(color.lower() for color in default_colors)
    ):
        items.add("colors")
    if custom_domain:
        items.add("custom_domain")
    if sender:
        items.add("sender")
    return items


def brand_consistency(tenant_items):
    """Mean share (0-100) of :data:`BRAND_ITEMS` set over a partner's live tenants, given one
    set of items per tenant (an empty set for a tenant without branding); ``None`` without any
    live tenant.

    >>> brand_consistency([{"logo", "colors", "custom_domain", "sender"}, {"logo"}])
    62.5
    >>> brand_consistency([]) is None
    True
    """
    if not tenant_items:
        return None
    shares = [len(set(items) & set(BRAND_ITEMS)) / len(BRAND_ITEMS) for items in tenant_items]
    return 100.0 * sum(shares) / len(shares)
