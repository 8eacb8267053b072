import { registry } from "@web/core/registry";

// Data comes from ai_bridge_core/tests/test_ai_ui.py.
registry.category("web_tour.tours").add("ai_bridge_approval_tour", {
    steps: () => [
        {
            content: "The decision waits in the approval queue",
            trigger: ".o_kanban_record:contains(Tour Construction Works)",
        },
        {
            content: "Approve it",
            trigger: ".o_kanban_record:contains(Tour Construction Works) button:contains(Approve)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Checked on their website",
        },
        {
            trigger: ".modal button:contains(Confirm)",
            run: "click",
        },
        {
            content: "Approved decisions leave the queue",
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains(Tour Construction Works)))",
        },
    ],
});
