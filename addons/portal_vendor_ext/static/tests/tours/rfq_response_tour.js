/** @odoo-module **/

import { registry } from "@web/core/registry";

// A vendor's contact answers a request for quotation from its portal page: a negative price is refused with what
// was typed kept, then the corrected quotation is sent. Data (the vendor, a draft RFQ of 5 PVE Steel Bolt and its
// alternative to another vendor) comes from tests/test_rfq_response_tour.py, which opens the RFQ's page.
registry.category("web_tour.tours").add("portal_vendor_ext_rfq_response", {
    steps: () => [
        {
            content: "give a negative unit price",
            trigger: ".pve_rfq_form input[name$='_price']",
            run() {
                // Past the browser's own min check, to see the server's answer.
                this.anchor.removeAttribute("min");
                this.anchor.value = "-4";
            },
        },
        {
            content: "give the minimum quantity",
            trigger: ".pve_rfq_form input[name$='_min_qty']",
            run: "edit 10",
        },
        {
            content: "give the lead time",
            trigger: ".pve_rfq_form input[name$='_lead_time']",
            run: "edit 6",
        },
        {
            content: "give the validity",
            trigger: ".pve_rfq_form input[name$='_valid_until']",
            run() {
                // A date input takes its value in ISO form, whatever the browser's locale.
                this.anchor.value = "2099-06-30";
            },
        },
        {
            content: "add a comment",
            trigger: ".pve_rfq_form textarea[name='comment']",
            run: "edit Tour quotation",
        },
        {
            content: "send",
            trigger: ".pve_rfq_button",
            run: "click",
        },
        {
            content: "the server refuses it",
            trigger: "#pve_rfq_error:contains(cannot be negative)",
        },
        {
            content: "what was typed is kept",
            trigger: ".pve_rfq_form input[name$='_lead_time']:value(6)",
        },
        {
            content: "give a valid unit price",
            trigger: ".pve_rfq_form input[name$='_price']",
            run() {
                // Set at once: typed key by key, a number input reads "11." as empty.
                this.anchor.value = "11.5";
            },
        },
        {
            content: "send again",
            trigger: ".pve_rfq_button",
            run: "click",
        },
        {
            content: "the buyer is told",
            trigger: "#pve_rfq_success",
        },
        {
            content: "the quotation sent is shown",
            trigger: ".pve_rfq_form input[name$='_price']:value(11.5)",
        },
    ],
});
