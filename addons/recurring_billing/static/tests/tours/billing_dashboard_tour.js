import {registry} from "@web/core/registry";

const DASHBOARD = ".o_billing_dashboard";

registry.category("web_tour.tours").add("recurring_billing_dashboard", {
    steps: () => [
        {
            content: "The dashboard shows the company's MRR",
            trigger: `${DASHBOARD} div[name="mrr"] .o_billing_kpi_value:contains(700.00)`,
        },
        {
            content: "and its ARR",
            trigger: `${DASHBOARD} div[name="arr"] .o_billing_kpi_value:contains(8,400.00)`,
        },
        {
            content: "The subscription's start is new business of the window",
            trigger: `${DASHBOARD} .o_billing_movements tr[data-movement="new"]:contains(700.00)`,
        },
        {
            content: "Hosting MRR by layer",
            trigger: `${DASHBOARD} .o_billing_layers tr[data-layer="hosting"]:contains(500.00)`,
        },
        {
            content: "The partner's attach rates and margin",
            trigger: `${DASHBOARD} .o_billing_partners tr:contains(Tour Hosting Partner):contains(100%):contains(100.00)`,
        },
        {
            content: "Nothing at the start of the default window: no growth rate",
            trigger: `${DASHBOARD} div[name="mrr"] .small:contains((–))`,
        },
        {
            content: "Open the movements behind the figures",
            trigger: `${DASHBOARD} .o_billing_open_movements`,
            run: "click",
        },
        {
            content: "The movements open in a pivot view",
            trigger: ".o_pivot_view .o_pivot table:contains(700.00)",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Revenue Dashboard)",
            run: "click",
        },
        {
            content: "Start the window ten days ago, after the subscription started",
            trigger: `${DASHBOARD} input[name="date_from"]`,
            run() {
                const input = document.querySelector(`${DASHBOARD} input[name="date_from"]`);
                input.value = luxon.DateTime.now().minus({days: 10}).toISODate();
                input.dispatchEvent(new Event("change"));
            },
        },
        {
            content: "The window starts with the 700.00 of MRR and no movement: 0% growth",
            trigger: `${DASHBOARD} div[name="mrr"] .small:contains(700.00):contains((0%))`,
        },
    ],
});
