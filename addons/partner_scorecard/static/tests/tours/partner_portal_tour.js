import { registry } from "@web/core/registry";

// The demo portal user opens the scorecard, then registers a deal.
registry.category("web_tour.tours").add("partner_scorecard_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the partner scorecard from the portal home",
            trigger: "a[href='/my/scorecards']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The overall score is shown",
            trigger: ".o_scorecard_overall:contains('/ 100')",
        },
        {
            content: "Domain scores are drawn as bars (Chart.js, the SVG is the fallback)",
            trigger: ".o_portal_chart_ready:has(svg.o_scorecard_bars) canvas",
            run() {
                const chart = window.Chart.getChart(this.anchor);
                if (chart.config.type !== "bar" || !chart.data.labels.length) {
                    throw new Error("The domain scores chart has no bars");
                }
            },
        },
        {
            content: "The trend over past periods is drawn",
            trigger: ".o_portal_chart_ready:has(svg.o_scorecard_trend) canvas",
        },
        {
            content: "The gap to the next tier is listed",
            trigger: "table.o_scorecard_gap td",
        },
        {
            content: "Go to deal registration",
            trigger: "body",
            run: "goToUrl /my/deals",
            expectUnloadPage: true,
        },
        {
            content: "Name the opportunity",
            trigger: "form.o_portal_deal_form input[name='name']",
            run: "edit Tour Warehouse Rollout",
        },
        {
            content: "Name the customer",
            trigger: "form.o_portal_deal_form input[name='partner_name']",
            run: "edit Tour Logistics AB",
        },
        {
            content: "Expected revenue",
            trigger: "form.o_portal_deal_form input[name='expected_revenue']",
            run: "edit 42000",
        },
        {
            content: "Register the deal",
            trigger: "form.o_portal_deal_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The deal is confirmed and listed",
            trigger: ".alert-success:contains('Deal registered')",
        },
        {
            content: "The new deal is in the list",
            trigger: "table.o_portal_deals td:contains('Tour Warehouse Rollout')",
        },
    ],
});
