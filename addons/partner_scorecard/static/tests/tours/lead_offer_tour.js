import { registry } from "@web/core/registry";

// The partner's portal user opens the lead the platform forwarded and accepts it.
registry.category("web_tour.tours").add("partner_scorecard_lead_offer_accept_tour", {
    url: "/my/leads",
    steps: () => [
        {
            content: "The forwarded lead waits for an answer",
            trigger:
                "table.o_portal_lead_offers_open tr.o_portal_lead_offer_row:contains('Tour Harbourside Outfitters'):contains('Waiting for Answer')",
        },
        {
            content: "Open the lead",
            trigger: "tr.o_portal_lead_offer_row a:contains('Tour Harbourside Outfitters')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page says until when to answer",
            trigger: ".o_portal_lead_offer dd.o_portal_lead_offer_deadline:not(:empty)",
        },
        {
            content: "Accept the lead",
            trigger: "form.o_portal_lead_offer_accept button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The lead is accepted",
            trigger: ".o_portal_lead_offer h2:contains('Accepted')",
        },
        {
            content: "The page confirms it is now the partner's deal",
            trigger: ".o_portal_lead_offer .alert-success:contains('Lead accepted')",
        },
        {
            content: "No answer buttons any more",
            trigger: ".o_portal_lead_offer:not(:has(form.o_portal_lead_offer_accept))",
        },
    ],
});

// The list and an offer's page at the browser size of the test (390 px phone): the heading is
// shown and nothing is wider than the screen.
function fits(page) {
    return {
        content: `${page}: nothing overflows the screen`,
        trigger: ".o_portal_page_title",
        run() {
            const width = document.documentElement.scrollWidth;
            const room = document.documentElement.clientWidth;
            if (width > room) {
                throw new Error(`${page} is ${width}px wide for ${room}px`);
            }
        },
    };
}

registry.category("web_tour.tours").add("partner_scorecard_lead_offer_fits_tour", {
    url: "/my/leads",
    steps: () => [
        fits("Leads offered"),
        {
            content: "Open the waiting lead",
            trigger: "tr.o_portal_lead_offer_row a:contains('Tour Fits Lead')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The answer forms are shown",
            trigger: "form.o_portal_lead_offer_decline textarea[name='reason']",
        },
        fits("Lead offered"),
    ],
});
