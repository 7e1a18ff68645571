"""The permission matrix of the four modules, generated from the code and checked over JSON-RPC.

Every model of partner_scorecard, governance_gates, white_label_tenant and recurring_billing, and
every public method they define (also on the models they extend: ``crm.lead``,
``project.project``...), is listed in ``permission_matrix.MATRIX`` with, per operation and per
role, what a user of that role must get over ``/web/dataset/call_kw``. ``test_matrix_is_complete``
fails on a model or public method without an entry (and on an entry whose model or method is
gone); ``test_matrix_over_json_rpc`` logs in as each role and compares every cell.

Roles: ``anonymous`` (no session), ``portal`` (portal user of partner A), ``internal`` (internal
user without channel rights), ``channel_user``, ``channel_manager`` (company 1), ``other_company``
(Channel User of company 2 only). Records ("slots"): ``own`` (partner A, company 1),
``other_partner`` (partner B, company 1), ``other_company`` (partner C, company 2). ``write``,
``write_workflow``, ``unlink`` and the methods act on the ``own`` record; each cell runs in a
savepoint rolled back after it, so no cell sees what another one did.

How it fails when a guard is removed (each checked once by hand, then reverted): without
``"waived"`` in ``governance.gate.line._workflow_fields`` the gate line's ``write_workflow`` cell
(``{"waived": ...}``) answers success to the Channel User and Manager instead of AccessError;
without the ``_check_manager()`` of ``tenant.environment.action_provision`` its Channel User cell
is no longer denied; without the Channel User check of ``action_gate_prepare`` the portal cells of
``crm.lead``, ``partner.membership`` and ``tenant.tenant`` are no longer denied; without the
``_workflow_check_vals`` of ``tenant.upgrade.campaign.write`` (the maintenance-window override) its
``write_workflow`` cell, sent with an override, answers success to the Channel Manager; without the
environment's move and version fields declared as workflow fields its ``create_workflow`` cell
answers success to the Channel User and Manager (they were refused on write only), and without
``author_id`` in ``tenant.incident.update._workflow_fields`` so does the update's
``write_workflow`` cell. Likewise a record rule dropped changes the ``read_*``/``search`` cells,
an ``ir.model.access`` line the cells of its group.
"""

import base64
import json
import uuid
from contextlib import contextmanager
from datetime import date

from odoo import Command, models
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import BillingCommon
from .permission_matrix import MATRIX, NA, ROLES

SUITE_MODULES = ("partner_scorecard", "governance_gates", "white_label_tenant", "recurring_billing")
# a refusal for a business reason: the call went past the access checks
BUSINESS_ERRORS = (
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.RedirectWarning",
)
PASSWORD = "Matrix-pw-2026"  # test users only
MUTED = (
    "odoo.http",
    "odoo.models",
    "odoo.models.unlink",
    "odoo.addons.base.models.ir_model",
    "odoo.addons.base.models.ir_rule",
    "odoo.sql_db",
)


def public_methods(env):
    """{model: {public method names}} defined by the four modules, from the registry."""
    builtins = set(dir(models.BaseModel))
    found = {}
    for name in env.registry:
        model_class = type(env[name])
        methods = set()
        for klass in model_class.__mro__:
            if getattr(klass, "pool", None) is not None:
                continue  # the registry's own classes
            if getattr(klass, "_module", None) not in SUITE_MODULES:
                continue
            for attr, value in vars(klass).items():
                if attr.startswith("_") or attr in builtins or not callable(value):
                    continue
                if any(
                    getattr(getattr(k, attr, None), "_api_private", False)
                    for k in model_class.__mro__
                ):
                    continue
                methods.add(attr)
        if model_class._original_module in SUITE_MODULES or methods:
            found[name] = methods
    return found


