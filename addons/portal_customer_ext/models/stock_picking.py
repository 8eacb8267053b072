from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # === FIELDS === #

    pce_received_date = fields.Datetime(
        string="Received by Customer",
        copy=False,
        tracking=True,
        help="When the customer received this delivery: confirmed by the customer in the portal, or set here. "
        "An order whose deliveries are all received shows as Delivered in the portal.",
    )

    # === CONSTRAINT METHODS === #

    @api.constrains("pce_received_date", "state")
    def _check_pce_received_date(self):
        for picking in self:
            if picking.pce_received_date and picking.state != "done":
                raise ValidationError(
                    _("%(picking)s is not done: it cannot have been received yet.", picking=picking.display_name)
                )

    # === BUSINESS METHODS === #

    def _pce_is_customer_delivery(self):
        """:return: whether this picking delivers goods to the customer (not a pick, pack or return)."""
        self.ensure_one()
        return self.picking_type_code == "outgoing"

    def _pce_can_confirm_receipt_as(self, user):
        """Whether `user` may confirm in the portal that this delivery arrived.

        :param user: `res.users` of the request
        :return: True for a logged-in contact of the order's customer, on a done delivery not yet received
        """
        self.ensure_one()
        order = self.sale_id
        return bool(
            order
            and not user._is_public()
            and self._pce_is_customer_delivery()
            and self.state == "done"
            and not self.pce_received_date
            and order._pce_is_customer_contact(user.partner_id)
        )

    def _pce_confirm_receipt(self, author):
        """Record that the customer received this delivery (now), with a message on the delivery and its order.

        :param author: `res.partner` who confirmed, a contact of the customer
        :raise UserError: if the delivery is not done or not the customer's, or was already received
        """
        self.ensure_one()
        if not (self._pce_is_customer_delivery() and self.state == "done") or self.pce_received_date:
            raise UserError(_("Delivery %s cannot be confirmed as received.", self.name))
        if not self.sale_id._pce_is_customer_contact(author):
            raise UserError(_("Only the customer can confirm that %s was received.", self.name))
        self.pce_received_date = fields.Datetime.now()
        body = _("%(author)s confirmed receipt of %(picking)s.", author=author.name, picking=self.name)
        self.message_post(body=body, author_id=author.id, subtype_xmlid="mail.mt_note")
        self.sale_id.message_post(body=body, author_id=author.id, subtype_xmlid="mail.mt_note")
