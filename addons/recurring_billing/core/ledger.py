"""Classification of MRR movements, with ChartMogul's definitions.

A movement is a change of one customer's MRR on one date, split by key (subscription and revenue
layer) so that the ledger can be summed by any of them:

- **new business**: the customer had no MRR before and never had any;
- **reactivation**: the customer had no MRR before but had some in the past (a returning churned
  customer);
- **expansion** / **contraction**: the customer had MRR before and still has some after; each part
  is an expansion when it rises and a contraction when it falls, so that cancelling one subscription
  of a customer who keeps another is a contraction, not a churn;
- **churn**: the customer's MRR falls to zero (no other active subscription left).

The sum of all movements of a customer up to a date is that customer's MRR on that date.
"""

NEW = "new"
EXPANSION = "expansion"
CONTRACTION = "contraction"
CHURN = "churn"
REACTIVATION = "reactivation"
TYPES = (NEW, EXPANSION, CONTRACTION, CHURN, REACTIVATION)


def classify(customer_mrr_before, deltas, had_mrr_before=False, precision=1e-6):
    """Classify the parts of one customer's MRR change.

    :param customer_mrr_before: the customer's total MRR just before the change
    :param deltas: ``{key: change}`` of the parts that change (zero changes are dropped)
    :param had_mrr_before: whether the customer ever had MRR before (tells new from reactivation)
    :return: list of ``(key, type, change)``
    """
    deltas = {key: value for key, value in deltas.items() if abs(value) > precision}
    after = customer_mrr_before + sum(deltas.values())
    was_active = customer_mrr_before > precision
    is_active = after > precision
    result = []
    for key, change in deltas.items():
        if not was_active and is_active:
            kind = REACTIVATION if had_mrr_before else NEW
        elif was_active and not is_active:
            kind = CHURN
        elif change > 0:
            kind = EXPANSION
        else:
            kind = CONTRACTION
        result.append((key, kind, change))
    return result
