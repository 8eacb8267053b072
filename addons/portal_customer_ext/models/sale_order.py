from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, format_date, str2bool

from ..tools import order_status

REORDER_ENABLED_PARAM = "portal_customer_ext.reorder_enabled"
REORDERABLE_STATES = ("sale",)
# A reorder quotation in these states is still open: reordering the same order again returns it.
OPEN_REORDER_STATES = ("draft", "sent")
# Portal quotation requests: limits of what a customer may send
REQUEST_MAX_LINES = 100
REQUEST_MAX_DESCRIPTION = 500  # characters of one line's text
REQUEST_MAX_REFERENCE = 100  # characters
REQUEST_MAX_NOTE = 5000  # characters
REQUEST_MAX_QUANTITY = 1_000_000
# Customer's status of an order in the portal (order tracking); codes and rule in tools/order_status.py
PCE_PORTAL_STATUS_SELECTION = [
    (order_status.QUOTED, "Quoted"),
    (order_status.CONFIRMED, "Confirmed"),
    (order_status.PARTIALLY_SHIPPED, "Partially shipped"),
    (order_status.SHIPPED, "Shipped"),
    (order_status.DELIVERED, "Delivered"),
    (order_status.INVOICED, "Invoiced"),
    (order_status.PAID, "Paid"),
    (order_status.CANCELLED, "Cancelled"),
]

