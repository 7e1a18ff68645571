import { registry } from "@web/core/registry";

/* A Channel Manager decides a partner's MDF claim: the gate refuses the payment until the
   manager's approval is given on it, then Approve and Pay posts the vendor bill
   (data: recurring_billing/tests/test_mdf.py, TestMdfApprovalTour). */

const FORM = ".o_form_view";

registry.category("web_tour.tours").add("recurring_billing_mdf_approval", {
    steps: () => [
        {
            content: "The partner's claim is open",
            trigger: ".o_breadcrumb .active:contains(Tour booth)",
        },
        {
            content: "Approve and Pay before the gate's approval",
            trigger: `${FORM} .o_form_statusbar button[name="action_approve"]`,
            run: "click",
        },
        {
            content: "The gate blocks it and says what is missing",
            trigger: ".modal:contains(blocked by its governance gate):contains(Channel Manager approval)",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Open the claim's gate",
            trigger: `${FORM} button[name="action_gate_open"]`,
            run: "click",
        },
        {
            content: "The gate's approvals",
            trigger: `${FORM} a.nav-link:contains(Approvals)`,
            run: "click",
        },
        {
            content: "Approve as Channel Manager",
            trigger: `${FORM} .o_field_one2many[name="approval_ids"] button[name="action_approve"]`,
            run: "click",
        },
        {
            content: "The approval is given",
            trigger: `${FORM} .o_field_one2many[name="approval_ids"] .badge:contains(Approved)`,
        },
        {
            content: "Back to the claim",
            trigger: ".o_breadcrumb a:contains(Tour booth)",
            run: "click",
        },
        {
            content: "Approve and Pay",
            trigger: `${FORM} .o_form_statusbar button[name="action_approve"]`,
            run: "click",
        },
        {
            content: "The claim is paid",
            trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current:contains(Paid)`,
        },
        {
            content: "Open its payment",
            trigger: `${FORM} button[name="action_view_payment"]`,
            run: "click",
        },
        {
            content: "A posted vendor bill to the partner",
            trigger: `${FORM}:contains(Northwind Hosting Partners) .o_statusbar_status button.o_arrow_button_current:contains(Posted)`,
        },
    ],
});
