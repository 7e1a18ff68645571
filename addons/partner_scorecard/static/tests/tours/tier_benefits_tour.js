import { registry } from "@web/core/registry";

// A partner's portal user opens its scorecard and reads what its tier is worth and what the next
// tier would add, next to the gap to the next tier.
registry.category("web_tour.tours").add("partner_scorecard_tier_benefits_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the scorecard from the portal home",
            trigger: "a[href='/my/scorecards']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The gap to the next tier comes first",
            trigger: "h4:contains('Gap to')",
        },
        {
            content: "The current tier's discount and funds",
            trigger:
                ".o_tier_benefits_current:contains('T-Entry') .o_tier_benefit_discount:contains('5 %')",
        },
        {
            content: "The current tier's other benefits",
            trigger: ".o_tier_benefits_current li:contains('Onboarding webinar')",
        },
        {
            content: "The next tier's discount, funds per quarter and benefits",
            trigger:
                ".o_tier_benefits_next:contains('T-Mid'):contains('12.5 %'):contains('Per Quarter'):contains('Named partner manager')",
        },
    ],
});
