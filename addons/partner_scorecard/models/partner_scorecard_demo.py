from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..core.periods import period_bounds, previous_period_start

# The demo's quarters: four closed ones and the open one, all relative to the install day
DEMO_QUARTERS = 5
# Demo profiles: (strength 0-1 in each quarter, oldest first, the last being the open quarter;
# certifications; typed MRR, or None where the MRR comes from the partner's subscriptions)
DEMO_PROFILES = {
    # Silver, retail and eCommerce: delivery slipped this quarter (two go-lives late), it qualifies
    # for Ready only, and the grace quarter keeps it Silver while the corrective plan runs
    "partner_scorecard.partner_northwind": ((0.66, 0.68, 0.7, 0.67, 0.45), 3, None),
    "partner_scorecard.partner_harbor": ((0.75, 0.76, 0.77, 0.78, 0.79), 5, None),
    "partner_scorecard.partner_alpine": ((0.6, 0.6, 0.61, 0.62, 0.66), 3, 11200),
    "partner_scorecard.partner_baltic": ((0.4, 0.42, 0.42, 0.45, 0.5), 1, 1800),
    "partner_scorecard.partner_brightlabel": ((0.72, 0.74, 0.75, 0.76, 0.78), 5, 14400),
    "partner_scorecard.partner_quanta": ((0.58, 0.6, 0.62, 0.64, 0.68), 2, 12800),  # OEM vendor
    # joined Silver, qualified for Gold two quarters in a row: promoted at the close of the second
    "partner_scorecard.partner_meridian": ((0.58, 0.6, 0.76, 0.79, 0.8), 6, 10100),
    # one good quarter is not enough: qualified for Silver once, stays Ready
    "partner_scorecard.partner_pacific": ((0.42, 0.45, 0.56, 0.46, 0.5), 2, 2400),
    "partner_scorecard.partner_nordic": ((0.86, 0.87, 0.88, 0.88, 0.88), 7, 21500),
    "partner_scorecard.partner_iberia": ((0.58, 0.59, 0.6, 0.6, 0.62), 3, 5200),
    "partner_scorecard.partner_cobalt": ((0.38, 0.4, 0.4, 0.42, 0.46), 1, 3100),
    "partner_scorecard.partner_vertex": ((0.7, 0.72, 0.72, 0.74, 0.79), 4, 16900),
}
# partners without contribution data: shown as missing
NO_CONTRIBUTIONS = ("partner_scorecard.partner_cobalt", "partner_scorecard.partner_baltic")
# people and companies of the demo: real-looking, distinct names
FIRST_NAMES = (
    "Amelia Hart", "Ravi Menon", "Sofia Keller", "Daniel Okoye", "Chloé Martin", "Lukas Brandt",
    "Mei Tanaka", "Oliver Grant", "Ines Duarte", "Pavel Novak", "Hannah Weiss", "Tomás Rivera",
)  # fmt: skip
CUSTOMER_STEMS = (
    "Granite", "Willow", "Copperleaf", "Redwood", "Silverline", "Ironbridge", "Bayside",
    "Kestrel", "Larkspur", "Oakridge", "Marigold", "Stonegate", "Bluefin", "Highmoor", "Foxglove",
    "Riverbend", "Sunpeak", "Thornbury", "Windmere", "Ashford",
)  # fmt: skip
CUSTOMER_TRADES = (
    "Home Goods", "Outdoor Supply", "Apparel", "Fresh Foods", "Tools & Hardware", "Beauty",
    "Office Supply", "Pet Care", "Electrical Wholesale", "Furniture", "Cycling",
)  # fmt: skip
CUSTOMER_CITIES = ("Lyon", "Leeds", "Porto", "Graz", "Ghent", "Turin", "Malmö")
OPEN_PROBABILITIES = (20, 40, 60, 30, 70)


