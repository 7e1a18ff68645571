"""The expected permission matrix of the four modules, checked over JSON-RPC by
``test_permission_matrix.py``.

One entry per model of partner_scorecard, governance_gates, white_label_tenant and
recurring_billing (and per model they extend with public methods), one line per operation or
public method, one value per role:

- roles: ``anonymous`` (no session), ``portal`` (portal user of partner A), ``internal``
  (internal user without channel rights), ``channel_user`` and ``channel_manager`` (company 1),
  ``other_company`` (a Channel User of company 2 only);
- records: ``own`` = partner A's (company 1), ``other_partner`` = partner B's (company 1),
  ``other_company`` = partner C's (company 2): ``read_<record>`` reads it; ``write``,
  ``write_workflow`` (a workflow field, which only the record's actions may change), ``unlink``
  and the methods act on the ``own`` record; ``create`` sends new values (``create_workflow``
  adds a workflow field to them);
- ``A`` allowed: success, or a business refusal (UserError, ValidationError...) after the access
  checks; ``D`` denied: AccessError (anonymous: the session is refused); ``NA``: not applicable
  (no such record, or not callable over JSON-RPC); the search values list the records found.

A model or public method added without an entry here fails ``test_matrix_is_complete``.
"""

ROLES = ("anonymous", "portal", "internal", "channel_user", "channel_manager", "other_company")
A, D, NA = "allowed", "denied", "n/a"
# what a search over the three records finds
OWN = "own"
COMPANY_1 = "own other_partner"
COMPANY_2 = "other_company"
OWN_AND_COMPANY_2 = "own other_company"
NOTHING = "nothing"


def row(anonymous=D, portal=D, internal=D, channel_user=D, channel_manager=D, other_company=D):
    """One line of the matrix: denied unless said otherwise."""
    return {
        "anonymous": anonymous,
        "portal": portal,
        "internal": internal,
        "channel_user": channel_user,
        "channel_manager": channel_manager,
        "other_company": other_company,
    }


NOBODY = row()
NA_ROW = row(NA, NA, NA, NA, NA, NA)
# window actions that read nothing and change nothing: anyone logged in may ask for them
EVERYONE = row(portal=A, internal=A, channel_user=A, channel_manager=A, other_company=A)
CHANNEL = row(channel_user=A, channel_manager=A)
MANAGER = row(channel_manager=A)

