import { registry } from "@web/core/registry";

/* A Channel Manager gives a tier its wholesale discount, then invoices a subscription of a
   partner in that tier: the new invoice carries the discount
   (data: recurring_billing/tests/test_tier_discount.py, TestTierDiscountTour). */

const FORM = ".o_form_view";

registry.category("web_tour.tours").add("recurring_billing_tier_discount", {
    steps: () => [
        {
            content: "The Gold tier is open",
            trigger: ".o_breadcrumb .active:contains(Gold (discount))",
        },
        {
            content: "Give it a wholesale discount of 12.5 %",
            trigger: `${FORM} .o_field_widget[name="discount_percent"] input`,
            run: "edit 12.5",
        },
        {
            content: "Save the tier",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The tier is saved",
            trigger: ".o_form_status_indicator_buttons.invisible:not(:visible)",
        },
        {
            content: "Go to the subscriptions",
            trigger: "body",
            run: "goToUrl /odoo/action-recurring_billing.billing_subscription_action",
            expectUnloadPage: true,
        },
        {
            content: "Open the Gold partner's subscription",
            trigger: ".o_data_row:contains(Tour Discount Stack) td.o_data_cell",
            run: "click",
        },
        {
            content: "Invoice what is due today (March)",
            trigger: `${FORM} button[name="action_invoice_now"]`,
            run: "click",
        },
        {
            content: "The billing run billed it",
            trigger: `${FORM} .o_field_widget[name="billed_count"]:contains(1)`,
        },
        {
            content: "Go to the invoices",
            trigger: "body",
            run: "goToUrl /odoo/action-account.action_move_out_invoice_type",
            expectUnloadPage: true,
        },
        {
            content: "March is invoiced at 612.50 (700.00 less Gold's 12.5 %)",
            trigger: ".o_data_row:contains(Northwind Hosting Partners):contains(612.50)",
        },
    ],
});