# Stages of `sale.order._pce_demo_progress`, in order
PCE_DEMO_STAGES = (
    order_status.PARTIALLY_SHIPPED,
    order_status.SHIPPED,
    order_status.DELIVERED,
    order_status.INVOICED,
    order_status.PAID,
)


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "ai.bridge.audit.mixin"]
    _audit_whole_record = False  # only the fields of _audited_fields are an audit trail

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
    pce_portal_request = fields.Boolean(
        string="Portal Request",
        readonly=True,
        copy=False,
        index=True,
        help="The customer asked for this quotation with the portal's quotation request form.",
    )
    pce_request_line_ids = fields.One2many(
        comodel_name="pce.quotation.request.line",
        inverse_name="order_id",
        string="Customer Request",
        copy=False,
        help="What the customer typed or chose, line by line, and how it was matched to products.",
    )
    pce_request_proposal_count = fields.Integer(
        string="Proposals to Review", compute="_compute_pce_request_proposal_count"
    )

    # === COMPUTES === #

    @api.depends("pce_request_line_ids.state")
    def _compute_pce_request_proposal_count(self):
        for order in self:
            order.pce_request_proposal_count = len(order.pce_request_line_ids.filtered(lambda l: l.state == "proposed"))

    # === BUSINESS METHODS === #

    def _audited_fields(self):
        # EXTENDS ai_bridge_core: the portal tells the customer "this repeats your order X": only a portal reorder
        # sets it, never a user by RPC
        return super()._audited_fields() | {"pce_reordered_from_id", "pce_portal_request"}

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
        """:return: whether this order can be reordered at all (setting on, order confirmed, products left)."""
        self.ensure_one()
        return bool(
            self._pce_is_reorder_enabled() and self.state in REORDERABLE_STATES and self._pce_get_reorder_lines()[0]
        )

    def _pce_is_customer_contact(self, partner):
        """:return: whether `partner` is this order's customer or one of its contacts (same commercial partner)."""
        self.ensure_one()
        return partner.commercial_partner_id == self.partner_id.commercial_partner_id

    def _pce_can_reorder_as(self, user):
        """Whether the portal offers `user` to reorder this order.

        Reordering creates a quotation in the customer's name, so reading the order is not enough: the
        order's access token (a link anyone may have been forwarded), another customer's user or an internal
        user previewing the page may not. Only a logged-in contact of the customer may.

        :param user: `res.users` of the request
        :rtype: bool
        """
        self.ensure_one()
        return not user._is_public() and self._pce_is_customer_contact(user.partner_id) and self._pce_can_reorder()

    def _pce_get_open_reorder(self):
        """:return: the last quotation reordered from this order that is still open for its customer, if any."""
        self.ensure_one()
        return self.env["sale.order"].search(
            [
                ("pce_reordered_from_id", "=", self.id),
                ("state", "in", OPEN_REORDER_STATES),
                # Not one the salesperson moved to another customer: the portal would hand it out with its token.
                ("partner_id", "child_of", self.partner_id.commercial_partner_id.id),
            ],
            order="id desc",
            limit=1,
        )

    def _pce_lock_for_reorder(self):
        """Make concurrent reorders of this order run one after the other.

        Two clicks, a reload or a replayed POST can reach two workers at once. Both would see no open reorder
        and create one each. So the order's row is locked (SELECT ... FOR UPDATE) before looking for an open
        reorder: the second transaction waits here until the first one ends. Odoo's cursors are REPEATABLE
        READ, so once it may go on, the second one would still not see the quotation the first one committed;
        but the first one rewrote this row when it created the quotation (see `_pce_create_reorder`), and
        PostgreSQL then rolls the second one back with a serialization failure, which Odoo's HTTP layer
        retries on a fresh snapshot: the retry finds the open reorder and returns it.
        """
        self.ensure_one()
        self.env.cr.execute(SQL("SELECT id FROM %s WHERE id = %s FOR UPDATE", SQL.identifier(self._table), self.id))

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
        """Create a draft quotation that repeats this confirmed order for the same customer, unless the last one
        is still open (draft or sent): a second click, a reload or a concurrent request gets that one back.

        Lines whose product can no longer be sold are left out and listed in the message posted on the new
        quotation, which the customer sees in the portal. The portal controller calls this on the record
        returned by `_document_check_access`, i.e. as superuser, because portal users cannot create orders.

        :param author: `res.partner` who asked for the reorder: the customer or one of its contacts; defaults to
                       the customer
        :return: tuple (quotation, `sale.order.line` of this order skipped now, whether it was created now)
        :raise UserError: if the setting is off, the order is not confirmed, nothing can be reordered or `author`
                          does not belong to the customer
        """
        self.ensure_one()
        if not self._pce_can_reorder():
            raise UserError(_("Order %s cannot be reordered.", self.name))
        author = author or self.partner_id
        if not self._pce_is_customer_contact(author):
            raise UserError(
                _("Only %(customer)s can reorder %(order)s.", customer=self.partner_id.display_name, order=self.name)
            )
        self._pce_lock_for_reorder()
        open_reorder = self._pce_get_open_reorder()
        if open_reorder:
            return open_reorder, self.env["sale.order.line"], False

        lines, skipped_lines = self._pce_get_reorder_lines()
        new_order = (
            self.env["sale.order"]
            .with_company(self.company_id)
            ._create_audited(self._pce_prepare_reorder_values(lines))
        )
        # Rewrite the locked row, unchanged: a transaction waiting in `_pce_lock_for_reorder` then fails to
        # serialize and is retried, instead of missing this quotation (see there).
        self.env.cr.execute(
            SQL("UPDATE %s SET write_date = write_date WHERE id = %s", SQL.identifier(self._table), self.id)
        )
        # sale's portal record rule shows an order to the contacts of its followers' commercial partners: the
        # author, a contact of the customer, follows the quotation, so every contact of the customer can open it.
        new_order.message_subscribe(partner_ids=author.ids)

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
        return new_order, skipped_lines, True

    # === BUSINESS METHODS: portal quotation requests === #

    @api.model
    def _pce_create_portal_request(
        self, author, lines, reference=None, note=None, attachments=None, billing_entity_id=None
    ):
        """Create the draft quotation of a portal quotation request and notify the sales team.

        Called as superuser by controllers once they checked `author` (res.partner) is the logged-in portal contact.
        Free-text lines are matched to catalog products: a near-certain match fills a quotation line, a plausible one
        is proposed to the salesperson, others stay text; with Claude switched on, lines not filled are also sent to
        Claude through an AI decision, gated the same way. Every line is kept as typed (`pce.quotation.request.line`).

        :param author: `res.partner`, the customer's contact asking
        :param lines: list of dicts: {"product_id": int | False, "description": str, "quantity": float,
                      "wanted_date": datetime.date | False} (a line has a product or a description, or both)
        :param str reference: the customer's reference (`client_order_ref`)
        :param str note: free text for the salesperson
        :param attachments: list of dicts {"name": str, "raw": bytes, "mimetype": str}
        :param billing_entity_id: id of one of `author`'s billing entities (`res.partner._pce_get_billing_entity`),
                                  the quotation's invoice address; else the customer's own invoice address
        :return: the new sale.order
        :raise UserError / ValidationError: with a message for the customer, on bad input (nothing created)
        """
        author.ensure_one()
        company = self.env.company
        customer = author.commercial_partner_id
        # "in the past" in the author's day, whoever calls (the controllers run in it already)
        clean_lines = self.with_context(tz=author.tz or "UTC")._pce_check_request_lines(lines, company)
        reference = (reference or "").strip()
        note = (note or "").strip()
        if len(reference) > REQUEST_MAX_REFERENCE:
            raise UserError(_("Your reference is too long (%s characters at most).", REQUEST_MAX_REFERENCE))
        if len(note) > REQUEST_MAX_NOTE:
            raise UserError(_("Your note is too long (%s characters at most).", REQUEST_MAX_NOTE))
        clean_attachments = self.env["ir.attachment"]._pce_check_portal_uploads(attachments or [])

        addresses = customer.address_get(["invoice", "delivery"])
        if billing_entity_id:
            # Checked again here, whoever calls: a billing entity the author may not see raises (AccessError).
            addresses["invoice"] = self.env["res.partner"]._pce_get_billing_entity(author, billing_entity_id).id
        order = (
            self.with_company(company)
            .with_context(mail_create_nosubscribe=True)
            ._create_audited(
                {
                    "partner_id": customer.id,
                    "partner_invoice_id": addresses["invoice"],
                    "partner_shipping_id": addresses["delivery"],
                    "company_id": company.id,
                    "client_order_ref": reference or False,
                    "origin": _("Portal request"),
                    "note": self._pce_request_note(author, clean_lines, note),
                    "pce_portal_request": True,
                }
            )
        )
        order._pce_add_request_lines(clean_lines)
        # sale's portal record rule shows an order to the contacts of its followers' commercial partners: the
        # author, a contact of the customer, follows the quotation, so every contact of the customer can open it.
        order.message_subscribe(partner_ids=author.ids)
        attachment_records = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": attachment["name"],
                        "raw": attachment["raw"],
                        "mimetype": attachment["mimetype"],
                        "res_model": "sale.order",
                        "res_id": order.id,
                    }
                    for attachment in clean_attachments
                ]
            )
        )
        # A comment by the customer: it shows in the portal chatter with the files, which the customer can open.
        order.message_post(
            body=_("Quotation request sent from the portal by %s.", author.name),
            author_id=author.id,
            attachment_ids=attachment_records.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        order._pce_notify_quotation_request(author)
        return order

    @api.model
    def _pce_check_request_lines(self, lines, company):
        """Validate a request's lines as a customer typed them.

        :return: list of dicts with clean values (`product` a `product.product`)
        :raise UserError: with a message for the customer (a wanted date before today in the context's timezone)
        """
        if not lines:
            raise UserError(_("Add at least one line: a product, or a description of what you need."))
        if len(lines) > REQUEST_MAX_LINES:
            raise UserError(_("A request has %s lines at most.", REQUEST_MAX_LINES))
        today = fields.Date.context_today(self)
        RequestLine = self.env["pce.quotation.request.line"]
        buyable = RequestLine._pce_buyable_product_domain(company)
        product_ids = {line["product_id"] for line in lines if line.get("product_id")}
        products = self.env["product.product"].sudo().browse(product_ids).exists().filtered_domain(buyable)
        clean = []
        for number, line in enumerate(lines, start=1):
            description = (line.get("description") or "").strip()
            product = products.filtered(lambda product, line=line: product.id == line.get("product_id"))
            if line.get("product_id") and not product:
                raise UserError(_("Line %s: this product is not available to you.", number))
            if not description and not product:
                raise UserError(_("Line %s: describe what you need or choose a product.", number))
            if len(description) > REQUEST_MAX_DESCRIPTION:
                raise UserError(
                    _(
                        "Line %(line)s: the text is too long (%(max)s characters at most).",
                        line=number,
                        max=REQUEST_MAX_DESCRIPTION,
                    )
                )
            try:
                quantity = float(line.get("quantity") or 0)
            except (TypeError, ValueError):
                quantity = 0.0
            if not 0 < quantity <= REQUEST_MAX_QUANTITY:
                raise UserError(_("Line %s: the quantity must be a positive number.", number))
            wanted_date = line.get("wanted_date") or False
            if wanted_date and wanted_date < today:
                raise UserError(_("Line %s: the wanted date is in the past.", number))
            clean.append(
                {"product": product, "description": description, "quantity": quantity, "wanted_date": wanted_date}
            )
        return clean

    @api.model
    def _pce_request_note(self, author, clean_lines, note):
        """:return: the order's notes (HTML): the customer's note, then each line as "qty × text (wanted by date)"."""
        items = []
        for line in clean_lines:
            text = line["description"] or line["product"].display_name
            if line["description"] and line["product"]:
                text = f"{line['product'].display_name}: {line['description']}"
            quantity = "{:g}".format(line["quantity"])  # not an f-string: Babel cannot extract the message around it
            item = _("%(quantity)s × %(text)s", quantity=quantity, text=text)
            if line["wanted_date"]:
                item = _(
                    "%(item)s (wanted by %(date)s)",
                    item=item,
                    date=format_date(self.env, line["wanted_date"], lang_code=author.lang),
                )
            items.append(Markup("<li>%s</li>") % item)
        body = Markup("<p>%s</p>") % _("Quotation request from %s:", author.name)
        if note:
            body += Markup("<p>%s</p>") % Markup("<br/>").join(note.splitlines())
        return body + Markup("<ul>%s</ul>") % Markup().join(items)

    def _pce_add_request_lines(self, clean_lines):
        """Keep each line as typed, fill the quotation with the customer's catalog products and the near-certain
        matches, propose the plausible ones, and ask Claude about the rest when it is switched on."""
        self.ensure_one()
        RequestLine = self.env["pce.quotation.request.line"]
        ask_claude = RequestLine._pce_is_claude_matching_enabled()
        for sequence, line in enumerate(clean_lines, start=1):
            request_line = RequestLine._create_audited(
                {
                    "order_id": self.id,
                    "sequence": sequence * 10,
                    "description": line["description"] or False,
                    "quantity": line["quantity"],
                    "wanted_date": line["wanted_date"],
                }
            )
            if line["product"]:
                request_line._pce_fill(line["product"], 1.0, "catalog")
                continue
            matches = RequestLine._pce_match_text(line["description"], self.partner_id, self.company_id)
            if matches:
                best = matches[0]
                product = self.env["product.product"].sudo().browse(best.product_id)
                request_line._pce_apply_match(product, best.confidence, best.reason)
            # Without candidates Claude could only answer "none": not worth a call.
            if ask_claude and matches and request_line.state != "matched":
                request_line._pce_request_ai_matching(matches)

    def _pce_get_request_recipients(self):
        """:return: `res.users` told of a new request: the salesperson; else the sales team's leader, else its
        members; else the company's sales administrators (see `res.users._pce_get_sales_recipients`)."""
        self.ensure_one()
        return self.env["res.users"]._pce_get_sales_recipients(self.company_id, self.user_id, self.team_id)

    def _pce_notify_quotation_request(self, author):
        """Tell the sales team through messaging_router (type quotation.request)."""
        self.ensure_one()
        recipients = self._pce_get_request_recipients()
        if not recipients:
            return self.env["messaging.delivery"]
        lines = self.pce_request_line_ids
        body = _(
            "%(author)s (%(customer)s) asks for a quotation: %(count)s line(s), %(matched)s filled, "
            "%(proposed)s proposed for your approval, %(text)s as text.",
            author=author.name,
            customer=self.partner_id.name,
            count=len(lines),
            matched=len(lines.filtered(lambda line: line.state == "matched")),
            proposed=len(lines.filtered(lambda line: line.state == "proposed")),
            text=len(lines.filtered(lambda line: line.state == "text")),
        )
        return (
            self.env["messaging.delivery"]
            .sudo()
            ._send(
                "quotation.request",
                self,
                recipients,
                {
                    "subject": _(
                        "Quotation request %(order)s from %(customer)s", order=self.name, customer=self.partner_id.name
                    ),
                    "body": body,
                },
            )
        )

    # === FIELDS: customer order status (portal order tracking) === #

    pce_portal_status = fields.Selection(
        selection=PCE_PORTAL_STATUS_SELECTION,
        string="Customer Status",
        compute="_compute_pce_portal_status",
        store=True,
        index=True,
        help="Where the order stands for its customer (shown in the portal): from the order, its deliveries to the "
        "customer and its invoices.",
    )

    # === COMPUTE METHODS === #

    @api.depends(
        "state",
        "invoice_status",
        "picking_ids.state",
        "picking_ids.date_done",
        "picking_ids.pce_received_date",
        "picking_ids.picking_type_id",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.payment_state",
        "order_line.invoice_lines.move_id.invoice_date",
    )
    def _compute_pce_portal_status(self):
        for order in self:
            order.pce_portal_status = order._pce_get_order_status().status

    # === BUSINESS METHODS === #

    def _pce_get_order_status(self, paid_dates=None):
        """:return: the customer's status of this order and its timeline (`tools.order_status.OrderStatus`).

        Reads the order's pickings and invoices through the prefetch of `self`: on a recordset, call it in a loop
        after `_pce_prefetch_order_status()` for a constant number of queries.

        :param dict paid_dates: {invoice id: date it became paid}, from `_pce_get_invoice_paid_dates()`, for the
                                timeline's date of the paid step; without it that step has no date (the status
                                does not need it)
        """
        self.ensure_one()
        order = self.sudo()  # pickings and invoices: already checked through the order
        paid_dates = paid_dates or {}
        deliveries = [
            order_status.Delivery(picking.state, picking.date_done, picking.pce_received_date)
            for picking in order.picking_ids
            if picking.picking_type_code == "outgoing"
        ]
        invoices = [
            order_status.Invoice(
                move.state, move.payment_state, move.move_type, move.invoice_date, paid_dates.get(move.id)
            )
            for move in order.invoice_ids
        ]
        return order_status.derive_order_status(
            order.state,
            deliveries,
            invoices,
            fully_invoiced=order.invoice_status == "invoiced",
            quote_date=order.create_date,
            confirm_date=order.date_order if order.state == "sale" else None,
        )

    def _pce_get_invoice_paid_dates(self):
        """When each paid invoice of these orders became paid: the latest date of the reconciliations of its
        receivable lines (payments, credit notes; `account.partial.reconcile.max_date`), else, for a payment
        registered without a journal entry, the latest date of its matched payments.

        Reads all the orders' invoices at once (a few queries, whatever their number).

        :return: {invoice id: date}, for the paid invoices whose date is known
        """
        invoices = self.sudo().invoice_ids.filtered(lambda move: move.payment_state in order_status.PAID_PAYMENT_STATES)
        if not invoices:
            return {}
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search_fetch(
                [
                    ("move_id", "in", invoices.ids),
                    ("account_type", "in", ("asset_receivable", "liability_payable")),
                    ("reconciled", "=", True),
                ],
                ["move_id", "matched_debit_ids", "matched_credit_ids"],
            )
        )
        (lines.matched_debit_ids | lines.matched_credit_ids).fetch(["max_date"])
        paid_dates = {}
        for line in lines:
            for partial in line.matched_debit_ids | line.matched_credit_ids:
                move_id = line.move_id.id
                paid_dates[move_id] = max(paid_dates.get(move_id, partial.max_date), partial.max_date)
        # Payments without a journal entry (no outstanding account): matched to the invoice, not reconciled
        for invoice in invoices.filtered(lambda move: move.id not in paid_dates):
            payments = invoice.matched_payment_ids.filtered(
                lambda pay: not pay.move_id and pay.state in ("in_process", "paid")
            )
            if payments:
                paid_dates[invoice.id] = max(payments.mapped("date"))
        return paid_dates

    def _pce_prefetch_order_status(self):
        """Read the pickings and invoices of all these orders at once (a few queries, whatever their number)."""
        orders = self.sudo()
        pickings = orders.picking_ids
        pickings.fetch(
            ["state", "date_done", "pce_received_date", "picking_type_id", "carrier_id", "carrier_tracking_ref"]
        )
        pickings.picking_type_id.fetch(["code"])
        moves = orders.order_line.invoice_lines.move_id
        moves.fetch(["state", "payment_state", "move_type", "invoice_date", "invoice_date_due", "amount_residual"])
        return orders

    def _pce_demo_progress(self, stage, carrier_id=False, tracking_ref=False):
        """Move these confirmed orders forward to `stage` of their customer's status, all at once.

        For the demo data, the tests and the benchmarks, which need orders in a given status: it does what the
        warehouse, the customer and the accountant would do, in batch (a few calls whatever the number of
        orders). Steps already done are skipped, so that orders can be moved on in several calls, e.g.
        ``orders._pce_demo_progress("invoiced")`` then ``orders[::2]._pce_demo_progress("paid")``.

        :param str stage: ``partially_shipped`` (half of each open delivery, backorders left), ``shipped`` (open
                          deliveries done), ``delivered`` (and received), ``invoiced`` (and invoiced, one posted
                          invoice per order) or ``paid`` (and each invoice paid with its own payment)
        :param int carrier_id: carrier of the open deliveries; `tracking_ref` their tracking reference
        """
        reached = PCE_DEMO_STAGES[: PCE_DEMO_STAGES.index(stage) + 1]
        orders = self.with_context(skip_sms=True)  # no SMS to a demo customer
        pickings = orders.picking_ids.filtered(
            lambda p: p._pce_is_customer_delivery() and p.state not in ("done", "cancel")
        )
        if carrier_id:
            pickings.write({"carrier_id": carrier_id, "carrier_tracking_ref": tracking_ref or False})
        partial = stage == order_status.PARTIALLY_SHIPPED
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty // 2 if partial else move.product_uom_qty
            move.picked = True
        pickings._action_done()
        if order_status.DELIVERED in reached:
            orders.picking_ids.filtered(
                lambda p: p._pce_is_customer_delivery() and p.state == "done" and not p.pce_received_date
            ).pce_received_date = fields.Datetime.now()
        if order_status.INVOICED in reached:
            to_invoice = orders.filtered(lambda order: order.invoice_status == "to invoice")
            if to_invoice:
                to_invoice._create_invoices(grouped=True).action_post()
        if order_status.PAID in reached:
            invoices = orders.invoice_ids.filtered(
                lambda move: (
                    move.state == "posted"
                    and move.move_type == "out_invoice"
                    and move.payment_state in ("not_paid", "partial")
                )
            )
            if invoices:
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=invoices.ids
                ).create({"group_payment": False})._create_payments()