MATRIX = {
    # Odoo's invoice; recurring_billing adds dunning: its actions are the Billing Manager's (not
    # one of the roles here), its dunning and dispute fields change only through them
    "account.move": {
        "write_workflow": NOBODY,
        "action_run_dunning": NOBODY,
        "action_clear_dispute": NOBODY,
        "action_close_subscription_non_payment": NOBODY,
    },
    # dunning policies: read by channel staff of their companies, set by Billing Managers
    "billing.dunning.policy": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=COMPANY_2),
        "create": NOBODY,
        "write": NOBODY,
        "unlink": NOBODY,
    },
    "billing.dunning.level": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=COMPANY_2),
        "create": NOBODY,
        "write": NOBODY,
        "unlink": NOBODY,
    },
    # offer bundles: read by channel staff of their companies, maintained by Channel Managers;
    # portal users order them through the portal's controller, never over JSON-RPC
    "billing.bundle": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=COMPANY_2),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
        "action_view_subscriptions": CHANNEL,
    },
    "billing.bundle.line": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=COMPANY_2),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    # abstract: no records; the dashboard's figures are read with the user's rights
    "billing.dashboard": {
        "get_dashboard_data": row(channel_user=A, channel_manager=A, other_company=A),
    },
    "billing.invoice.period": {
        "read_own": CHANNEL,
        "read_other_partner": CHANNEL,
        "read_other_company": NA_ROW,
        "search": row(channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=NOTHING),
        "create": NOBODY,
        "write": NOBODY,
        "write_workflow": NOBODY,
        "unlink": NOBODY,
    },
    # wizard: a change of a billed line needs the Billing Manager (not one of the roles here)
    "billing.line.change": {
        "create": CHANNEL,
        "action_apply": NOBODY,
    },
    "billing.mrr.movement": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": NOBODY,
        "write": NOBODY,
        "unlink": NOBODY,
    },
    # wizard: Odoo's transient rule shows a user only the wizards they opened; computing reads the
    # journal items, which needs accounting rights (Billing Manager), not one of the roles here
    "billing.reconciliation": {
        "create": row(channel_user=A, channel_manager=A, other_company=A),
        "action_compute": NOBODY,
    },
    # wizard lines: made by billing.reconciliation.action_compute, never by hand
    "billing.reconciliation.line": {
        "create": NA_ROW,
    },
    # runs and their lines are written by the invoicing cron / Billing Manager only
    "billing.mdf.fund": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": NOBODY,
        "action_open_claims": row(portal=A, channel_user=A, channel_manager=A),
    },
    "billing.mdf.claim": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": CHANNEL,
        "write": CHANNEL,
        "write_workflow": NOBODY,
        "unlink": NOBODY,
        "action_approve": MANAGER,
        "action_reject": MANAGER,
        "action_open_reject_wizard": MANAGER,
        "action_view_payment": row(portal=A, channel_user=A, channel_manager=A),
        "action_gate_open": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "action_gate_prepare": CHANNEL,
    },
    "billing.mdf.claim.reject": {
        "create": MANAGER,
        "action_reject": MANAGER,
    },
    "billing.run": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=NOTHING),
        "create": NOBODY,
        "write": NOBODY,
        "write_workflow": NOBODY,
        "unlink": NOBODY,
    },
    "billing.run.line": {
        "read_own": CHANNEL,
        "read_other_partner": CHANNEL,
        "read_other_company": NA_ROW,
        "search": row(channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=NOTHING),
        "create": NOBODY,
        "write": NOBODY,
        "write_workflow": NOBODY,
        "unlink": NOBODY,
        "action_retry": NOBODY,
    },
    "billing.subscription": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": row(channel_user=A, channel_manager=A, other_company=A),
        "write": CHANNEL,
        "write_workflow": NOBODY,
        "unlink": NOBODY,
        "action_activate": row(portal=A, channel_user=A, channel_manager=A),
        "action_close": NOBODY,
        "action_invoice_now": NOBODY,
        "action_pause": CHANNEL,
        "action_resume": row(portal=A, channel_user=A, channel_manager=A),
        # the partner's own price: its users only, never channel staff
        "action_set_resale_price": row(portal=A),
        "action_view_invoices": CHANNEL,
    },
    "billing.subscription.line": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": CHANNEL,
        "write": CHANNEL,
        "write_workflow": NOBODY,
        "unlink": CHANNEL,
        "action_open_change_wizard": row(portal=A, channel_user=A, channel_manager=A),
    },
    # abstract mixin: no records, no public method (the bypass is private)
    "channel.workflow.guard": {},
    # abstract parent of a template's weights and lines: no records, CRUD overrides only
    "scorecard.template.child": {},
    # Odoo's model; the suite adds the gate buttons (action_gate_open only searches gates with
    # the user's rights; action_gate_prepare creates them as superuser, so it checks Channel User)
    "crm.lead": {
        # the deal's implementation project: Channel Users (checked first), on a deal they read
        "action_create_implementation_project": CHANNEL,
        "action_gate_open": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "action_gate_prepare": CHANNEL,
        # a window action on the projects the user may read (partner A's portal user reads
        # its registered deal)
        "action_view_implementation_projects": row(portal=A, channel_user=A, channel_manager=A),
        # deal registration (partner_scorecard): the state only through these actions; the
        # fixture's deal is not submitted, so a manager's decision is a business refusal
        "write_workflow": NOBODY,
        "action_registration_submit": CHANNEL,
        "action_registration_approve": MANAGER,
        "action_registration_reject": MANAGER,
        "action_registration_resolve_conflict": MANAGER,
        # lead distribution (partner_scorecard): a Channel User forwards a lead of its companies
        # (the fixture's deal has a Channel Partner already: a business refusal)
        "action_distribution_forward": CHANNEL,
        # a window action on the offers the user may read (the portal its own partner's)
        "action_open_lead_offers": row(
            portal=A, channel_user=A, channel_manager=A, other_company=A
        ),
    },
    # lead distribution: rules are the Channel Manager's, per company
    "crm.lead.distribution.rule": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=COMPANY_2),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
        "action_open_offers": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
    },
    # a lead offered to a partner: its portal users (or a Channel Manager) answer; nobody writes
    # or creates one but the actions
    "crm.lead.offer": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": NOBODY,
        "write": NOBODY,
        "write_workflow": NOBODY,
        "unlink": NOBODY,
        "action_accept": row(portal=A, channel_manager=A),
        "action_decline": row(portal=A, channel_manager=A),
        "action_withdraw": MANAGER,
    },
    # wizards: deciding on deal registrations is the Channel Manager's
    "crm.lead.registration.conflict": {
        "create": MANAGER,
        "action_apply": MANAGER,
    },
    "crm.lead.registration.reject": {
        "create": MANAGER,
        "action_apply": MANAGER,
    },
    "governance.complexity.rule": {
        "read_own": row(channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "governance.gate": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": NOBODY,
        "write": NOBODY,
        "write_workflow": NOBODY,
        "unlink": MANAGER,
        "action_evaluate": CHANNEL,
        "action_go": CHANNEL,
        "action_hold": CHANNEL,
        "action_kill": NOBODY,
        "action_open_record": row(portal=A, channel_user=A, channel_manager=A),
        "action_recycle": NOBODY,
    },
    "governance.gate.approval": {
        "read_own": CHANNEL,
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2),
        "create": NOBODY,
        "write": CHANNEL,
        "write_workflow": NOBODY,
        "unlink": NOBODY,
        "action_approve": CHANNEL,
        "action_reject": CHANNEL,
    },
    "governance.gate.approval.rule": {
        "read_own": row(channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "governance.gate.criterion": {
        "read_own": row(channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    # abstract: demo data generator, private methods only
    "governance.gate.demo": {},
    "governance.gate.line": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": NOBODY,
        "write": CHANNEL,
        "write_workflow": NOBODY,
        "unlink": NOBODY,
        "action_open_waive_wizard": EVERYONE,
        "action_tick": row(portal=A, channel_user=A, channel_manager=A),
        "action_untick": CHANNEL,
    },
    # abstract mixin: its buttons are checked on each adopting model (crm.lead, project.project,
    # partner.membership, tenant.tenant, tenant.promotion)
    "governance.gate.mixin": {
        "action_gate_open": NA_ROW,
        "action_gate_prepare": NA_ROW,
    },
    "governance.gate.template": {
        "read_own": row(channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
        "action_open_gates": EVERYONE,
    },
    # wizard: waiving is the Channel Manager's
    "governance.gate.waiver.wizard": {
        "create": MANAGER,
        "action_confirm": MANAGER,
    },
    "partner.certification": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": row(channel_user=A, channel_manager=A, other_company=A),
        "write": CHANNEL,
        "unlink": MANAGER,
    },
    "partner.certification.type": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(portal=OWN, channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "partner.membership": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": row(channel_user=A, channel_manager=A, other_company=A),
        "write": CHANNEL,
        "write_workflow": NOBODY,
        "unlink": MANAGER,
        "action_activate": CHANNEL,
        "action_change_tier": MANAGER,
        "action_end": CHANNEL,
        "action_gate_open": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "action_gate_prepare": CHANNEL,
        "action_open_scorecards": EVERYONE,
        "action_recompute_scorecard": MANAGER,
        "action_suspend": CHANNEL,
    },
    # wizard: changing tiers is the Channel Manager's
    "partner.membership.tier.change": {
        "create": MANAGER,
        "action_apply": MANAGER,
    },
    # wizard: importing figures is the Channel Manager's
    "partner.metric.import": {
        "create": MANAGER,
        "action_import": MANAGER,
    },
    "partner.metric.value": {
        "read_own": CHANNEL,
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2),
        "create": row(channel_user=A, channel_manager=A, other_company=A),
        "write": CHANNEL,
        "unlink": CHANNEL,
    },
    "partner.review": {
        "read_own": CHANNEL,
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2),
        "create": CHANNEL,
        "write": CHANNEL,
        "write_workflow": NOBODY,
        "unlink": CHANNEL,
        "action_cancel": CHANNEL,
        "action_done": CHANNEL,
    },
    "partner.review.action": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": CHANNEL,
        "write": CHANNEL,
        "unlink": CHANNEL,
        "action_done": CHANNEL,
        "action_start": CHANNEL,
    },
    "partner.scorecard": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": MANAGER,
        "write": CHANNEL,
        "write_workflow": NOBODY,
        "unlink": MANAGER,
        "action_apply_recommendation": MANAGER,
        "action_close": MANAGER,
        "action_mark_reviewed": CHANNEL,
        "action_open_review": CHANNEL,
        "action_recompute": MANAGER,
        "action_reject_recommendation": MANAGER,
        "action_send_by_email": EVERYONE,
    },
    "partner.scorecard.domain": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": NOBODY,
        "write": NOBODY,
        "unlink": NOBODY,
    },
    "partner.scorecard.gap": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": NA_ROW,
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=NOTHING
        ),
        "create": NOBODY,
        "write": NOBODY,
        "unlink": NOBODY,
    },
    "partner.scorecard.line": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": NOBODY,
        "write": NOBODY,
        "unlink": NOBODY,
    },
    # abstract: metric providers, private methods only
    "partner.scorecard.provider": {},
    "partner.tier": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=OWN, channel_manager=OWN, other_company=OWN_AND_COMPANY_2
        ),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "partner.tier.domain.minimum": {
        "read_own": row(channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "partner.tier.history": {
        "read_own": CHANNEL,
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2),
        "create": NOBODY,
        "write": NOBODY,
        "unlink": NOBODY,
    },
    "partner.type": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=OWN, channel_manager=OWN, other_company=OWN_AND_COMPANY_2
        ),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "partner.vertical": {
        "read_own": row(channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    # Odoo's model; the suite adds buttons (window actions, or gates created after a rights check)
    "project.project": {
        "action_gate_open": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "action_gate_prepare": CHANNEL,
        # the project's tenant is created by a Channel Manager (the tenant operations' check)
        "action_create_tenant": MANAGER,
        "action_view_tenants": EVERYONE,
    },
    "scorecard.metric": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(portal=OWN, channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "scorecard.metric.band": {
        "read_own": row(channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "scorecard.period": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": NA_ROW,
        "read_other_company": row(other_company=A),
        "search": row(portal=OWN, channel_user=OWN, channel_manager=OWN, other_company=COMPANY_2),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
        "action_close": MANAGER,
    },
    "scorecard.template": {
        "read_own": row(channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
        "set_domain_metrics": MANAGER,
    },
    "scorecard.template.domain": {
        "read_own": row(channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "scorecard.template.line": {
        "read_own": row(channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    # abstract: provisioning backends, private methods only
    "tenant.backend": {},
    "tenant.backup": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
        "action_restore_test": MANAGER,
    },
    "tenant.branding": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": row(channel_user=A, channel_manager=A, other_company=A),
        "write": CHANNEL,
        "unlink": MANAGER,
    },
    # abstract: demo data generator, private methods only
    "tenant.demo": {},
    # disaster-recovery drills of a production environment: read like their environment (the
    # portal its partner's), run and planned by Channel Managers; the run's record (state,
    # backup, measures) only through Run Drill
    "tenant.dr.drill": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": MANAGER,
        "write": MANAGER,
        "write_workflow": NOBODY,
        "unlink": MANAGER,
        # the fixture's drills are finished: a manager's run is a business refusal
        "action_run": MANAGER,
    },
    "tenant.environment": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": CHANNEL,
        "write": CHANNEL,
        "write_workflow": NOBODY,
        # the move's and the versions' fields on a new environment (guarded on create too)
        "create_workflow": NOBODY,
        "unlink": MANAGER,
        "action_apply_branding": MANAGER,
        "action_backup": MANAGER,
        "action_decommission": MANAGER,
        "action_promote": MANAGER,
        "action_provision": MANAGER,
        "action_restore_test": MANAGER,
        # drills, versions and the move to dedicated: Channel Managers (the tenant operations'
        # check); the fixture's environment is not running, so they end in business refusals
        "action_read_versions": MANAGER,
        "action_request_migration": MANAGER,
        "action_run_dr_drill": MANAGER,
        # a window action on the tenant's drills: whoever reads the environment
        "action_view_dr_drills": row(portal=A, channel_user=A, channel_manager=A),
    },
    # abstract: cron batches, private methods only
    "tenant.environment.batch": {},
    # abstract: database operations, private methods only
    "tenant.environment.database": {},
    # an SLA version's escalation chain: read by channel staff, set by Channel Managers (only
    # while the version is a draft); the fixture's policy is company 1's
    "tenant.escalation.level": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=NOTHING),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    # read-only to everyone: written by the daily health run and the tenant's Refresh Health
    "tenant.health.batch": {},
    "tenant.health.snapshot": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": NOBODY,
        "write": NOBODY,
        "unlink": NOBODY,
    },
    "tenant.incident": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": CHANNEL,
        "write": CHANNEL,
        # the incident's state changes only through its actions (workflow guard)
        "write_workflow": NOBODY,
        "unlink": MANAGER,
        "action_acknowledge": CHANNEL,
        "action_close": CHANNEL,
        "action_reopen": row(portal=A, channel_user=A, channel_manager=A),
        "action_resolve": CHANNEL,
        "action_start": CHANNEL,
        "action_wait_customer": CHANNEL,
    },
    # proof that an escalation level was notified: written by the escalation scan only
    "tenant.incident.escalation": {
        "read_own": CHANNEL,
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2),
        "create": NOBODY,
        "write": NOBODY,
        "unlink": NOBODY,
    },
    # status-page updates of an incident: posted by channel staff of its company, never read
    # by portal users over RPC (the public status page shows the public ones)
    "tenant.incident.update": {
        "read_own": CHANNEL,
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2),
        "create": CHANNEL,
        "write": CHANNEL,
        # the author is who posted it: nobody sets it
        "write_workflow": NOBODY,
        "unlink": MANAGER,
    },
    # a move to a dedicated environment: requested and run by Channel Managers, read by channel
    # staff of the tenant's company; its progress only through Run Move
    "tenant.migration": {
        "read_own": CHANNEL,
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2),
        "create": MANAGER,
        "write": MANAGER,
        "write_workflow": NOBODY,
        "unlink": MANAGER,
        # the fixture's source is not running: a manager's run is a business refusal
        "action_run": MANAGER,
    },
    # abstract: the figures are private (_get_figures), no RPC entry point
    "tenant.operations": {},
    "tenant.plan": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(portal=OWN, channel_user=OWN, channel_manager=OWN, other_company=OWN),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "tenant.promotion": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=NOTHING),
        "create": MANAGER,
        "write": MANAGER,
        "write_workflow": NOBODY,
        "unlink": MANAGER,
        "action_gate_open": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "action_gate_prepare": CHANNEL,
        "action_promote": MANAGER,
    },
    "tenant.restore.test": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "tenant.sla.policy": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=NOTHING),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "tenant.sla.policy.version": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=NOTHING),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
        "action_activate": MANAGER,
        "action_new_version": MANAGER,
        "action_retire": MANAGER,
    },
    "tenant.sla.target": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": NA_ROW,
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=NOTHING),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    # burn-rate alert rules: read by channel staff of their company (or of every company when
    # the rule has none), set by Channel Managers
    "tenant.slo.alert.rule": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=COMPANY_2),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
    "tenant.tenant": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": row(channel_user=A, channel_manager=A, other_company=A),
        "write": CHANNEL,
        "write_workflow": NOBODY,
        "unlink": MANAGER,
        "action_decommission": MANAGER,
        "action_gate_open": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "action_gate_prepare": CHANNEL,
        "action_go_live": MANAGER,
        "action_provision": MANAGER,
        "action_refresh_health": CHANNEL,
        "action_reset_to_draft": MANAGER,
        "action_resume": MANAGER,
        "action_suspend": MANAGER,
        "action_view_incidents": EVERYONE,
        # a window action on the tenant's drills (their records keep their own rules)
        "action_view_dr_drills": EVERYONE,
        # recurring_billing: the smart button of the subscriptions billing the tenant
        "action_view_subscriptions": CHANNEL,
    },
    # upgrade campaigns: read by channel staff of their company, run by Channel Managers; the
    # move to production is gated (the gate buttons like the other gated models)
    "tenant.upgrade.campaign": {
        "read_own": CHANNEL,
        "read_other_partner": NA_ROW,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=OWN, channel_manager=OWN, other_company=COMPANY_2),
        "create": MANAGER,
        "write": MANAGER,
        "write_workflow": NOBODY,
        "unlink": MANAGER,
        "action_gate_open": row(portal=A, channel_user=A, channel_manager=A, other_company=A),
        "action_gate_prepare": CHANNEL,
        # the fixture's campaign is a draft without tenants: run and start are business
        # refusals, stop stops it
        "action_run": MANAGER,
        "action_start": MANAGER,
        "action_stop": MANAGER,
    },
    # abstract: demo data generator, private methods only
    "tenant.upgrade.campaign.demo": {},
    # a campaign's step: created by Start, then only its own record of what happened (every
    # column but the plan is a workflow field, the plan is frozen), so no plain write line
    "tenant.upgrade.step": {
        "read_own": CHANNEL,
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2),
        "create": NOBODY,
        "write_workflow": NOBODY,
        "unlink": NOBODY,
    },
    "tenant.uptime.sample": {
        "read_own": row(portal=A, channel_user=A, channel_manager=A),
        "read_other_partner": CHANNEL,
        "read_other_company": row(other_company=A),
        "search": row(
            portal=OWN, channel_user=COMPANY_1, channel_manager=COMPANY_1, other_company=COMPANY_2
        ),
        "create": MANAGER,
        "write": MANAGER,
        "unlink": MANAGER,
    },
}
