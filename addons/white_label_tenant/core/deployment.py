"""How a tenant is deployed: the recommendation a complexity tier implies, and the PostgreSQL
settings each deployment model gives an environment's database.

Seed 004: tier 1 is a standard single-entity flow, tier 2 multi-warehouse / barcode / 3PL, tier
3 multi-country, OEM channels or complex EDI, and "each tier should trigger different approval
requirements, staffing models, and infrastructure recommendations". Tier 3 runs dedicated on the
larger plan; tiers 1 and 2 share the multi-tenant platform.
"""

from dataclasses import dataclass

MULTI_TENANT = "multi_tenant"
DEDICATED = "dedicated"
DEPLOYMENT_BY_TIER = {1: MULTI_TENANT, 2: MULTI_TENANT, 3: DEDICATED}


@dataclass(frozen=True)
class PlanSpec:
    """What the recommendation reads of a plan: ``min_tier`` is the plan's Recommended From
    Tier (0 when unset)."""

    id: int
    vcpu: int
    ram_gb: float
    storage_gb: int
    min_tier: int = 0

    @property
    def size(self):
        return (self.vcpu, self.ram_gb, self.storage_gb, self.id)


@dataclass(frozen=True)
class Recommendation:
    deployment_model: str | bool
    plan_id: int | bool


def recommend(tier, plans):
    """The deployment model and plan for a complexity tier (1-3) among ``plans`` (PlanSpec).

    Plans that name the tier they are recommended from win: the one with the highest such tier
    not above ``tier`` (the smallest on a tie). Without them, the plans are ranked by size:
    tier 1 the smallest, tier 3 the largest, tier 2 the middle one. An unknown tier or no plan
    recommends nothing (False).

    >>> small, mid, big = PlanSpec(1, 2, 4, 50), PlanSpec(2, 4, 8, 100), PlanSpec(3, 8, 32, 400)
    >>> recommend(3, [mid, big, small])
    Recommendation(deployment_model='dedicated', plan_id=3)
    >>> recommend(1, [mid, big, small])
    Recommendation(deployment_model='multi_tenant', plan_id=1)
    >>> recommend(2, [mid, big, small]).plan_id
    2
    >>> recommend(False, [small])
    Recommendation(deployment_model=False, plan_id=False)
    """
    tier = int(tier) if tier else 0
    if tier not in DEPLOYMENT_BY_TIER:
        return Recommendation(False, False)
    return Recommendation(DEPLOYMENT_BY_TIER[tier], _plan_for(tier, list(plans)))


def _plan_for(tier, plans):
    if not plans:
        return False
    tiered = [plan for plan in plans if plan.min_tier]
    if tiered:
        fitting = [plan for plan in tiered if plan.min_tier <= tier]
        if not fitting:
            return False
        best = max(plan.min_tier for plan in fitting)
        return min((p for p in fitting if p.min_tier == best), key=lambda p: p.size).id
    ranked = sorted(plans, key=lambda p: p.size)
    index = {1: 0, 2: (len(ranked) - 1) // 2, 3: len(ranked) - 1}[tier]
    return ranked[index].id


@dataclass(frozen=True)
class DatabaseSettings:
    """What the backend gives an environment's database: its own owner role or the pool's, a
    connection limit (-1: none) and per-database parameters (empty: the server's defaults)."""

    own_role: bool
    connection_limit: int
    parameters: dict


def database_settings(
    deployment_model,
    plan_connection_limit,
    plan_statement_timeout_s,
    plan_work_mem_mb,
    shared_connection_limit,
):
    """A dedicated database gets its own role and its plan's limits; a multi-tenant one shares
    the pool role and the platform's shared connection limit, with the server's defaults.
    A limit of 0 means "none" (-1 for PostgreSQL's CONNECTION LIMIT, no parameter).

    >>> database_settings("dedicated", 40, 120, 64, 10)
    DatabaseSettings(own_role=True, connection_limit=40, parameters={'statement_timeout': '120s', 'work_mem': '64MB'})
    >>> database_settings("multi_tenant", 40, 120, 64, 10)
    DatabaseSettings(own_role=False, connection_limit=10, parameters={})
    >>> database_settings("dedicated", 0, 0, 0, 10)
    DatabaseSettings(own_role=True, connection_limit=-1, parameters={})
    """
    if deployment_model == DEDICATED:
        parameters = {}
        if plan_statement_timeout_s:
            parameters["statement_timeout"] = f"{int(plan_statement_timeout_s)}s"
        if plan_work_mem_mb:
            parameters["work_mem"] = f"{int(plan_work_mem_mb)}MB"
        return DatabaseSettings(True, int(plan_connection_limit) or -1, parameters)
    return DatabaseSettings(False, int(shared_connection_limit) or -1, {})
