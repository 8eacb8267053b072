from odoo.fields import Command
from odoo.tests import new_test_user

from .common import PortalCatalogCommon


class PortalTicketCommon(PortalCatalogCommon):
    """Fixtures for support tickets, on top of the catalog's (customer with two portal contacts, a rival customer,
    a vendor's contact, an employee, products): a sales manager and a helpdesk user, portal categories (one hidden
    from the portal), a team with its own closing stage, a confirmed order and a posted invoice of the customer and
    of the rival (each followed by its customer, as sending them does), and a ticket of each customer."""

    @classmethod
    def _setup_ticket_fixtures(cls) -> None:
        cls._setup_catalog_fixtures()
        env = cls.env
        cls.sales_manager = new_test_user(env, login="pce_tk_manager", groups="sales_team.group_sale_manager")
        cls.helpdesk_user = new_test_user(env, login="pce_tk_helpdesk", groups="helpdesk_mgmt.group_helpdesk_user")
        cls.company.write(
            {
                "helpdesk_mgmt_portal_select_category": True,
                "helpdesk_mgmt_portal_category_id_required": True,
                "helpdesk_mgmt_portal_select_team": False,
            }
        )
        Category = env["helpdesk.ticket.category"]
        cls.category, cls.hidden_category = Category.create(
            [
                {"name": "PCE Delivery", "show_in_portal": True, "company_id": cls.company.id},
                {"name": "PCE Internal", "show_in_portal": False, "company_id": cls.company.id},
            ]
        )
        cls.stage_new = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_in_progress = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_rejected = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        # A team with a closing stage of its own: tickets without that team cannot be closed in it.
        cls.team = env["helpdesk.ticket.team"].create({"name": "PCE Key Accounts", "company_id": cls.company.id})
        cls.team_stage = env["helpdesk.ticket.stage"].create(
            {
                "name": "PCE Solved for key accounts",
                "sequence": 50,
                "closed": True,
                "close_from_portal": True,
                "team_ids": [Command.link(cls.team.id)],
            }
        )

        SaleOrder = env["sale.order"]
        cls.order, cls.rival_order = SaleOrder.create(
            [
                {
                    "partner_id": cls.customer.id,
                    "client_order_ref": "PO-TK-OWN",
                    "order_line": [Command.create({"product_id": cls.widget.id, "product_uom_qty": 2.0})],
                },
                {
                    "partner_id": cls.rival.id,
                    "client_order_ref": "PO-TK-RIVAL",
                    "order_line": [Command.create({"product_id": cls.widget.id, "product_uom_qty": 1.0})],
                },
            ]
        )
        (cls.order | cls.rival_order).action_confirm()
        cls.invoice = cls.order._create_invoices()
        cls.rival_invoice = cls.rival_order._create_invoices()
        (cls.invoice | cls.rival_invoice).action_post()
        for document, partner in (
            (cls.order, cls.customer),
            (cls.invoice, cls.customer),
            (cls.rival_order, cls.rival),
            (cls.rival_invoice, cls.rival),
        ):
            document.message_subscribe(partner_ids=partner.ids)

        Ticket = env["helpdesk.ticket"]
        cls.ticket = Ticket.create(
            {
                "name": "PCE TK own ticket",
                "description": "Where is my widget?",
                "partner_id": cls.customer_user.partner_id.id,
                "pce_sale_order_id": cls.order.id,
                "stage_id": cls.stage_new.id,
            }
        )
        cls.rival_ticket = Ticket.create(
            {
                "name": "PCE TK rival ticket",
                "description": "Rival's secret trouble",
                "partner_id": cls.rival_user.partner_id.id,
                "pce_sale_order_id": cls.rival_order.id,
                "stage_id": cls.stage_new.id,
            }
        )
