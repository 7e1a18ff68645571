import { registry } from "@web/core/registry";

// A channel partner's portal user finds its subscriptions from the portal home, sees its
// recurring revenue drawn over time, then opens one subscription with its lines and next invoice.
registry.category("web_tour.tours").add("recurring_billing_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home counts the partner's subscriptions",
            trigger: "a[href='/my/subscriptions']:contains('Subscriptions')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The recurring revenue is drawn by Chart.js over the last twelve months",
            trigger: ".o_portal_chart_ready canvas",
            run() {
                const chart = window.Chart.getChart(this.anchor);
                const values = chart.data.datasets[0].data;
                if (values.length !== 12) {
                    throw new Error(`12 months expected, got ${values.length}`);
                }
                // the partner's MRR today: 500 + 200, drawn (not an empty chart)
                if (values.at(-1) !== 700 || chart.scales.y.max < 700) {
                    throw new Error(`MRR 700 expected at the end, got ${values.at(-1)}`);
                }
            },
        },
        {
            content: "Another partner's subscription is not listed",
            trigger: "table:not(:contains('Tour Foreign Stack'))",
        },
        {
            content: "The list shows the next invoice date",
            trigger: "tr:has(a:contains('Tour Hosting Stack')) td:contains('04/01/2026')",
        },
        {
            content: "Open the subscription",
            trigger: "a:contains('Tour Hosting Stack')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The hosting line is listed with its price",
            trigger: "tr:has(td:contains('Managed hosting M')) td:contains('500.00')",
        },
        {
            content: "The support line is listed with its price",
            trigger: "tr:has(td:contains('Support Gold')) td:contains('200.00')",
        },
        {
            content: "The next invoice date is shown",
            trigger: "div:has(> strong:contains('Next invoice')):contains('04/01/2026')",
        },
        {
            content: "The invoices of the past periods are linked to Odoo's portal invoices",
            trigger: "table.o_subscription_invoices tbody tr:nth-child(3) a[href^='/my/invoices/']",
        },
    ],
});
