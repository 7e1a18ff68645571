import { registry } from "@web/core/registry";

// Every portal page of the suite, walked as a demo portal user at the browser size of the test
// class (1440x900 and 390x844): each page shows its heading and nothing is wider than the
// screen. Pages of records the user may not have (a scorecard, a gate, a tenant...) are opened
// through the list's first link, so the tour depends on no demo name or figure.

// the page is settled: its heading is there and every chart has been redrawn by Chart.js
const SETTLED = "body:not(:has(.o_portal_chart:not(.o_portal_chart_ready)))";

function describe(el) {
    const classes = [...el.classList].slice(0, 3).join(".");
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes ? "." + classes : ""}>`;
}

function widestElement() {
    // the outermost element that sticks out: its parent still fits, so it is the one to fix
    const limit = document.documentElement.clientWidth + 1;
    for (const el of document.body.querySelectorAll("*")) {
        const rect = el.getBoundingClientRect();
        const parent = el.parentElement.getBoundingClientRect();
        if (rect.right > limit && parent.right <= limit && rect.width > 0) {
            return `${describe(el)} (${Math.round(rect.right)}px)`;
        }
    }
    return "none found";
}

export function assertPageFits(page, headingSelector) {
    const heading = document.querySelector(headingSelector);
    if (!heading || !heading.textContent.trim() || !heading.getClientRects().length) {
        throw new Error(`${page} (${location.pathname}): no visible heading ${headingSelector}`);
    }
    // wide tables read as one card per row on a phone (portal_stacked_table.js)
    for (const table of document.querySelectorAll("table.o_portal_stacked")) {
        const stacked = !table.querySelector("thead")?.getClientRects().length;
        if (
            !table.classList.contains("o_portal_stacked_ready") ||
            stacked !== window.innerWidth < 576
        ) {
            throw new Error(
                `${page} (${location.pathname}): ${table.className} not stacked as it should`,
            );
        }
    }
    // against the width inside a vertical scrollbar (innerWidth counts it): no hidden 15 px
    const width = document.documentElement.scrollWidth;
    const room = document.documentElement.clientWidth;
    console.info(`${page} (${location.pathname}): ${width}px wide for ${room}px`);
    if (width > room) {
        throw new Error(
            `${page} (${location.pathname}) is ${width}px wide for ${room}px on a ` +
                `${window.innerWidth}px screen; widest element: ${widestElement()}`,
        );
    }
}

function check(page, heading = ".o_portal_page_title") {
    return {
        content: `${page}: the heading is shown and nothing overflows the screen`,
        trigger: `${SETTLED} ${heading}`,
        run: () => assertPageFits(page, heading),
    };
}

function goTo(path) {
    return {
        content: `Go to ${path}`,
        trigger: "body",
        run: `goToUrl ${path}`,
        expectUnloadPage: true,
    };
}

function openFirst(what, selector) {
    // a user without such a record stays on the list (reloaded): its check passes as the list's
    return {
        content: `Open the first ${what}, if any`,
        trigger: "body",
        run() {
            const link = document.querySelector(selector);
            window.location.assign(link ? link.href : window.location.href);
        },
        expectUnloadPage: true,
    };
}

registry.category("web_tour.tours").add("partner_channel_portal_fits", {
    url: "/my",
    steps: () => [
        check(
            "Portal home",
            ".o_portal_my_home:not(:has(.o_portal_doc_spinner)) .o_portal_index_card:not(.d-none) a[href='/my/deals']",
        ),
        check("Portal home heading", ".o_portal_wrap h3"),
        goTo("/my/scorecards"),
        check("Scorecards"),
        openFirst("scorecard", ".o_scorecard_history a"),
        check("A scorecard"),
        goTo("/my/deals"),
        check("Deal registrations"),
        {
            content: "The registration form has a label for each field",
            trigger: "form.o_portal_deal_form label[for='deal_name']",
        },
        openFirst("deal", "tr.o_portal_deal_row a"),
        check("A deal"),
        goTo("/my/gates"),
        check("Governance gates"),
        openFirst("gate", "a[href^='/my/gates/']"),
        check("A gate"),
        goTo("/my/tenants"),
        check("Tenants"),
        openFirst("tenant", "tr.o_tenant_row a"),
        check("A tenant"),
        openFirst("incident", "tr.o_tenant_incident_row a"),
        check("An incident"),
        goTo("/my/subscriptions"),
        check("Subscriptions"),
        {
            content: "The recurring revenue is drawn by Chart.js",
            trigger: ".o_portal_chart_ready canvas",
        },
        openFirst("subscription", "a[href^='/my/subscriptions/']"),
        check("A subscription"),
        {
            content: "The check itself sees a page that is too wide",
            trigger: "body",
            run() {
                const wide = document.createElement("div");
                wide.style.width = `${window.innerWidth + 200}px`;
                wide.style.height = "1px";
                document.querySelector("#wrap").appendChild(wide);
                let caught = false;
                try {
                    assertPageFits("Self-check", ".o_portal_page_title");
                } catch {
                    caught = true;
                }
                wide.remove();
                if (!caught) {
                    throw new Error("The overflow check did not see a page wider than the screen");
                }
                console.info(`Portal pages checked at ${window.innerWidth}px`);
            },
        },
    ],
});

registry.category("web_tour.tours").add("partner_channel_status_page_fits", {
    steps: () => [
        check("Public status page", "h1.o_portal_page_title"),
        {
            content: "The health reads as words, not as keys",
            trigger: ".o_status_table tbody td .badge",
            run() {
                const raw = [...document.querySelectorAll(".o_status_table tbody td .badge")]
                    .map((badge) => badge.textContent.trim())
                    .filter((text) => ["up", "down", "unknown", "suspended"].includes(text));
                if (raw.length) {
                    throw new Error(`Raw health keys on the status page: ${raw.join(", ")}`);
                }
            },
        },
    ],
});
