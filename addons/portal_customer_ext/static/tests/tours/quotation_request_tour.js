/** @odoo-module **/

import { registry } from "@web/core/registry";

// A portal customer asks for a quotation with one free-text line and lands on the new quotation.
// The Python test (tests/test_quotation_request_tour.py) creates the customer and checks the quotation.
registry.category("web_tour.tours").add("portal_customer_ext_quotation_request", {
    url: "/my",
    steps: () => [
        {
            content: "open the quotation request form from the portal home",
            trigger: 'a[href="/my/quotation-request"]',
            run: "click",
        },
        {
            content: "type a reference",
            trigger: "input[name=reference]",
            run: "edit TOUR-REF-42",
        },
        {
            content: "describe what is needed",
            trigger: "#pce_text_lines tbody tr:first-child input[name=text_description]",
            run: "edit Blue widget large",
        },
        {
            content: "set the quantity",
            trigger: "#pce_text_lines tbody tr:first-child input[name=text_quantity]",
            run: "edit 7",
        },
        {
            content: "add a line",
            trigger: 'button.o_pce_add_row[data-target="pce_text_lines"]',
            run: "click",
        },
        {
            content: "describe something else in the new line",
            trigger: "#pce_text_lines tbody tr:nth-child(4) input[name=text_description]",
            run: "edit Some custom bracket, 30 cm",
        },
        {
            content: "send the request",
            trigger: "#pce_request_submit",
            run: "click",
        },
        {
            content: "the new quotation opens with a thank-you message",
            trigger: "#pce_request_sent:contains(Thank you for your request)",
        },
        {
            content: "the request's lines are listed",
            trigger: "#pce_request_lines:contains(Some custom bracket, 30 cm)",
        },
    ],
});
