import { registry } from "@web/core/registry";

// A channel partner's portal user opens its marketing development funds from the portal home,
// submits a claim with its evidence, and finds it waiting for approval.
registry.category("web_tour.tours").add("recurring_billing_mdf_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home links the marketing funds",
            trigger: "a[href='/my/mdf']:contains('Marketing Funds')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The tier's budget is shown before the first claim",
            trigger: ".o_mdf_budget:contains('Gold (MDF)'):contains('1,000.00')",
        },
        {
            content: "Name the activity",
            trigger: "form.o_mdf_claim_form input[name='name']",
            run: "edit Tour roadshow",
        },
        {
            content: "Claim an amount",
            trigger: "form.o_mdf_claim_form input[name='amount']",
            run: "edit 320",
        },
        {
            content: "Attach the evidence",
            trigger: "form.o_mdf_claim_form input[name='evidence']",
            run() {
                const file = new File(
                    ["%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"],
                    "tour-evidence.pdf",
                    { type: "application/pdf" }
                );
                const transfer = new DataTransfer();
                transfer.items.add(file);
                this.anchor.files = transfer.files;
            },
        },
        {
            content: "Submit the claim",
            trigger: "form.o_mdf_claim_form button.o_mdf_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The claim waits for the channel manager's approval",
            trigger: ".o_mdf_claim:contains('Tour roadshow'):contains('Waiting for the channel manager')",
        },
        {
            content: "Back to the funds: the claim is listed as submitted",
            trigger: ".o_mdf_claim a[href='/my/mdf']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The claim is listed with its status and the budget left",
            trigger: "table.o_mdf_claims tr:contains('Tour roadshow') .o_mdf_claim_state:contains('Submitted')",
        },
        {
            content: "What is left of the quarter",
            trigger: ".o_mdf_remaining:contains('680.00')",
        },
    ],
});
