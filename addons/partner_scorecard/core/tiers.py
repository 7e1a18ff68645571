"""Tier decisions: which tier a scorecard qualifies for, the gap to the next one, and hysteresis.

Tiers are plain :class:`TierCriteria` ordered by ``level`` (higher is better). A partner qualifies
for a tier when every criterion of that tier holds; the *qualifying level* of a period is the
highest such level. Promotion needs ``promote_after`` consecutive complete periods at or above the
new level; demotion happens only after ``demote_grace`` extra periods below the current level, so a
single bad quarter never costs a tier.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TierCriteria:
    key: object
    level: int
    name: str = ""
    min_overall: float = 0.0
    min_domain: dict = field(default_factory=dict)  # domain -> minimum domain score
    min_certifications: int = 0
    required_certifications: frozenset = frozenset()  # certification type keys
    min_recurring_revenue: float = 0.0


@dataclass(frozen=True)
class PartnerStanding:
    overall: float | None
    domains: dict  # domain -> score or None
    certification_count: int = 0
    certification_types: frozenset = frozenset()
    recurring_revenue: float | None = None


@dataclass(frozen=True)
class Gap:
    criterion: str  # overall | domain | certification_count | certification | recurring_revenue
    subject: object  # the domain or certification type key, else None
    required: float
    actual: float | None

    @property
    def shortfall(self):
        return round(self.required - (self.actual or 0.0), 2)


def gaps(tier, standing):
    """List what ``standing`` lacks to meet ``tier`` (empty: it qualifies).

    >>> t = TierCriteria("gold", 3, min_overall=70, min_domain={"sales": 60}, min_certifications=2)
    >>> [(g.criterion, g.subject, g.shortfall) for g in gaps(t, PartnerStanding(65, {"sales": 61}, 1))]
    [('overall', None, 5), ('certification_count', None, 1)]
    """
    result = []
    if tier.min_overall and (standing.overall is None or standing.overall < tier.min_overall):
        result.append(Gap("overall", None, tier.min_overall, standing.overall))
    for domain, minimum in sorted(tier.min_domain.items()):
        actual = standing.domains.get(domain)
        if actual is None or actual < minimum:
            result.append(Gap("domain", domain, minimum, actual))
    if standing.certification_count < tier.min_certifications:
        result.append(
            Gap("certification_count", None, tier.min_certifications, standing.certification_count)
        )
    for cert in sorted(tier.required_certifications - standing.certification_types, key=str):
        result.append(Gap("certification", cert, 1, 0))
    if tier.min_recurring_revenue and (
        standing.recurring_revenue is None
        or standing.recurring_revenue < tier.min_recurring_revenue
    ):
        result.append(
            Gap("recurring_revenue", None, tier.min_recurring_revenue, standing.recurring_revenue)
        )
    return result


def qualifying_tier(tiers, standing):
    """The highest tier whose criteria all hold, or None when not even the lowest does.

    >>> low, high = TierCriteria("a", 1), TierCriteria("b", 2, min_overall=80)
    >>> qualifying_tier([high, low], PartnerStanding(79.9, {})).key
    'a'
    """
    for tier in sorted(tiers, key=lambda t: t.level, reverse=True):
        if not gaps(tier, standing):
            return tier
    return None


def next_tier(tiers, current_level):
    """The tier just above ``current_level`` (None at the top)."""
    above = [t for t in tiers if t.level > (current_level if current_level is not None else -1)]
    return min(above, key=lambda t: t.level) if above else None


PROMOTE = "promote"
DEMOTE = "demote"
KEEP = "keep"


def recommend(current_level, history, promote_after=2, demote_grace=1):
    """Recommend a tier level from the qualifying levels of recent complete periods.

    ``history`` lists qualifying levels oldest first, the last being the period just computed;
    ``None`` in it means "qualified for no tier". Returns (decision, level).

    >>> recommend(1, [2, 2])
    ('promote', 2)
    >>> recommend(1, [1, 3])           # one good quarter is not enough
    ('keep', 1)
    >>> recommend(1, [3, 2])           # promote to the level sustained in both periods
    ('promote', 2)
    >>> recommend(3, [2])              # first bad quarter: grace
    ('keep', 3)
    >>> recommend(3, [1, 2])           # second in a row: demote to the best sustained level
    ('demote', 2)
    """
    if not history:
        return KEEP, current_level
    if current_level is None:  # a newcomer gets what it qualifies for now
        level = history[-1]
        return (PROMOTE, level) if level is not None else (KEEP, None)
    recent_up = history[-promote_after:]
    if len(recent_up) == promote_after and all(
        lvl is not None and lvl > current_level for lvl in recent_up
    ):
        return PROMOTE, min(recent_up)
    recent_down = history[-(demote_grace + 1) :]
    if len(recent_down) == demote_grace + 1 and all(
        lvl is None or lvl < current_level for lvl in recent_down
    ):
        levels = [lvl for lvl in recent_down if lvl is not None]
        return DEMOTE, max(levels) if levels else None
    return KEEP, current_level
