"""Monthly recurring revenue of subscription lines.

MRR counts recurring revenue only: a yearly price is divided by 12, a quarterly one by 3; a
one-time charge (implementation and onboarding, milestone billing) is never MRR.  Discounts are
applied; the wholesale price (what the platform bills the partner) is what counts.
"""

from .periods import MONTHS


def monthly_amount(price, quantity, periodicity, recurring=True, discount=0.0):
    """Normalised monthly amount of one line billed ``price * quantity`` every period."""
    if not recurring:
        return 0.0
    return price * quantity * (1 - (discount or 0.0) / 100.0) / MONTHS[periodicity]


def arr(mrr):
    return mrr * 12
