from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..core.periods import period_bounds, previous_period_start

# Demo profiles: (strength 0-1 last quarter, change this quarter, certifications, MRR)
DEMO_PROFILES = {
    "northwind": (0.66, -0.12, 3, 6200),  # Silver, retail and eCommerce, delivery slipped
    "harbor": (0.78, 0.02, 5, 9800),
    "alpine": (0.62, 0.05, 3, 11200),  # regional hosting partner
    "baltic": (0.45, 0.06, 1, 1800),
    "brightlabel": (0.76, 0.03, 5, 14400),
    "quanta": (0.64, 0.04, 2, 12800),  # OEM vendor
    "meridian": (0.8, 0.01, 6, 10100),
    "pacific": (0.5, 0.1, 2, 2400),
    "nordic": (0.88, 0.0, 7, 21500),
    "iberia": (0.6, 0.02, 3, 5200),
    "cobalt": (0.42, 0.04, 1, 3100),
    "vertex": (0.74, 0.05, 4, 16900),
}


class PartnerScorecardDemo(models.Model):
    _inherit = "partner.scorecard"

    @api.model
    def _demo_load_history(self):
        """Two quarters of activity and scorecards for the demo partners (demo data only)."""
        today = fields.Date.context_today(self)
        company = self.env.company
        months = int(company.scorecard_period_months)
        current_start, _current_end = period_bounds(today, months)
        previous_start = previous_period_start(current_start, months)
        previous_end = current_start - timedelta(days=1)
        Period = self.env["scorecard.period"]
        previous = Period._get_or_create(previous_start, company)
        current = Period._get_or_create(today, company)
        ref = self.env.ref
        cert_types = [
            ref("partner_scorecard.cert_type_functional"),
            ref("partner_scorecard.cert_type_developer"),
            ref("partner_scorecard.cert_type_architect"),
            ref("partner_scorecard.cert_type_hosting"),
        ]
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
        values, leads = [], []
        consultants = self.env["res.partner"]
        certifications = self.env["partner.certification"]
        for key, (strength, change, cert_count, mrr) in DEMO_PROFILES.items():
            partner = ref(f"partner_scorecard.partner_{key}")
            for index in range(cert_count):
                consultant = consultants.create(
                    {
                        "name": f"{partner.name.split()[0]} Consultant {index + 1}",
                        "parent_id": partner.id,
                    }
                )
                consultants |= consultant
                certifications |= certifications.create(
                    {
                        "partner_id": partner.id,
                        "consultant_id": consultant.id,
                        "certification_type_id": cert_types[index % len(cert_types)].id,
                        "date_obtained": previous_start - timedelta(days=60 + 30 * index),
                    }
                )
            for period, level in ((previous, strength), (current, strength + change)):
                level = max(0.2, min(level, 0.98))
                values += [
                    (partner, metrics["impl_delivery_quality"], period, round(40 + 55 * level, 1)),
                    (partner, metrics["revenue_mrr"], period, round(mrr * (0.9 + level / 5), 0)),
                    (partner, metrics["revenue_renewal_rate"], period, round(70 + 28 * level, 1)),
                    (partner, metrics["ops_response_hours"], period, round(40 - 36 * level, 1)),
                    (partner, metrics["customer_csat"], period, round(58 + 38 * level, 1)),
                    (partner, metrics["customer_nps"], period, round(-15 + 75 * level, 0)),
                ]
                if key not in ("cobalt", "baltic"):  # no contribution data: shown as missing
                    values.append(
                        (partner, metrics["eco_contributions"], period, round(5 * level, 0))
                    )
                start = period.date_start
                for index in range(3 + int(level * 4)):
                    won = index % 3 != 2 or level > 0.8
                    leads.append(
                        {
                            "vals": {
                                "name": f"{partner.name.split()[0]} deal {start:%Y-%m} #{index + 1}",
                                "type": "opportunity",
                                "partner_name": f"Customer {key.title()} {index + 1}",
                                "channel_partner_id": partner.id,
                                "registration_state": "approved",
                                "expected_revenue": round(15000 + 40000 * level + 3000 * index),
                                "stage_id": stage_won.id if won else False,
                                "probability": 100 if won else 0,
                            },
                            "lost": not won,
                            "created": start + timedelta(days=2 + index),
                            "closed": min(start + timedelta(days=20 + 9 * index), today),
                        }
                    )
        metric_values = self.env["partner.metric.value"].create(
            [
                {"partner_id": p.id, "metric_id": m.id, "period_id": per.id, "value": v}
                for p, m, per, v in values
            ]
        )
        lead_records = self.env["crm.lead"]
        for lead_data in leads:
            lead = self.env["crm.lead"].create(lead_data["vals"])
            lead_records |= lead
            if lead_data["lost"]:
                lead.action_set_lost()
            lead.flush_recordset()
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_lead SET create_date = %s, date_closed = %s WHERE id = %s",
                    lead_data["created"],
                    lead_data["closed"],
                    lead.id,
                )
            )
        self.env["crm.lead"].invalidate_model(["create_date", "date_closed"])

        memberships = self.env["partner.membership"].search([("company_id", "=", company.id)])
        self._recompute_memberships(memberships, ref_date=previous_end)
        previous.action_close()
        cards = self._recompute_memberships(memberships, ref_date=today)

        northwind = cards.filtered(
            lambda c: c.partner_id == ref("partner_scorecard.partner_northwind")
        )
        manager = ref("base.user_admin")
        review = self.env["partner.review"].create(
            {
                "scorecard_id": northwind.id,
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
        # what this loader created is the module's data, deleted by its uninstall (newest first)
        self.env["ir.model.data"]._register_demo_records(
            "partner_scorecard", consultants, certifications, metric_values, lead_records, review
        )
