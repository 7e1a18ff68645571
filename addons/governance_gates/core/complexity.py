"""Complexity tiers of a distribution ERP deal and what each tier implies."""

TIERS = (1, 2, 3)

# The staffing and hosting recommendation for each tier (seed 004: tier 1 is a standard
# single-entity flow, tier 2 multi-warehouse / barcode / 3PL, tier 3 multi-country, OEM,
# complex EDI).
RECOMMENDATIONS = {
    1: ("consultant", "multi_tenant"),
    2: ("solution_lead", "multi_tenant"),
    3: ("senior_solution_lead", "dedicated"),
}


def complexity_tier(matched_tiers, has_data=True):
    """The tier of a deal: the highest tier of the rules it matches, tier 1 when it matches none,
    False when no qualification data was entered yet."""
    tiers = [int(t) for t in matched_tiers if t and int(t) in TIERS]
    if tiers:
        return max(tiers)
    return 1 if has_data else False


def recommendation(tier):
    """(staffing, hosting) for a tier, (False, False) when the tier is unknown."""
    return RECOMMENDATIONS.get(int(tier) if tier else 0, (False, False))


def ratio(numerator, denominator):
    """numerator / denominator, None when there is no denominator (a metric with no data)."""
    if not denominator:
        return None
    return numerator / denominator
