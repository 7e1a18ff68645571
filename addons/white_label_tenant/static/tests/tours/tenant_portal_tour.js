import { registry } from "@web/core/registry";

// A partner's portal user reports an incident on one of its tenants and follows it.
registry.category("web_tour.tours").add("white_label_tenant_portal_incident", {
    url: "/my",
    steps: () => [
        {
            content: "Open the tenants from the portal home",
            trigger: "a[href='/my/tenants']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the tenant",
            trigger: "tr.o_tenant_row a:contains('Secret Retail ERP')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Describe the problem",
            trigger: ".o_tenant_portal form input[name='subject']",
            run: "edit Tour: invoices stuck in draft",
        },
        {
            content: "It is urgent",
            trigger: ".o_tenant_portal form select[name='priority']",
            run: "select 2",
        },
        {
            content: "Open the incident",
            trigger: ".o_tenant_portal form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The incident page shows it with its SLA clock",
            trigger: "h2:contains('Tour: invoices stuck in draft')",
        },
        {
            content: "Back to the tenants",
            trigger: ".o_portal_submenu a[href='/my/tenants'], .breadcrumb a[href='/my/tenants']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the tenant again",
            trigger: "tr.o_tenant_row a:contains('Secret Retail ERP')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The incident is listed among the recent ones",
            trigger: "tr.o_tenant_incident_row td:contains('Tour: invoices stuck in draft')",
        },
    ],
});
