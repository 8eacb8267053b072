/** @odoo-module **/

import { registry } from "@web/core/registry";

// A customer administrator invites a colleague from /my/colleagues and sees them listed as invited.
// Data (the administrator and her company) comes from the Python test: tests/test_portal_colleague_tour.py.
registry.category("web_tour.tours").add("portal_customer_ext_invite_colleague", {
    url: "/my",
    steps: () => [
        {
            content: "open Colleagues from the portal home",
            trigger: "a[href='/my/colleagues']",
            run: "click",
        },
        {
            content: "type the colleague's name",
            trigger: "#pce_invite_name",
            run: "edit Tom Tourist",
        },
        {
            content: "type the colleague's e-mail",
            trigger: "#pce_invite_email",
            run: "edit tom.tourist@pce-col.example.com",
        },
        {
            content: "send the invitation",
            trigger: "#pce_invite_button",
            run: "click",
        },
        {
            content: "the invitation is confirmed",
            trigger: "#pce_colleague_message:contains(The invitation was sent)",
        },
        {
            content: "the colleague is listed as invited",
            trigger: "tr.pce_colleague:contains(Tom Tourist) .pce_colleague_access:contains(Invited)",
        },
    ],
});
