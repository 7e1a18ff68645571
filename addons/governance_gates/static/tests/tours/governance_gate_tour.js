import {registry} from "@web/core/registry";

const PHASE = 'div[name="implementation_phase"] .o_statusbar_status';

function moveToLive() {
    return [
        {
            content: "The project is in the Build phase",
            trigger: `${PHASE} button.o_arrow_button_current[data-value="build"]`,
        },
        {
            content: "Move the project to Live through the status bar",
            trigger: `${PHASE} button[data-value="live"]`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("governance_gates_go_live_blocked", {
    steps: () => [
        ...moveToLive(),
        {
            content: "The refusal lists what the go-live gate still needs",
            trigger:
                ".modal .o_error_dialog:contains(is blocked by its governance gate):contains(Data migration signed off):contains(Backup restore verified)",
        },
        {
            content: "Close the refusal",
            trigger: ".modal .o_error_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Discard the refused change",
            trigger: "body:not(:has(.modal)) .o_form_button_cancel",
            run: "click",
        },
        {
            content: "The project is still in the Build phase",
            trigger: `.o_form_saved ${PHASE} button.o_arrow_button_current[data-value="build"]`,
        },
    ],
});

registry.category("web_tour.tours").add("governance_gates_go_live_allowed", {
    steps: () => [
        ...moveToLive(),
        {
            content: "The move is saved without any refusal",
            trigger: `body:not(:has(.modal)) .o_form_saved ${PHASE} button.o_arrow_button_current[data-value="live"]`,
        },
    ],
});
