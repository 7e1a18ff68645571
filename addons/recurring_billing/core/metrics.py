"""Retention and churn ratios over a window, from MRR figures.

- gross MRR churn = (churn + contraction) ÷ MRR at the start;
- net MRR churn = (churn + contraction - expansion) ÷ MRR at the start (negative when expansion
  outweighs losses);
- GRR = Σ min(start, end) ÷ Σ start, NRR = Σ end ÷ Σ start, both over the customers (or
  subscriptions) active at the start of the window, so new business never counts.

Ratios are fractions (0.2 is 20 %); ``None`` when there was no MRR at the start.
"""


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else None


def gross_mrr_churn(start_mrr, churn, contraction):
    """``churn`` and ``contraction`` are the amounts lost, as positive numbers."""
    return _ratio(abs(churn) + abs(contraction), start_mrr)


def net_mrr_churn(start_mrr, churn, contraction, expansion):
    return _ratio(abs(churn) + abs(contraction) - abs(expansion), start_mrr)


def retention(start_by_key, end_by_key):
    """``(grr, nrr)`` of the keys active at the start (MRR > 0), given ``{key: mrr}`` at both ends."""
    base = {key: value for key, value in start_by_key.items() if value > 0}
    start_total = sum(base.values())
    end_values = {key: max(end_by_key.get(key, 0.0), 0.0) for key in base}
    grr = _ratio(sum(min(base[key], end_values[key]) for key in base), start_total)
    nrr = _ratio(sum(end_values.values()), start_total)
    return grr, nrr
