import { registry } from "@web/core/registry";

// register -> approve -> protected deal, in three sittings: the partner's portal user submits,
// a Channel Manager approves in the backend, the portal user sees the protection.
registry.category("web_tour.tours").add("partner_scorecard_deal_register_tour", {
    url: "/my/deals",
    steps: () => [
        {
            content: "Name the opportunity",
            trigger: "form.o_portal_deal_form input[name='name']",
            run: "edit Tour Fjord Cargo Rollout",
        },
        {
            content: "Name the customer",
            trigger: "form.o_portal_deal_form input[name='partner_name']",
            run: "edit Tour Fjord Cargo AS",
        },
        {
            content: "Register the deal",
            trigger: "form.o_portal_deal_form button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The deal is listed as submitted, waiting for a decision",
            trigger:
                "tr.o_portal_deal_row:contains('Tour Fjord Cargo Rollout') td:contains('Submitted')",
        },
    ],
});

registry.category("web_tour.tours").add("partner_scorecard_deal_approve_tour", {
    steps: () => [
        {
            content: "The manager approves the submitted registration",
            trigger: ".o_form_view button[name='action_registration_approve']",
            run: "click",
        },
        {
            content: "The deal can no longer be approved, only rejected",
            trigger:
                ".o_form_view:not(:has(button[name='action_registration_approve'])) button[name='action_registration_reject']",
        },
        {
            content: "Open the channel tab",
            trigger: ".o_notebook_headers a:contains('Channel')",
            run: "click",
        },
        {
            content: "The registration is approved and protected",
            trigger: ".o_field_widget[name='registration_state']:contains('Approved')",
        },
        {
            content: "The protection date is shown",
            trigger: ".o_field_widget[name='registration_protected_until']:not(:empty)",
        },
    ],
});

registry.category("web_tour.tours").add("partner_scorecard_deal_protected_tour", {
    url: "/my/deals",
    steps: () => [
        {
            content: "The list shows the protection",
            trigger:
                "tr.o_portal_deal_row:contains('Tour Fjord Cargo Rollout'):contains('Protected until')",
        },
        {
            content: "Open the deal",
            trigger: "tr.o_portal_deal_row a:contains('Tour Fjord Cargo Rollout')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The deal page says Approved",
            trigger: ".o_portal_deal h2:contains('Approved')",
        },
        {
            content: "The deal page says until when the customer is protected",
            trigger: ".o_portal_deal dt:contains('Protected until') + dd.o_portal_deal_protected",
        },
    ],
});