class PartnerScorecardDemo(models.Model):
    _inherit = "partner.scorecard"

    @api.model
    def _demo_quarters(self):
        """The periods of the demo's quarters, oldest first, the last holding today."""
        company = self.env.company
        months = int(company.scorecard_period_months)
        start, _end = period_bounds(fields.Date.context_today(self), months)
        starts = [start]
        for _index in range(DEMO_QUARTERS - 1):
            starts.insert(0, previous_period_start(starts[0], months))
        Period = self.env["scorecard.period"]
        return [Period._get_or_create(day, company) for day in starts]

    @api.model
    def _demo_load_history(
        self, profiles=None, manager_ref="base.user_admin", module="partner_scorecard"
    ):
        """Five quarters of activity and scorecards of the demo partners (demo data only): four
        closed quarters (tier recommendations applied at each close, so the tier history shows the
        promotions and the grace quarters) and the open one. ``profiles`` maps a partner's external
        id to its profile (see ``DEMO_PROFILES``); later modules' demos call this for their own
        partners, the closed quarters then get their cards as they would have had them; what it
        creates is registered as ``module``'s data (its uninstall deletes it)."""
        profiles = profiles or DEMO_PROFILES
        today = fields.Date.context_today(self)
        ref = self.env.ref
        manager = ref(manager_ref)
        quarters = self._demo_quarters()
        partners = self.env["res.partner"].concat(*(ref(key) for key in profiles))
        memberships = self.env["partner.membership"].search(
            [("partner_id", "in", partners.ids), ("company_id", "=", self.env.company.id)]
        )
        consultants, certifications = self._demo_certifications(profiles, quarters[0].date_start)
        metric_values, leads = self._demo_activity(profiles, quarters, manager)
        history = self.env["partner.tier.history"]
        for period in quarters:
            closing = period.date_end < today
            ref_date = period.date_end if closing else today
            cards = self._ensure_scorecards(period, memberships)
            cards.filtered(lambda c: c.state in ("draft", "computed"))._compute_scores(ref_date)
            if not closing:
                continue
            # the channel manager decides at each close: the program applies the recommendations
            pending = cards.filtered(lambda c: c.recommendation_state == "pending")
            before = history.search([("membership_id", "in", memberships.ids)])
            pending.with_user(manager).action_apply_recommendation()
            decided = history.search([("membership_id", "in", memberships.ids)]) - before
            if decided:
                decided.flush_recordset()
                self.env.cr.execute(
                    SQL(
                        "UPDATE partner_tier_history SET date = %s, user_id = %s WHERE id = ANY(%s)",
                        fields.Datetime.to_datetime(period.date_end) + timedelta(days=5, hours=9),
                        manager.id,
                        decided.ids,
                    )
                )
            if period.state == "open":
                period.action_close()
            else:
                cards.filtered(lambda c: c.state != "closed")._workflow_write({"state": "closed"})
        # the tier each partner joined with is dated on its join date
        self.env["partner.tier.history"].flush_model()
        self.env.cr.execute(
            SQL(
                """UPDATE partner_tier_history h SET date = m.join_date + interval '9 hours',
                          user_id = %s
                     FROM partner_membership m
                    WHERE h.membership_id = m.id AND h.old_tier_id IS NULL
                      AND h.scorecard_id IS NULL AND m.id = ANY(%s)""",
                manager.id,
                memberships.ids,
            )
        )
        self.env["partner.tier.history"].invalidate_model(["date", "user_id"])
        # what this loader created is the module's data, deleted by its uninstall (newest first)
        self.env["ir.model.data"]._register_demo_records(
            module, consultants, certifications, metric_values, leads
        )
        return True

    @api.model
    def _demo_corrective_plan(self, partner_ref, manager_ref):
        """The review of a partner's open scorecard and its corrective action plan (demo only)."""
        today = fields.Date.context_today(self)
        ref = self.env.ref
        manager = ref(manager_ref)
        card = self.search(
            [("partner_id", "=", ref(partner_ref).id), ("state", "in", ("draft", "computed"))],
            order="date_start desc",
            limit=1,
        )
        review = self.env["partner.review"].create(
            {
                "scorecard_id": card.id,
                "reviewer_id": manager.id,
                "summary": "<p>Two retail go-lives slipped by six weeks: data migration started "
                "late and the cutover plan had no rehearsal. Sales remain healthy.</p>",
                "enablement_priorities": "<p>Data migration toolkit training; certify two more "
                "functional consultants before next quarter.</p>",
                "growth_targets": "<p>Recover delivery quality above 80% and attach managed "
                "hosting to both new retail customers.</p>",
            }
        )
        self.env["partner.review.action"].create(
            [
                {
                    "review_id": review.id,
                    "name": "Rehearse cutover for the two delayed retail go-lives",
                    "domain": "implementation",
                    "owner_id": manager.id,
                    "date_due": today + timedelta(days=21),
                },
                {
                    "review_id": review.id,
                    "name": "Certify two more functional consultants",
                    "domain": "ecosystem",
                    "owner_id": manager.id,
                    "date_due": today + timedelta(days=60),
                },
                {
                    "review_id": review.id,
                    "name": "Adopt the data migration checklist on every project",
                    "domain": "implementation",
                    "owner_id": manager.id,
                    "date_due": today + timedelta(days=30),
                    "state": "in_progress",
                },
            ]
        )
        self.env["ir.model.data"]._register_demo_records("partner_scorecard", review)
        return True

    @api.model
    def _demo_certifications(self, profiles, first_day):
        """Named consultants and their certifications, valid over the demo's quarters; a
        certification shorter-lived than the history is renewed before it lapses."""
        ref = self.env.ref
        cert_types = [
            ref("partner_scorecard.cert_type_functional"),
            ref("partner_scorecard.cert_type_developer"),
            ref("partner_scorecard.cert_type_architect"),
            ref("partner_scorecard.cert_type_hosting"),
        ]
        today = fields.Date.context_today(self)
        consultant_vals, cert_specs = [], []
        for position, (key, (_levels, cert_count, _mrr)) in enumerate(profiles.items()):
            partner = ref(key)
            for index in range(cert_count):
                name = FIRST_NAMES[(position * 5 + index) % len(FIRST_NAMES)]
                consultant_vals.append({"name": name, "parent_id": partner.id})
                cert_type = cert_types[index % len(cert_types)]
                obtained = first_day - timedelta(days=60 + 30 * index)
                cert_specs.append((partner, cert_type, [obtained]))
                validity = cert_type.validity_months * 30
                while cert_specs[-1][2][-1] + timedelta(days=validity) < today:
                    cert_specs[-1][2].append(cert_specs[-1][2][-1] + timedelta(days=validity - 20))
        consultants = self.env["res.partner"].create(consultant_vals)
        certifications = self.env["partner.certification"].create(
            [
                {
                    "partner_id": partner.id,
                    "consultant_id": consultant.id,
                    "certification_type_id": cert_type.id,
                    "date_obtained": obtained,
                }
                for consultant, (partner, cert_type, dates) in zip(
                    consultants, cert_specs, strict=True
                )
                for obtained in dates
            ]
        )
        return consultants, certifications

    @api.model
    def _demo_activity(self, profiles, quarters, owner):
        """Manual metric values and registered deals of each quarter: deals won or lost in closed
        quarters, open deals with plausible probabilities in the current one."""
        ref = self.env.ref
        today = fields.Date.context_today(self)
        metrics = {
            code: ref(f"partner_scorecard.metric_{code}")
            for code in (
                "impl_delivery_quality",
                "revenue_mrr",
                "revenue_renewal_rate",
                "ops_response_hours",
                "customer_csat",
                "customer_nps",
                "eco_contributions",
            )
        }
        stage_won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        stage_open = self.env["crm.stage"].search([("is_won", "=", False)], order="sequence desc")
        values, leads = [], []
        # numbered on from the deals already registered: each deal's customer is its own
        customer_index = (
            self.env["crm.lead"]
            .with_context(active_test=False)  # lost deals are archived: count them too
            .search_count([("channel_partner_id", "!=", False)])
        )
        for key, (levels, _cert_count, mrr) in profiles.items():
            partner = ref(key)
            for period, level in zip(quarters, levels, strict=False):
                level = max(0.2, min(level, 0.98))
                values += [
                    (partner, metrics["impl_delivery_quality"], period, round(40 + 55 * level, 1)),
                    (partner, metrics["revenue_renewal_rate"], period, round(70 + 28 * level, 1)),
                    (partner, metrics["ops_response_hours"], period, round(40 - 36 * level, 1)),
                    (partner, metrics["customer_csat"], period, round(58 + 38 * level, 1)),
                    (partner, metrics["customer_nps"], period, round(-15 + 75 * level, 0)),
                ]
                if mrr is not None:  # else measured from the partner's subscriptions
                    values.append(
                        (partner, metrics["revenue_mrr"], period, round(mrr * (0.9 + level / 5)))
                    )
                if key not in NO_CONTRIBUTIONS:
                    values.append(
                        (partner, metrics["eco_contributions"], period, round(5 * level, 0))
                    )
                start = period.date_start
                for index in range(3 + int(level * 4)):
                    customer_index += 1
                    # one customer per deal: no accidental registration conflict
                    stem = CUSTOMER_STEMS[customer_index % len(CUSTOMER_STEMS)]
                    trade = CUSTOMER_TRADES[customer_index % len(CUSTOMER_TRADES)]
                    city = CUSTOMER_CITIES[customer_index % len(CUSTOMER_CITIES)]
                    customer = f"{stem} {trade} ({city})"
                    created = start + timedelta(days=2 + 5 * index)
                    closed = start + timedelta(days=20 + 9 * index)
                    still_open = closed >= today
                    if still_open and index < 3:
                        # the open quarter's first deals are decided by the install day, however
                        # young the quarter is: its sales figures have data from day one
                        closed = min(start + timedelta(days=3 + 4 * index), today)
                        created = min(start + timedelta(days=1 + index), closed)
                        still_open = False
                    won = index % 3 != 2 or level > 0.8
                    vals = {
                        "name": f"{customer}: ERP and managed cloud",
                        "type": "opportunity",
                        "partner_name": customer,
                        "channel_partner_id": partner.id,
                        "registration_state": "approved",
                        "user_id": owner.id,
                        "expected_revenue": round(15000 + 40000 * level + 3000 * index),
                    }
                    if still_open:
                        vals.update(
                            stage_id=stage_open[index % len(stage_open)].id
                            if stage_open
                            else False,
                            probability=OPEN_PROBABILITIES[index % len(OPEN_PROBABILITIES)],
                        )
                    else:
                        vals.update(
                            stage_id=stage_won.id if won else False, probability=100 if won else 0
                        )
                    leads.append((vals, not still_open and not won, min(created, today), closed))
        metric_values = self.env["partner.metric.value"].create(
            [
                {"partner_id": p.id, "metric_id": m.id, "period_id": per.id, "value": v}
                for p, m, per, v in values
                if m.provider == "manual"  # a measured metric takes no typed value
            ]
        )
        lead_records = self.env["crm.lead"].create([vals for vals, *_rest in leads])
        for lead, (_vals, lost, _created, _closed) in zip(lead_records, leads, strict=True):
            if lost:
                lead.action_set_lost()
        lead_records.flush_recordset()
        for lead, (vals, _lost, created, closed) in zip(lead_records, leads, strict=True):
            open_lead = vals.get("probability") not in (0, 100)
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_lead SET create_date = %s, date_closed = %s WHERE id = %s",
                    created,
                    None if open_lead else closed,
                    lead.id,
                )
            )
        self.env["crm.lead"].invalidate_model(["create_date", "date_closed"])
        return metric_values, lead_records
