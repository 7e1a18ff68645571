import { registry } from "@web/core/registry";

// A channel partner's portal user opens an invoice whose non-payment suspended its tenant, pays it
// with the demo provider (saving the card), and comes back to the invoice with the tenant running.
registry.category("web_tour.tours").add("recurring_billing_dunning_pay_tour", {
    steps: () => [
        {
            content: "The invoice says which tenant is suspended for non-payment",
            trigger: "#billing_dunning .alert-danger:contains('Acme ERP')",
        },
        {
            content: "Pay now",
            trigger: "a[data-bs-target='#pay_with']",
            run: "click",
        },
        {
            content: "Enter the demo card",
            trigger: "#pay_with input[name='customer_input']",
            run: "edit 4242424242424242",
        },
        {
            content: "Save the payment details for the next invoices",
            trigger: "#pay_with input[name='o_payment_tokenize_checkbox']",
            run: "click",
        },
        {
            content: "Pay",
            trigger: "#pay_with button[name='o_payment_submit_button']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on the invoice: paid, and the tenant is running again",
            trigger: "#billing_dunning:not(:has(.alert-danger)) .alert-success:contains('Acme ERP')",
        },
    ],
});
