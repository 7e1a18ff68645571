"""Retention and churn ratios over a window, from MRR figures.

- gross MRR churn = (churn + contraction) ÷ MRR at the start;
- net MRR churn = (churn + contraction - expansion - reactivation) ÷ MRR at the start
  (ChartMogul's definition; negative when expansion and reactivation outweigh losses);
- both count every movement of the window, also of customers who started inside it;
- GRR = Σ min(start, end) ÷ Σ start, NRR = Σ end ÷ Σ start, per customer, over the customers
  active at the start of the window only, so new business never counts.

Ratios are fractions (0.2 is 20 %); ``None`` when there was no MRR at the start.
"""


def ratio(numerator, denominator):
    return numerator / denominator if denominator else None


def gross_mrr_churn(start_mrr, churn, contraction):
    """``churn`` and ``contraction`` are the amounts lost, as positive numbers."""
    return ratio(abs(churn) + abs(contraction), start_mrr)


def net_mrr_churn(start_mrr, churn, contraction, expansion, reactivation=0.0):
    """ChartMogul: churned + contraction - expansion - reactivation MRR, over MRR at the start."""
    return ratio(abs(churn) + abs(contraction) - abs(expansion) - abs(reactivation), start_mrr)


def retention(start_by_key, end_by_key):
    """``(grr, nrr)`` of the keys active at the start (MRR > 0), given ``{key: mrr}`` at both ends."""
    base = {key: value for key, value in start_by_key.items() if value > 0}
    start_total = sum(base.values())
    end_values = {key: max(end_by_key.get(key, 0.0), 0.0) for key in base}
    grr = ratio(sum(min(base[key], end_values[key]) for key in base), start_total)
    nrr = ratio(sum(end_values.values()), start_total)
    return grr, nrr


def cohort_retention(first_mrr, mrr_by_age):
    """Revenue retention per cohort (customers grouped by their first-subscription month).

    :param first_mrr: ``{cohort: MRR of its customers at the end of their first month}``
    :param mrr_by_age: ``{(cohort, age in months): MRR of those customers at that age}``
    :return: ``{cohort: [retention at age 0, 1, 2, ...]}`` as fractions of the first month,
        ``None`` where the cohort had no MRR to start from
    """
    table = {}
    for cohort, start in first_mrr.items():
        ages = sorted(age for c, age in mrr_by_age if c == cohort)
        table[cohort] = [
            ratio(mrr_by_age.get((cohort, age), 0.0), start)
            for age in range(0, (ages or [0])[-1] + 1)
        ]
    return table
