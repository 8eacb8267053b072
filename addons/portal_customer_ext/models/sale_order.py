from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import str2bool

REORDER_ENABLED_PARAM = "portal_customer_ext.reorder_enabled"
REORDERABLE_STATES = ("sale",)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # === FIELDS === #

    pce_reordered_from_id = fields.Many2one(
        comodel_name="sale.order",
        string="Reordered From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="Confirmed order the customer reordered from the portal to create this quotation.",
    )

    # === BUSINESS METHODS === #

    @api.model
    def _pce_is_reorder_enabled(self):
        """:return: whether the "Portal reorder" setting is on."""
        # Settings are readable by system users only; this flag is not secret and drives the portal.
        return str2bool(self.env["ir.config_parameter"].sudo().get_param(REORDER_ENABLED_PARAM, "False"))

    def _pce_get_reorder_lines(self):
        """Split the order's lines into those a reorder copies and those it must leave out.

        Other lines (sections, notes, down payments, shipping costs, combo items) are neither.

        :return: tuple (lines to copy, lines skipped because their product can no longer be sold)
        :rtype: tuple(sale.order.line, sale.order.line)
        """
        self.ensure_one()
        product_lines = self.order_line.filtered(lambda line: line._pce_is_reorder_candidate())
        available = product_lines.filtered(lambda line: line._pce_is_product_reorderable())
        return available, product_lines - available

    def _pce_can_reorder(self):
        """:return: whether the portal may offer to reorder this order."""
        self.ensure_one()
        return bool(
            self._pce_is_reorder_enabled() and self.state in REORDERABLE_STATES and self._pce_get_reorder_lines()[0]
        )

    def _pce_prepare_reorder_values(self, lines):
        """:return: `sale.order` create values repeating this order with the given lines.

        Pricelist, currency, fiscal position, payment terms, prices and taxes are left out on purpose:
        they are computed afresh, as for any new quotation of this customer.
        """
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "partner_invoice_id": self.partner_invoice_id.id,
            "partner_shipping_id": self.partner_shipping_id.id,
            "company_id": self.company_id.id,
            # A salesperson who left (archived user) would never see the quotation: leave it unassigned.
            "user_id": self.user_id.filtered("active").id,
            "team_id": self.team_id.id,
            "origin": self.name,
            "pce_reordered_from_id": self.id,
            "order_line": [Command.create(line._pce_prepare_reorder_line_values()) for line in lines],
        }

    def _pce_create_reorder(self, author=None):
        """Create a draft quotation that repeats this confirmed order for the same customer.

        Lines whose product can no longer be sold are left out and listed in the message posted on the new
        quotation, which the customer sees in the portal. The portal controller calls this on the record
        returned by `_document_check_access`, i.e. as superuser, because portal users cannot create orders.

        :param author: `res.partner` who asked for the reorder; defaults to the customer
        :return: tuple (new `sale.order`, skipped `sale.order.line` of this order)
        :raise UserError: if the setting is off, the order is not confirmed or nothing can be reordered
        """
        self.ensure_one()
        if not self._pce_can_reorder():
            raise UserError(_("Order %s cannot be reordered.", self.name))
        author = author or self.partner_id
        lines, skipped_lines = self._pce_get_reorder_lines()
        new_order = self.env["sale.order"].with_company(self.company_id).create(self._pce_prepare_reorder_values(lines))

        body = Markup("<p>%s</p>") % _("Reordered from %(order)s by %(author)s.", order=self.name, author=author.name)
        if skipped_lines:
            body += Markup("<p>%s</p><ul>%s</ul>") % (
                _("These products are no longer available and were not added:"),
                Markup().join(Markup("<li>%s</li>") % name for name in skipped_lines.product_id.mapped("display_name")),
            )
        # A comment, not a note: the customer sees it in the portal chatter and the salesperson is notified.
        new_order.message_post(body=body, author_id=author.id, message_type="comment", subtype_xmlid="mail.mt_comment")
        self.message_post(
            body=_("Reorder created: %s", new_order._get_html_link()),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return new_order, skipped_lines
