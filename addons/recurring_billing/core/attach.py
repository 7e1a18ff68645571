"""Attach rates: the share of subscriptions that carry a service.

Seed 001 measures how often the recurring services beyond the platform are sold with it:
hosting, support, monitoring and enhancement retainers.  A subscription counts once per service
type however many lines of that type it has.
"""

from .metrics import ratio

ATTACH_SERVICES = ("hosting", "support", "monitoring", "enhancement")


def attach_rates(subscriptions, with_service):
    """``{service type: share of the subscriptions carrying it}`` (``None`` without any).

    :param subscriptions: number of subscriptions counted
    :param with_service: ``{service type: number of those with a running line of that type}``

    >>> attach_rates(4, {"hosting": 3, "monitoring": 1})["monitoring"]
    0.25
    >>> attach_rates(0, {})["enhancement"] is None
    True
    """
    return {
        service: ratio(with_service.get(service, 0), subscriptions) for service in ATTACH_SERVICES
    }
