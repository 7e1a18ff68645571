import { registry } from "@web/core/registry";

// Anyone opens a brand's public status page: the groups' status and 90 days of uptime, the
// current incident with its public update, and nothing wider than the screen.
registry.category("web_tour.tours").add("white_label_tenant_status_page", {
    steps: () => [
        {
            content: "The brand's page with its overall status",
            trigger: "h1.o_portal_page_title:contains('Alpha Status Cloud')",
        },
        {
            content: "The status is told in words",
            trigger: ".o_status_overall:contains('Some systems are affected')",
        },
        {
            content: "One group with its status",
            trigger: "tr.o_status_group td:contains('ERP cluster EU West (Ireland)')",
        },
        {
            content: "Ninety days of uptime bars",
            trigger: ".o_status_bars",
            run() {
                const bars = document.querySelectorAll(".o_status_bars .o_status_bar");
                if (bars.length !== 90) {
                    throw new Error(`Expected 90 daily bars, got ${bars.length}`);
                }
            },
        },
        {
            content: "The current incident and its public update",
            trigger:
                ".o_status_current_incidents .o_status_update:contains('Invoices take minutes to post')",
        },
        {
            content: "The past incident is listed",
            trigger: ".o_status_past_incidents:contains('Reports showed stale figures')",
        },
        {
            content: "Nothing is wider than the screen",
            trigger: ".o_status_page",
            run() {
                const width = document.documentElement.scrollWidth;
                if (width > window.innerWidth) {
                    throw new Error(`The page is ${width}px wide on a ${window.innerWidth}px screen`);
                }
            },
        },
    ],
});
