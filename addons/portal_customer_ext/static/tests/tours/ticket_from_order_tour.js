/** @odoo-module **/

import { registry } from "@web/core/registry";

// A portal customer opens a support ticket from one of their orders and lands on the ticket, linked to the order.
// Data (customer, order PCE-TK-TOUR, category "PCE Delivery") comes from tests/test_portal_ticket_tour.py.
registry.category("web_tour.tours").add("portal_customer_ext_ticket_from_order", {
    url: "/my/orders",
    steps: () => [
        {
            content: "open the order in the order list",
            trigger: "a:contains(/^PCE-TK-TOUR$/)",
            run: "click",
        },
        {
            content: "the order page offers to open a ticket",
            trigger: "#pce_open_ticket",
            run: "click",
        },
        {
            content: "the form says what the ticket is about",
            trigger: "#pce_ticket_form_about:contains(PCE-TK-TOUR)",
        },
        {
            content: "choose the category",
            trigger: "select[name='category']",
            run: "selectByLabel PCE Delivery",
        },
        {
            content: "type the subject",
            trigger: "input[name='subject']",
            run: "edit Two widgets missing",
        },
        {
            content: "describe the problem",
            trigger: "textarea[name='description']",
            run: "edit The parcel held one widget instead of three.",
        },
        {
            content: "send the ticket",
            trigger: "form[action='/submitted/ticket'] button[type='submit']",
            run: "click",
        },
        {
            content: "landed on the new ticket",
            trigger: "h3:contains(Two widgets missing)",
        },
        {
            content: "the ticket is about the order",
            trigger: "#pce_ticket_about a:contains(PCE-TK-TOUR)",
        },
    ],
});