@tagged("post_install", "-at_install")
class TestPermissionMatrix(BillingCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(su=True, context=dict(cls.env.context, tracking_disable=True))
        cls.company_2 = cls.setup_other_company(name="Matrix Company 2")["company"]
        cls.partner_a, cls.partner_b = cls.channel_partner, cls.other_partner
        cls.partner_c = cls.env["res.partner"].create({"name": "Partner C", "is_company": True})
        cls.contact_a = cls.env["res.partner"].create(
            {"name": "Alice (A)", "parent_id": cls.partner_a.id, "email": "alice@a.example"}
        )
        cls.users = {
            "portal": new_test_user(
                cls.env,
                login="matrix_portal",
                password=PASSWORD,
                groups="base.group_portal",
                partner_id=cls.contact_a.id,
            ),
            "internal": new_test_user(
                cls.env, login="matrix_internal", password=PASSWORD, groups="base.group_user"
            ),
            "channel_user": new_test_user(
                cls.env,
                login="matrix_channel_user",
                password=PASSWORD,
                groups="base.group_user,partner_scorecard.group_channel_user",
            ),
            "channel_manager": new_test_user(
                cls.env,
                login="matrix_channel_manager",
                password=PASSWORD,
                groups="base.group_user,partner_scorecard.group_channel_manager",
            ),
            "other_company": new_test_user(
                cls.env,
                login="matrix_other_company",
                password=PASSWORD,
                groups="base.group_user,partner_scorecard.group_channel_user",
                company_id=cls.company_2.id,
                company_ids=[Command.set(cls.company_2.ids)],
            ),
        }
        cls.records = {}  # {model: {slot: record}}
        cls._make_scorecard_records()
        cls._make_gate_records()
        cls._make_lead_offer_records()
        cls._make_tenant_records()
        cls._make_tenant_operation_records()
        cls._make_billing_records()
        cls.env.flush_all()

    # ------------------------------------------------------------------ fixtures

    @classmethod
    def _put(cls, model, own=None, other_partner=None, other_company=None):
        slots = {"own": own, "other_partner": other_partner, "other_company": other_company}
        cls.records[model] = {slot: rec for slot, rec in slots.items() if rec}

    @classmethod
    def _make_scorecard_records(cls):
        env, c2 = cls.env, cls.company_2
        ptype = env["partner.type"].create({"name": "Matrix Integrator", "code": "mx_int"})
        ptype_2 = env["partner.type"].create(
            {"name": "Matrix Integrator 2", "code": "mx_int2", "company_id": c2.id}
        )
        vertical = env["partner.vertical"].create({"name": "Matrix Retail"})
        env["partner.tier"].search([]).action_archive()  # a program of its own
        tier = env["partner.tier"].create({"name": "MX-Entry", "level": 201})
        tier_top = env["partner.tier"].create(
            {
                "name": "MX-Top",
                "level": 202,
                "min_overall_score": 80,
                "domain_minimum_ids": [Command.create({"domain": "sales", "min_score": 70})],
            }
        )
        tier_2 = env["partner.tier"].create(
            {"name": "MX-Entry-2", "level": 203, "company_id": c2.id, "min_overall_score": 10}
        )
        cert_type = env["partner.certification.type"].create(
            {"name": "Matrix Functional", "code": "mx_func", "validity_months": 12}
        )
        metric = env["scorecard.metric"].create(
            {
                "code": "mx_quality",
                "name": "Matrix quality",
                "domain": "implementation",
                "unit": "percent",
                "target": 100,
                "floor": 50,
                "provider": "manual",
                "band_ids": [Command.create({"threshold": 50, "score": 50})],
            }
        )
        template = env["scorecard.template"].create(
            {
                "name": "Matrix template",
                "partner_type_id": ptype.id,
                "domain_weight_ids": [Command.create({"domain": "implementation", "weight": 100})],
                "line_ids": [Command.create({"metric_id": metric.id, "weight": 100})],
            }
        )
        env["scorecard.template"].create(
            {
                "name": "Matrix template 2",
                "partner_type_id": ptype_2.id,
                "company_id": c2.id,
                "domain_weight_ids": [Command.create({"domain": "implementation", "weight": 100})],
                "line_ids": [Command.create({"metric_id": metric.id, "weight": 100})],
            }
        )
        day = date(2026, 5, 15)
        period = env["scorecard.period"]._get_or_create(day, cls.company)
        period_2 = env["scorecard.period"]._get_or_create(day, c2)
        Membership = env["partner.membership"]
        memberships = [
            Membership._workflow_create(
                {
                    "partner_id": partner.id,
                    "partner_type_id": (ptype_2 if company == c2 else ptype).id,
                    "tier_id": (tier_2 if company == c2 else tier).id,
                    "company_id": company.id,
                }
            ).with_env(env)
            for partner, company in (
                (cls.partner_a, cls.company),
                (cls.partner_b, cls.company),
                (cls.partner_c, c2),
            )
        ]
        cls.memberships = memberships
        values = [
            env["partner.metric.value"].create(
                {
                    "partner_id": membership.partner_id.id,
                    "metric_id": metric.id,
                    "period_id": (period_2 if membership.company_id == c2 else period).id,
                    "value": 80,
                }
            )
            for membership in memberships
        ]
        certifications = [
            env["partner.certification"].create(
                {
                    "partner_id": membership.partner_id.id,
                    "certification_type_id": cert_type.id,
                    "date_obtained": date(2026, 1, 1),
                    "company_id": membership.company_id.id,
                }
            )
            for membership in memberships
        ]
        cards = [
            env["partner.scorecard"]
            .with_company(membership.company_id)
            ._recompute_memberships(membership, ref_date=day)
            .with_env(env)
            for membership in memberships
        ]
        reviews = [env["partner.review"].create({"scorecard_id": card.id}) for card in cards]
        actions = [
            env["partner.review.action"].create(
                {
                    "name": "Matrix action",
                    "review_id": review.id,
                    "owner_id": cls.users["channel_user"].id,
                    "date_due": date(2026, 6, 30),
                }
            )
            for review in reviews
        ]
        histories = [
            env["partner.tier.history"].create(
                {"membership_id": membership.id, "new_tier_id": membership.tier_id.id}
            )
            for membership in memberships
        ]
        cls.tier, cls.tier_top, cls.metric, cls.period = tier, tier_top, metric, period
        cls.ptype, cls.cert_type, cls.template = ptype, cert_type, template
        cls._put("partner.type", ptype, other_company=ptype_2)
        cls._put("partner.vertical", vertical)
        cls._put("partner.tier", tier, other_company=tier_2)
        cls._put("partner.tier.domain.minimum", tier_top.domain_minimum_ids)
        cls._put("partner.certification.type", cert_type)
        cls._put("scorecard.metric", metric)
        cls._put("scorecard.metric.band", metric.band_ids)
        cls._put("scorecard.period", period, other_company=period_2)
        cls._put("scorecard.template", template)
        cls._put("scorecard.template.domain", template.domain_weight_ids)
        cls._put("scorecard.template.line", template.line_ids)
        for model, recs in (
            ("partner.membership", memberships),
            ("partner.metric.value", values),
            ("partner.certification", certifications),
            ("partner.scorecard", cards),
            ("partner.scorecard.line", [card.line_ids[:1] for card in cards]),
            ("partner.scorecard.domain", [card.domain_ids[:1] for card in cards]),
            ("partner.scorecard.gap", [card.gap_ids[:1] for card in cards]),
            ("partner.review", reviews),
            ("partner.review.action", actions),
            ("partner.tier.history", histories),
        ):
            cls._put(model, *recs)

    @classmethod
    def _make_gate_records(cls):
        env, c2 = cls.env, cls.company_2
        projects = [
            env["project.project"]
            .with_company(company)
            .create(
                {
                    "name": f"Matrix project {partner.name}",
                    "channel_partner_id": partner.id,
                    "company_id": company.id,
                    "planned_go_live_date": "2026-12-01",
                }
            )
            for partner, company in (
                (cls.partner_a, cls.company),
                (cls.partner_b, cls.company),
                (cls.partner_c, c2),
            )
        ]
        for project in projects:
            project.with_company(project.company_id).implementation_phase = "build"
        gates = [project.gate_ids[:1] for project in projects]
        cls._put("project.project", *projects)
        cls._put("governance.gate", *gates)
        cls._put("governance.gate.line", *[gate.line_ids[:1] for gate in gates])
        cls._put("governance.gate.approval", *[gate.approval_ids[:1] for gate in gates])
        template = gates[0].template_id
        cls._put("governance.gate.template", template)
        cls._put("governance.gate.criterion", template.criterion_ids[:1])
        cls._put("governance.gate.approval.rule", template.approval_rule_ids[:1])
        rule = env["governance.complexity.rule"].create({"name": "Matrix rule"})
        cls._put("governance.complexity.rule", rule)
        leads = [
            env["crm.lead"].create(
                {
                    "name": f"Matrix deal {partner.name}",
                    "type": "opportunity",
                    "channel_partner_id": partner.id,
                    "company_id": company.id,
                }
            )
            for partner, company in (
                (cls.partner_a, cls.company),
                (cls.partner_b, cls.company),
                (cls.partner_c, c2),
            )
        ]
        cls._put("crm.lead", *leads)

    @classmethod
    def _make_lead_offer_records(cls):
        """A distribution rule per company, and a lead offered to each of partners A, B, C."""
        env, c2 = cls.env, cls.company_2
        Rule = env["crm.lead.distribution.rule"]
        rules = [
            Rule.create({"name": "Matrix rule"}),
            Rule.create({"name": "Matrix rule 2", "company_id": c2.id}),
        ]
        offers = []
        for membership in cls.memberships:
            company = membership.company_id
            lead = env["crm.lead"].create(
                {"name": f"Matrix lead {membership.partner_id.name}", "company_id": company.id}
            )
            offers.append(
                env["crm.lead.offer"]._offer_create(
                    lead, membership, rules[1] if company == c2 else rules[0]
                )
            )
        cls._put("crm.lead.distribution.rule", rules[0], other_company=rules[1])
        cls._put("crm.lead.offer", *offers)

    @classmethod
    def _make_tenant_records(cls):
        env, c2 = cls.env, cls.company_2
        # a template that does not exist: a provisioning the matrix allows fails in the backend
        # instead of creating a database (a savepoint does not undo CREATE DATABASE)
        env["ir.config_parameter"].set_param(
            "white_label_tenant.template_database", f"matrix_no_template_{uuid.uuid4().hex[:8]}"
        )
        plan = env["tenant.plan"].create(
            {"name": "Matrix plan", "code": "MX-STD", "vcpu": 2, "ram_gb": 4, "storage_gb": 50}
        )
        policy = env["tenant.sla.policy"].create({"name": "Matrix Gold"})
        version = env["tenant.sla.policy.version"].create(
            {
                "policy_id": policy.id,
                "effective_from": "2026-01-01 00:00:00",
                "business_hours": False,
                "target_ids": [
                    Command.create({"priority": "1", "response_hours": 1, "resolution_hours": 4}),
                ],
            }
        )
        tenants, envs, backups, restores, samples, incidents, brandings = ([] for _ in range(7))
        for partner, company in (
            (cls.partner_a, cls.company),
            (cls.partner_b, cls.company),
            (cls.partner_c, c2),
        ):
            tenant = env["tenant.tenant"].create(
                {"name": f"Matrix ERP {partner.name}", "partner_id": partner.id}
                | ({"company_id": company.id} if company == c2 else {})
            )
            environment = env["tenant.environment"].create(
                {
                    "tenant_id": tenant.id,
                    "stage": "production",
                    "database_name": f"matrix_{uuid.uuid4().hex[:10]}",
                    "plan_id": plan.id,
                }
            )
            # a failed backup: a restore test of it is refused before any backend work
            backup = env["tenant.backup"].create(
                {"environment_id": environment.id, "state": "failed"}
            )
            restore = env["tenant.restore.test"].create({"backup_id": backup.id, "state": "passed"})
            sample = env["tenant.uptime.sample"].create({"environment_id": environment.id})
            incident = env["tenant.incident"].create(
                {"subject": "Matrix outage", "tenant_id": tenant.id}
            )
            branding = env["tenant.branding"].create(
                {"partner_id": partner.id, "brand_name": f"{partner.name} ERP"}
                | ({"company_id": company.id} if company == c2 else {})
            )
            for bucket, rec in (
                (tenants, tenant),
                (envs, environment),
                (backups, backup),
                (restores, restore),
                (samples, sample),
                (incidents, incident),
                (brandings, branding),
            ):
                bucket.append(rec)
        staging = env["tenant.environment"].create(
            {
                "tenant_id": tenants[0].id,
                "stage": "staging",
                "database_name": f"matrix_{uuid.uuid4().hex[:10]}",
                "plan_id": plan.id,
            }
        )
        promotion = env["tenant.promotion"].create(
            {"source_environment_id": staging.id, "target_environment_id": envs[0].id}
        )
        cls.plan, cls.policy, cls.tenants, cls.envs = plan, policy, tenants, envs
        cls._put(
            "tenant.health.snapshot",
            *env["tenant.health.snapshot"].create(
                [{"tenant_id": tenant.id, "date": "2026-03-01", "score": 80} for tenant in tenants]
            ),
        )
        cls._put("tenant.plan", plan)
        cls._put("tenant.sla.policy", policy)
        cls._put("tenant.sla.policy.version", version)
        cls._put("tenant.sla.target", version.target_ids[:1])
        cls._put("tenant.promotion", promotion)
        for model, recs in (
            ("tenant.tenant", tenants),
            ("tenant.environment", envs),
            ("tenant.backup", backups),
            ("tenant.restore.test", restores),
            ("tenant.uptime.sample", samples),
            ("tenant.incident", incidents),
            ("tenant.branding", brandings),
        ):
            cls._put(model, *recs)

    @classmethod
    def _make_tenant_operation_records(cls):
        """Per partner A, B, C: a finished DR drill, a requested move to dedicated, an incident
        status update and an escalation notified; per company: an upgrade campaign (company 1's
        with the steps of A's and B's environments) and a burn-rate alert rule; an escalation
        chain of two levels on the fixture's SLA version (company 1)."""
        env, c2 = cls.env, cls.company_2
        drills, migrations = [], []
        for environment in cls.envs:
            # failed, not planned: a drill the matrix creates for the environment is not refused
            # by the one-open-drill-per-environment index
            drill = env["tenant.dr.drill"].create({"environment_id": environment.id})
            drill._workflow_write({"state": "failed", "details": "Matrix drill"})
            drills.append(drill)
            migrations.append(
                env["tenant.migration"].create(
                    {
                        "source_environment_id": environment.id,
                        "target_plan_id": cls.plan.id,
                        "target_database_name": f"matrix_dedicated_{uuid.uuid4().hex[:10]}",
                    }
                )
            )
        cls._put("tenant.dr.drill", *drills)
        cls._put("tenant.migration", *migrations)
        campaigns = [
            env["tenant.upgrade.campaign"].create(
                {
                    "name": f"Matrix upgrade {company.name}",
                    "module_names": "base",
                    "company_id": company.id,
                }
            )
            for company in (cls.company, c2)
        ]
        steps = env["tenant.upgrade.step"]._workflow_create(
            [
                {
                    "campaign_id": campaigns[1 if environment.company_id == c2 else 0].id,
                    "environment_id": environment.id,
                    "kind": "production",
                    "wave": 1,
                }
                for environment in cls.envs
            ]
        )
        cls._put("tenant.upgrade.campaign", campaigns[0], other_company=campaigns[1])
        cls._put("tenant.upgrade.step", *steps)
        rules = [
            env["tenant.slo.alert.rule"].create(
                {
                    "name": f"Matrix fast burn {company.name}",
                    "factor": 14.4,
                    "long_window_minutes": 60,
                    "short_window_minutes": 5,
                    "company_id": company.id,
                }
            )
            for company in (cls.company, c2)
        ]
        cls._put("tenant.slo.alert.rule", rules[0], other_company=rules[1])
        version = cls.records["tenant.sla.policy.version"]["own"]
        level, level_notified = env["tenant.escalation.level"].create(
            [
                {"version_id": version.id, "after_minutes": 60, "recipient_kind": "responsible"},
                {"version_id": version.id, "after_minutes": 120, "recipient_kind": "team_lead"},
            ]
        )
        cls._put("tenant.escalation.level", level)
        # company 2's incident escalates along a chain of its company's own policy
        policy_2 = env["tenant.sla.policy"].create({"name": "Matrix Gold 2", "company_id": c2.id})
        version_2 = env["tenant.sla.policy.version"].create(
            {
                "policy_id": policy_2.id,
                "effective_from": "2026-01-01 00:00:00",
                "business_hours": False,
            }
        )
        level_2 = env["tenant.escalation.level"].create(
            {
                "version_id": version_2.id,
                "after_minutes": 120,
                "recipient_kind": "team_lead",
            }
        )
        incidents = list(cls.records["tenant.incident"].values())
        cls._put(
            "tenant.incident.escalation",
            *env["tenant.incident.escalation"].create(
                [
                    {
                        "incident_id": incident.id,
                        "level_id": (level_2 if incident.company_id == c2 else level_notified).id,
                        "recipient_kind": "team_lead",
                        "due_at": "2026-03-02 10:00:00",
                        "missing_recipient": True,
                    }
                    for incident in incidents
                ]
            ),
        )
        cls._put(
            "tenant.incident.update",
            *env["tenant.incident.update"].create(
                [
                    {"incident_id": incident.id, "body": "We are looking into the outage."}
                    for incident in incidents
                ]
            ),
        )

    @classmethod
    def _make_billing_records(cls):
        env = cls.env
        subs = [
            cls._subscription(date(2026, 1, 1), partner=cls.partner_a, customer=cls.customer_1),
            cls._subscription(date(2026, 1, 1), partner=cls.partner_b, customer=cls.customer_2),
        ]
        run = env["billing.run"]._run(date(2026, 3, 15))
        subs.append(
            cls._subscription(date(2026, 1, 1), partner=cls.partner_c, company_id=cls.company_2.id)
        )
        cls.subscriptions = subs
        Period, Movement = env["billing.invoice.period"], env["billing.mrr.movement"]
        RunLine = env["billing.run.line"]
        cls._put("billing.subscription", *subs)
        cls._put("billing.subscription.line", *[sub.line_ids[:1] for sub in subs])
        cls._put(
            "billing.mrr.movement",
            *[Movement.search([("subscription_id", "=", sub.id)], limit=1) for sub in subs],
        )
        cls._put(
            "billing.invoice.period",
            *[Period.search([("subscription_id", "=", sub.id)], limit=1) for sub in subs[:2]],
        )
        cls._put("billing.run", run)
        cls._put(
            "billing.run.line",
            *[RunLine.search([("subscription_id", "=", sub.id)], limit=1) for sub in subs[:2]],
        )

        # marketing development funds: one fund and one submitted claim per partner
        funds, claims = [], []
        for partner, company in (
            (cls.partner_a, cls.company),
            (cls.partner_b, cls.company),
            (cls.partner_c, cls.company_2),
        ):
            fund = env["billing.mdf.fund"].create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "date_start": date(2026, 4, 1),
                    "date_end": date(2026, 6, 30),
                    "periodicity": "quarter",
                    "budget": 1000.0,
                }
            )
            funds.append(fund)
            claims.append(
                env["billing.mdf.claim"]
                .with_company(company)
                .create(
                    {
                        "name": f"Matrix claim {partner.name}",
                        "partner_id": partner.id,
                        "fund_id": fund.id,
                        "amount": 100.0,
                        "activity_date": date(2026, 5, 15),
                    }
                )
            )
        cls._put("billing.mdf.fund", *funds)
        cls._put("billing.mdf.claim", *claims)

        # offer bundles: one per company
        plan = env["tenant.plan"].create({"name": "Matrix bundle plan"})
        bundles = [
            env["billing.bundle"].create(
                {
                    "name": f"Matrix bundle {company.name}",
                    "erp_scope": "Sales",
                    "plan_id": plan.id,
                    "company_id": company.id,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": cls.hosting.id,
                                "service_type": "hosting",
                                "monthly_price": 100,
                            }
                        )
                    ],
                }
            )
            for company in (cls.company, cls.company_2)
        ]
        cls._put("billing.bundle", bundles[0], other_company=bundles[1])
        cls._put("billing.bundle.line", bundles[0].line_ids, other_company=bundles[1].line_ids)

        # getting paid: partner A's invoice (the dunning actions and guarded fields), a dunning
        # policy with one level per company
        cls._put("account.move", subs[0].invoice_ids[:1])
        policies = [
            env["billing.dunning.policy"].create(
                {
                    "name": f"Matrix dunning {company.name}",
                    "company_id": company.id,
                    "level_ids": [Command.create({"name": "Reminder", "days": 7})],
                }
            )
            for company in (cls.company, cls.company_2)
        ]
        cls._put("billing.dunning.policy", policies[0], other_company=policies[1])
        cls._put(
            "billing.dunning.level", policies[0].level_ids, other_company=policies[1].level_ids
        )

    # ------------------------------------------------------------------ what each cell sends

    def _create_vals(self, model):
        """Values a role sends to create a record (the ids of the fixture, JSON-ready)."""
        own = {m: slots.get("own") for m, slots in self.records.items()}
        partner_a = self.partner_a.id
        suffix = uuid.uuid4().hex[:6]
        vals = {
            "partner.type": {"name": "New type", "code": f"mx_{suffix}"},
            "partner.vertical": {"name": "New vertical"},
            "partner.tier": {"name": "New tier", "level": 299},
            "partner.tier.domain.minimum": {
                "tier_id": self.tier.id,
                "domain": "implementation",
                "min_score": 10,
            },
            "partner.certification.type": {"name": "New cert", "code": f"mx_{suffix}"},
            "partner.certification": {
                "partner_id": partner_a,
                "certification_type_id": self.cert_type.id,
                "date_obtained": "2026-02-01",
            },
            "partner.membership": {
                "partner_id": self.partner_c.id,
                "partner_type_id": self.ptype.id,
            },
            "partner.metric.value": {
                "partner_id": partner_a,
                "metric_id": self.metric.id,
                "period_id": self.period.id,
                "value": 70,
            },
            "partner.review": {"scorecard_id": own["partner.scorecard"].id},
            "partner.review.action": {
                "name": "New action",
                "review_id": own["partner.review"].id,
                "owner_id": self.users["channel_user"].id,
                "date_due": "2026-07-01",
            },
            "partner.scorecard": {
                "name": "New card",
                "membership_id": own["partner.membership"].id,
                "partner_id": partner_a,
                "period_id": self.period.id,
                "date_start": "2026-04-01",
                "date_end": "2026-06-30",
                "company_id": self.company.id,
            },
            "partner.scorecard.line": {
                "scorecard_id": own["partner.scorecard"].id,
                "metric_id": self.metric.id,
                "domain": "implementation",
            },
            "partner.scorecard.domain": {
                "scorecard_id": own["partner.scorecard"].id,
                "domain": "sales",
            },
            "partner.scorecard.gap": {"scorecard_id": own["partner.scorecard"].id, "name": "Gap"},
            "partner.tier.history": {"membership_id": own["partner.membership"].id},
            "scorecard.metric": {"name": "New metric", "code": f"mx_{suffix}", "domain": "sales"},
            "scorecard.metric.band": {"metric_id": self.metric.id, "threshold": 90, "score": 90},
            "scorecard.period": {
                "name": "New period",
                "date_start": "2027-01-01",
                "date_end": "2027-03-31",
            },
            "scorecard.template": {"name": "New template", "partner_type_id": self.ptype.id},
            "scorecard.template.domain": {
                "template_id": self.template.id,
                "domain": "sales",
                "weight": 0,
            },
            "scorecard.template.line": {
                "template_id": self.template.id,
                "metric_id": self.metric.id,
                "weight": 0,
            },
            "governance.complexity.rule": {"name": "New rule"},
            "governance.gate": {
                "name": "Forged gate",
                "template_id": own["governance.gate.template"].id,
                "res_model_id": self.env["ir.model"]._get_id("project.project"),
                "res_id": own["project.project"].id,
                "stage_value": "live",
            },
            "governance.gate.line": {"gate_id": own["governance.gate"].id, "name": "Forged"},
            "governance.gate.approval": {"gate_id": own["governance.gate"].id, "name": "Forged"},
            "governance.gate.template": {
                "name": "New gate template",
                "model_id": self.env["ir.model"]._get_id("project.project"),
            },
            "governance.gate.criterion": {
                "template_id": own["governance.gate.template"].id,
                "name": "New criterion",
            },
            "governance.gate.approval.rule": {
                "template_id": own["governance.gate.template"].id,
                "name": "New approval rule",
            },
            "governance.gate.waiver.wizard": {
                "line_id": own["governance.gate.line"].id,
                "reason": "Matrix waiver",
            },
            "partner.membership.tier.change": {
                "membership_ids": [own["partner.membership"].id],
                "tier_id": self.tier_top.id,
                "reason": "Matrix",
            },
            "crm.lead.distribution.rule": {"name": "New rule"},
            "crm.lead.offer": {
                "lead_id": own["crm.lead"].id,
                "partner_id": self.partner_a.id,
                "membership_id": own["crm.lead.offer"].membership_id.id,
                "company_id": self.company.id,
                "offered_at": "2027-01-01 00:00:00",
                "deadline": "2027-01-03 00:00:00",
            },
            "crm.lead.registration.reject": {
                "lead_ids": [own["crm.lead"].id],
                "reason": "Matrix",
            },
            "crm.lead.registration.conflict": {
                "lead_ids": [own["crm.lead"].id],
                "winner_id": own["crm.lead"].id,
            },
            "partner.metric.import": {
                "file": base64.b64encode(b"partner_id,metric_code,period,value\n").decode()
            },
            "tenant.plan": {"name": "New plan", "code": f"MX-{suffix}"},
            "tenant.sla.policy": {"name": "New policy"},
            "tenant.sla.policy.version": {
                "policy_id": self.policy.id,
                "effective_from": "2027-01-01 00:00:00",
            },
            "tenant.sla.target": {
                "version_id": own["tenant.sla.policy.version"].id,
                "priority": "3",
                "response_hours": 8,
                "resolution_hours": 24,
            },
            "tenant.tenant": {"name": "New tenant", "partner_id": partner_a},
            "tenant.environment": {
                "tenant_id": own["tenant.tenant"].id,
                "stage": "development",
                "database_name": f"matrix_new_{suffix}",
                "plan_id": self.plan.id,
            },
            "tenant.backup": {"environment_id": own["tenant.environment"].id},
            "tenant.restore.test": {"backup_id": own["tenant.backup"].id, "state": "passed"},
            "tenant.uptime.sample": {"environment_id": own["tenant.environment"].id},
            "tenant.dr.drill": {"environment_id": own["tenant.environment"].id},
            "tenant.migration": {
                "source_environment_id": own["tenant.environment"].id,
                "target_plan_id": self.plan.id,
                "target_database_name": f"matrix_dedicated_{suffix}",
            },
            "tenant.upgrade.campaign": {"name": "New campaign", "module_names": "base"},
            "tenant.upgrade.step": {
                "campaign_id": own["tenant.upgrade.campaign"].id,
                "environment_id": own["tenant.environment"].id,
                "kind": "staging",
                "wave": 0,
            },
            "tenant.slo.alert.rule": {
                "name": "New burn rule",
                "factor": 6,
                "long_window_minutes": 360,
                "short_window_minutes": 30,
            },
            "tenant.escalation.level": {
                "version_id": own["tenant.sla.policy.version"].id,
                "after_minutes": 30,
                "recipient_kind": "responsible",
            },
            "tenant.incident.escalation": {
                "incident_id": own["tenant.incident"].id,
                "level_id": own["tenant.escalation.level"].id,
            },
            "tenant.incident.update": {
                "incident_id": own["tenant.incident"].id,
                "body": "New status update.",
            },
            "tenant.health.snapshot": {"tenant_id": own["tenant.tenant"].id, "date": "2026-03-02"},
            "tenant.incident": {"subject": "New incident", "tenant_id": own["tenant.tenant"].id},
            "tenant.promotion": {
                "source_environment_id": own["tenant.promotion"].source_environment_id.id,
                "target_environment_id": own["tenant.environment"].id,
            },
            "tenant.branding": {"partner_id": self.partner_c.id, "brand_name": "New brand"},
            "billing.subscription": {"partner_id": partner_a},
            "billing.subscription.line": {
                "subscription_id": own["billing.subscription"].id,
                "product_id": self.hosting.id,
                "service_type": "hosting",
                "price_unit": 10,
            },
            "billing.invoice.period": {
                "line_id": own["billing.subscription.line"].id,
                "period_start": "2027-01-01",
                "period_end": "2027-01-31",
                "move_id": own["billing.invoice.period"].move_id.id,
            },
            "billing.mrr.movement": {
                "date": "2026-06-01",
                "subscription_id": own["billing.subscription"].id,
                "revenue_layer": "hosting",
                "movement_type": "expansion",
                "amount": 1,
            },
            "billing.run": {"reference_date": "2026-06-15"},
            "billing.run.line": {
                "run_id": own["billing.run"].id,
                "subscription_id": own["billing.subscription"].id,
                "result": "skipped",
            },
            "billing.line.change": {
                "line_id": own["billing.subscription.line"].id,
                "price_unit": 600,
                "quantity": 1,
            },
            "billing.reconciliation": {},
            "billing.mdf.fund": {
                "partner_id": partner_a,
                "date_start": "2027-01-01",
                "date_end": "2027-03-31",
                "budget": 10,
            },
            "billing.mdf.claim": {
                "name": "New claim",
                "partner_id": partner_a,
                "fund_id": own["billing.mdf.fund"].id,
                "amount": 1,
            },
            "billing.mdf.claim.reject": {
                "claim_ids": [own["billing.mdf.claim"].id],
                "reason": "Matrix",
            },
            "billing.bundle": {
                "name": "New bundle",
                "erp_scope": "Sales",
                "plan_id": own["billing.bundle"].plan_id.id,
            },
            "billing.bundle.line": {
                "bundle_id": own["billing.bundle"].id,
                "product_id": self.hosting.id,
                "monthly_price": 1,
            },
            "billing.dunning.policy": {"name": "New dunning policy"},
            "billing.dunning.level": {
                "policy_id": own["billing.dunning.policy"].id,
                "name": "New level",
                "days": 99,
            },
        }
        return vals.get(model)

    # a plain field of each model that its users may edit; written with its current value
    WRITE_FIELDS = {
        "partner.membership": "partner_type_id",
        "crm.lead.offer": "lead_city",  # its own fields are all workflow or frozen fields
        "partner.metric.value": "note",
        "partner.scorecard": "access_token",  # its own fields are all workflow fields
        "partner.scorecard.line": "metric_id",
        "partner.scorecard.domain": "domain",
        "partner.scorecard.gap": "name",
        "partner.tier.domain.minimum": "min_score",
        "partner.tier.history": "reason",
        "partner.certification": "date_obtained",
        "scorecard.metric.band": "score",
        "scorecard.template.domain": "weight",
        "scorecard.template.line": "weight",
        "governance.gate": "name",
        "governance.gate.line": "evidence_note",
        "governance.gate.approval": "comment",
        "tenant.backup": "error_message",
        "tenant.restore.test": "details",
        "tenant.uptime.sample": "error",
        "tenant.environment": "url",
        "tenant.branding": "brand_name",
        "tenant.sla.policy.version": "warning_thresholds",
        "tenant.sla.target": "response_hours",
        "tenant.health.snapshot": "score",
        "tenant.incident": "description",
        "tenant.dr.drill": "scheduled_at",
        "tenant.migration": "grace_days",
        "tenant.escalation.level": "after_minutes",
        "tenant.incident.escalation": "due_at",
        "tenant.incident.update": "body",
        "billing.subscription": "name",
        "billing.subscription.line": "name",
        "billing.invoice.period": "period_end",
        "billing.mrr.movement": "amount",
        "billing.run": "reference_date",
        "billing.run.line": "message",
        "billing.mdf.fund": "name",
        "billing.mdf.claim": "description",
    }

    # a workflow field per guarded model (written with its current value: the guard looks at keys)
    WORKFLOW_FIELDS = {
        "partner.membership": "tier_id",
        "partner.scorecard": "state",
        "partner.review": "state",
        "governance.gate": "pass_mark",
        "governance.gate.line": "waived",
        "governance.gate.approval": "state",
        "tenant.tenant": "state",
        "tenant.environment": "state",
        "tenant.promotion": "state",
        "tenant.incident": "state",
        "billing.subscription": "state",
        "billing.subscription.line": "last_date_invoiced",
        "billing.run": "state",
        "billing.mdf.claim": "state",
        "tenant.incident.update": "author_id",
    }

    # what the write_workflow cell sends along with the workflow field: values that make the
    # model's write() take a path of its own (the campaign's override records who and when
    # through the bypass, which must not let the caller's workflow fields through)
    WORKFLOW_WRITE_WITH = {
        "tenant.upgrade.campaign": {"override_window": True, "override_reason": "Matrix"},
    }

    # workflow fields sent (one call each) with the create values by a ``create_workflow`` cell:
    # a field guarded on write only could be set by creating a record with it
    CREATE_WORKFLOW_FIELDS = {
        "tenant.environment": ("migration_pending", "migration_read_only", "odoo_version"),
    }

    def _method_args(self, model, method):
        """Positional arguments after the ids (or instead of them for model methods)."""
        if (model, method) == ("billing.dashboard", "get_dashboard_data"):
            return ["2026-01-01", "2026-12-31"]
        if (model, method) == ("billing.subscription", "action_set_resale_price"):
            return [100]
        if (model, method) == ("scorecard.template", "set_domain_metrics"):
            return ["sales", {}]  # JSON keys are strings: metric XML ids, none here
        return []

    # ------------------------------------------------------------------ JSON-RPC

    def _login(self, role):
        if role == "anonymous":
            self.authenticate(None, None)
        else:
            self.authenticate(self.users[role].login, PASSWORD)

    def _rpc(self, model, method, args, kwargs=None):
        """(True, result) or (False, exception class name) of one call_kw over HTTP."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload, default=str),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        if "error" in body:
            return False, body["error"]["data"]["name"]
        return True, body.get("result")

    @contextmanager
    def _rolled_back(self):
        """What the server writes in the block is undone after it (the requests share the test
        cursor), so that no cell sees what another one did."""
        self.env.flush_all()
        self.cr.execute("SAVEPOINT permission_matrix_cell")
        try:
            yield
        finally:
            self.cr.execute("ROLLBACK TO SAVEPOINT permission_matrix_cell")
            self.env.invalidate_all()

    def _call(self, model, method, args, kwargs=None):
        with self._rolled_back():
            return self._rpc(model, method, args, kwargs)

    def _call_wizard(self, model, method):
        """A wizard's action on a wizard the role opened itself (create then call, one cell)."""
        with self._rolled_back():
            ok, result = self._rpc(model, "create", [self._create_vals(model)])
            if ok:
                ok, result = self._rpc(model, method, [[result]])
        return ok, result

    @staticmethod
    def _verdict(ok, result):
        """allowed (also a business refusal past the access checks), denied, or the error."""
        if ok or result in BUSINESS_ERRORS:
            return "allowed"
        if result in ("odoo.exceptions.AccessError", "odoo.http.SessionExpiredException"):
            return "denied"
        return f"error {result}"

    def _current_value(self, record, field):
        """A field's value as a client sends it back: writing it changes nothing, but the write
        goes through every access check and guard."""
        return record._fields[field].convert_to_write(record[field], record)

    def _cell(self, model, op, slots):
        """The outcome of one operation of the matrix for the logged-in role."""
        own = slots.get("own")
        if op.startswith("read_"):
            record = slots.get(op.removeprefix("read_"))
            if not record:
                return NA  # the fixture has no such record (e.g. a model without company)
            return self._verdict(*self._call(model, "read", [record.ids, ["display_name"]]))
        if op == "search":
            ids = [record.id for record in slots.values()]
            domain = [("id", "in", ids)]
            ok, result = self._call(model, "search", [domain], {"context": {"active_test": False}})
            if not ok:
                return self._verdict(ok, result)
            return " ".join(slot for slot, record in slots.items() if record.id in result) or (
                "nothing"
            )
        if op == "create":
            return self._verdict(*self._call(model, "create", [self._create_vals(model)]))
        if op in ("write", "write_workflow"):
            if op == "write":
                field = self.WRITE_FIELDS.get(model, "name")
            else:
                field = self.WORKFLOW_FIELDS.get(model) or own._workflow_fields[0]
            vals = {field: self._current_value(own, field)}
            if op == "write_workflow":
                vals |= self.WORKFLOW_WRITE_WITH.get(model, {})
            return self._verdict(*self._call(model, "write", [own.ids, vals]))
        if op == "create_workflow":
            # allowed if any of the fields gets through
            verdicts = {
                self._verdict(
                    *self._call(
                        model,
                        "create",
                        [self._create_vals(model) | {field: self._current_value(own, field)}],
                    )
                )
                for field in self.CREATE_WORKFLOW_FIELDS[model]
            }
            return "allowed" if "allowed" in verdicts else verdicts.pop()
        if op == "unlink":
            return self._verdict(*self._call(model, "unlink", [own.ids]))
        if self.env[model]._transient:
            return self._verdict(*self._call_wizard(model, op))
        args = self._method_args(model, op)
        if not self.env[model]._abstract:
            args = [own.ids, *args]
        return self._verdict(*self._call(model, op, args))

    def _observe(self, role):
        """{(model, operation): outcome} of every cell of the matrix for one role."""
        observed = {}
        for model, entry in sorted(MATRIX.items()):
            slots = self.records.get(model, {})
            for op, cells in entry.items():
                if cells[role] != NA:
                    observed[model, op] = self._cell(model, op, slots)
        return observed

    # ------------------------------------------------------------------ the tests

    def test_matrix_is_complete(self):
        """Every model and public method of the four modules has an entry, and no entry is stale."""
        found = public_methods(self.env)
        missing_models = sorted(set(found) - set(MATRIX))
        stale_models = sorted(set(MATRIX) - set(found))
        crud = {"read_own", "read_other_partner", "read_other_company", "search", "create"}
        crud |= {"write", "write_workflow", "create_workflow", "unlink"}
        missing_methods = sorted(
            f"{model}.{method}"
            for model, methods in found.items()
            for method in methods
            if model in MATRIX and method not in MATRIX[model]
        )
        stale_methods = sorted(
            f"{model}.{op}"
            for model, entry in MATRIX.items()
            for op in entry
            if model in found and op not in crud and op not in found[model]
        )
        self.assertEqual(
            (missing_models, missing_methods),
            ([], []),
            "models / public methods without an entry in tests/permission_matrix.py",
        )
        self.assertEqual(
            (stale_models, stale_methods),
            ([], []),
            "entries of tests/permission_matrix.py whose model / method no longer exists",
        )
        unguarded = sorted(
            model
            for model in found
            if getattr(self.env[model], "_workflow_fields", ())
            and not self.env[model]._abstract
            and "write_workflow" not in MATRIX.get(model, {})
        )
        self.assertEqual(unguarded, [], "models with workflow fields need a write_workflow line")
        for model, entry in MATRIX.items():
            for op, cells in entry.items():
                self.assertEqual(
                    set(cells), set(ROLES), f"{model} {op}: one value per role, every role"
                )

    def test_matrix_over_json_rpc(self):
        """Each role gets, over JSON-RPC, what the matrix says, cell by cell."""
        mismatches = []
        for role in ROLES:
            self._login(role)
            with mute_logger(*MUTED):
                observed = self._observe(role)
            mismatches += [
                f"{model} {op} {role}: expected {MATRIX[model][op][role]}, got {outcome}"
                for (model, op), outcome in observed.items()
                if outcome != MATRIX[model][op][role]
            ]
        if mismatches:
            self.fail(
                "cells that differ from tests/permission_matrix.py:\n" + "\n".join(mismatches)
            )
