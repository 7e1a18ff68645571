import { registry } from "@web/core/registry";

/* Seed 004's tier-3 distributor followed by a Channel Manager across the four modules:
   deal -> implementation project -> tenant -> subscription -> the partner's scorecard
   (data: recurring_billing/tests/test_channel_flow_tour.py). */

const FORM = ".o_form_view";
const GATE = `${FORM} button[name="action_gate_open"]`;

function openMenu(section, item) {
    return [
        {
            content: "Open the Partner Channel app",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Partner Channel",
            trigger: '.o_app[data-menu-xmlid="partner_scorecard.partner_channel_menu_root"]',
            run: "click",
        },
        {
            content: `Open the ${section} menu`,
            trigger: `.o_menu_sections button[data-menu-xmlid="${section}"]`,
            run: "click",
        },
        {
            content: `Open ${item}`,
            trigger: `.o-dropdown--menu a[data-menu-xmlid="${item}"]`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("recurring_billing_channel_flow", {
    steps: () => [
        // ------------------------------------------------------------ the qualified deal
        {
            content: "The distributor's deal is open",
            trigger: ".o_breadcrumb .active:contains(Kestrel ERP rollout)",
        },
        {
            content: "It went to Proposal",
            trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current:contains(Proposal (flow))`,
        },
        {
            content: "Its governance gate passed",
            trigger: `${GATE}:contains(Passed)`,
        },
        {
            content: "Open the qualification",
            trigger: `${FORM} .o_notebook a.nav-link:contains(Qualification)`,
            run: "click",
        },
        {
            content: "45,000 SKUs in three warehouses are tier 3, on a dedicated environment",
            trigger: `${FORM} .o_field_widget[name="complexity_tier"]:contains(Tier 3)`,
        },
        {
            content: "with a senior solution lead",
            trigger: `${FORM} .o_field_widget[name="staffing_recommendation"]:contains(Senior Solution Lead)`,
        },
        {
            content: "Open the deal's gate",
            trigger: GATE,
            run: "click",
        },
        {
            content: "The architecture gate passed, approved by the architecture board",
            trigger: `${FORM}:contains(Architecture gate before the proposal) .o_statusbar_status button.o_arrow_button_current:contains(Passed)`,
        },
        {
            content: "Back to the deal",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Kestrel ERP rollout)",
            run: "click",
        },
        // ------------------------------------------------------------ its project
        {
            content: "Open the deal's implementation project",
            trigger: `${FORM} button[name="action_view_implementation_projects"]:contains(1):contains(Projects)`,
            run: "click",
        },
        {
            content: "The project went live",
            trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current[data-value="live"]`,
        },
        {
            content: "Open the implementation details",
            trigger: `${FORM} .o_notebook a.nav-link:contains(Implementation)`,
            run: "click",
        },
        {
            content: "It went live on 2026-03-02, through its go-live gate",
            trigger: `${FORM} .o_field_widget[name="actual_go_live_date"] input:value(03/02/2026)`,
        },
        {
            content: "the stabilisation gate is open now",
            trigger: `${GATE}:contains(Open)`,
        },
        {
            content: "The project comes from the deal",
            trigger: `${FORM} .o_field_widget[name="lead_id"] input:value(Kestrel ERP rollout)`,
        },
        {
            content: "and carries its tier",
            trigger: `${FORM} .o_field_widget[name="complexity_tier"] select:value(3)`,
        },
        {
            content: "for the deal's customer",
            trigger: `${FORM} .o_field_widget[name="partner_id"] input:value(Kestrel Industrial Supply)`,
        },
        {
            content: "and the deal's channel partner",
            trigger: `${FORM} .o_field_widget[name="channel_partner_id"] input:value(Ridgeline Distribution Partners)`,
        },
        {
            content: "It delivers one tenant",
            trigger: `${FORM} button[name="action_view_tenants"]:contains(1):contains(Tenants)`,
            run: "click",
        },
        // ------------------------------------------------------------ its tenant
        {
            content: "Open the project's tenant",
            trigger: ".o_kanban_record:contains(Kestrel ERP)",
            run: "click",
        },
        {
            content: "The tenant is active",
            trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current[data-value="active"]`,
        },
        {
            content: "through its passed go-live gate",
            trigger: `${GATE}:contains(Passed)`,
        },
        {
            content: "for the distributor",
            trigger: `${FORM} .o_field_widget[name="end_customer_id"] input:value(Kestrel Industrial Supply)`,
        },
        {
            content: "Tier 3 recommends a dedicated deployment",
            trigger: `${FORM} .o_field_widget[name="recommended_deployment_model"]:contains(Dedicated)`,
        },
        {
            content: "on the Dedicated L plan",
            trigger: `${FORM} .o_field_widget[name="recommended_plan_id"]:contains(Dedicated L)`,
        },
        {
            content: "and the tenant is deployed so",
            trigger: `${FORM} .o_field_widget[name="deployment_model"] select:value(dedicated)`,
        },
        {
            content: "The customer is business-critical",
            trigger: `${FORM} .o_field_widget[name="criticality"] select:value(business_critical)`,
        },
        {
            content: "which picked the Gold Distribution SLA policy",
            trigger: `${FORM} .o_field_widget[name="sla_policy_id"] input:value(Gold Distribution)`,
        },
        {
            content: "delivered by the project",
            trigger: `${FORM} .o_field_widget[name="project_id"] input:value(Kestrel ERP rollout)`,
        },
        {
            content: "Its production runs on the Dedicated L plan",
            trigger: `${FORM} .o_field_widget[name="environment_ids"] .o_data_row:contains(Production):contains(Dedicated L)`,
        },
        {
            content: "The tenant brings 1,250.00 of MRR",
            trigger: `${FORM} .o_field_widget[name="billing_mrr"]:contains(1,250.00)`,
        },
        {
            content: "Open the Health tab",
            trigger: `${FORM} .o_notebook a.nav-link:contains(Health)`,
            run: "click",
        },
        {
            content: "Its customer health was measured on 2026-03-02",
            trigger: `${FORM} .o_field_widget[name="health_date"]:contains(03/02/2026)`,
        },
        {
            content: "with its commercial part from billing: a flat MRR scores 50",
            trigger: `${FORM} .o_field_widget[name="health_commercial_score"]:contains(50.00)`,
        },
        // ------------------------------------------------------------ its subscription
        {
            content: "Open the tenant's subscriptions",
            trigger: `${FORM} button[name="action_view_subscriptions"]:contains(1):contains(Subscriptions)`,
            run: "click",
        },
        {
            content: "Open the subscription",
            trigger:
                ".o_list_view .o_data_row:contains(Ridgeline Distribution Partners):contains(Kestrel Industrial Supply) .o_data_cell[name=partner_id]",
            run: "click",
        },
        {
            content: "The subscription is active",
            trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current[data-value="active"]`,
        },
        {
            content: "for the tenant",
            trigger: `${FORM} .o_field_widget[name="tenant_id"] input:value(Kestrel ERP)`,
        },
        {
            content: "The hosting line of the production is priced from its plan: 900.00 a month",
            trigger: `${FORM} .o_field_widget[name="line_ids"] .o_data_row:contains(Managed hosting (flow)):contains(Production):contains(900.00)`,
        },
        {
            content: "The support line",
            trigger: `${FORM} .o_field_widget[name="line_ids"] .o_data_row:contains(Support Gold (flow)):contains(350.00)`,
        },
        {
            content: "The subscription's MRR is 1,250.00",
            trigger: `${FORM} .o_field_widget[name="mrr"]:contains(1,250.00)`,
        },
        // ------------------------------------------------------------ the partner's scorecard
        ...openMenu(
            "partner_scorecard.partner_channel_menu_program",
            "partner_scorecard.partner_scorecard_menu",
        ),
        {
            content: "Open the partner's scorecard",
            trigger:
                ".o_list_view .o_data_row:contains(Ridgeline Distribution Partners) .o_data_cell[name=partner_id]",
            run: "click",
        },
        {
            content: "The partner's 2026-Q1 scorecard",
            trigger: `${FORM} .o_field_widget[name="period_id"]:contains(2026-Q1)`,
        },
        {
            content: "is complete",
            trigger: `${FORM} .o_field_widget[name="completeness"]:contains(Complete)`,
        },
        {
            content:
                "Its overall score: 55 % (MRR 6.25 %, ARR per account 75 %, attach rate 100 %)",
            trigger: `${FORM} .o_field_widget[name="overall_score"]:contains(55)`,
        },
        {
            content: "Open the metrics",
            trigger: `${FORM} .o_notebook a.nav-link:contains(Metrics)`,
            run: "click",
        },
        {
            content:
                "Its MRR is measured from billing: 1,250.00, the tenant's and the subscription's",
            trigger: `${FORM} .o_field_widget[name="line_ids"] .o_data_row:contains(Monthly recurring revenue):contains(1,250.00)`,
        },
        {
            content: "Its managed ARR per account is measured from the subscription: 12 x 1,250.00",
            trigger: `${FORM} .o_field_widget[name="line_ids"] .o_data_row:contains(Managed ARR per account):contains(15,000.00)`,
        },
        {
            content: "and its hosting attach rate",
            trigger: `${FORM} .o_field_widget[name="line_ids"] .o_data_row:contains(Hosting attach rate):contains(100.00)`,
        },
    ],
});
