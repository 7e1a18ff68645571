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
            content: "The recurring revenue is drawn over the last twelve months",
            trigger: "svg.o_billing_mrr_chart polygon.o_billing_mrr_area",
        },
        {
            content: "The line joins one point per month",
            trigger: "svg.o_billing_mrr_chart:has(circle:nth-of-type(12))",
        },
        {
            content: "The chart's scale tops at the partner's MRR (500 + 200)",
            trigger: "svg.o_billing_mrr_chart text:contains('700')",
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
            trigger: "li:nth-child(3) a[href^='/my/invoices/']",
        },
    ],
});
