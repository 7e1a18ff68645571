import { registry } from "@web/core/registry";

// A channel partner's portal user orders an offer bundle for a new end customer, lands on the
// draft subscription the order opened, sets its own resale price and reads its margin.
registry.category("web_tour.tours").add("recurring_billing_bundle_order_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home offers the bundle catalogue",
            trigger: "a[href='/my/bundles']:contains('Offer Bundles')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The bundle shows its wholesale price per month",
            trigger: ".o_bundle_card:contains('Omnichannel Growth (tour)') .o_bundle_wholesale:contains('600.00')",
        },
        {
            content: "A bundle for another tier is not offered",
            trigger: ".o_bundle_catalogue:not(:contains('Enterprise for Platinum'))",
        },
        {
            content: "Order the omnichannel bundle",
            trigger: ".o_bundle_card:contains('Omnichannel Growth (tour)') a.o_bundle_order",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The form says a project comes with tier 2",
            trigger: "p:contains('implementation project with its gates')",
        },
        {
            content: "New customer: name",
            trigger: "input[name='name']",
            run: "edit Tourmaline Garden Centres",
        },
        {
            content: "New customer: email",
            trigger: "input[name='email']",
            run: "edit it@tourmaline.example.com",
        },
        {
            content: "New customer: tax ID",
            trigger: "input[name='vat']",
            run: "edit DK12345678",
        },
        {
            content: "Environment region",
            trigger: "select[name='region']",
            run: "select eu-central",
        },
        {
            content: "Place the order",
            trigger: "button.o_bundle_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The draft subscription is open, with the tenant request and the project",
            trigger: ".o_bundle_ordered:contains('implementation project')",
        },
        {
            content: "Its wholesale per month is the bundle's",
            trigger: ".o_resale_wholesale:contains('600.00')",
        },
        {
            content: "Set the partner's own price",
            trigger: "input[name='resale_price']",
            run: "edit 950",
        },
        {
            content: "Save it",
            trigger: "button.o_resale_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The margin is the partner's price less the wholesale",
            trigger: ".o_resale_margin:contains('350.00')",
        },
    ],
});
