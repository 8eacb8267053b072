from itertools import zip_longest

from odoo import _, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.osv import expression

from odoo.addons.sale.controllers.portal import CustomerPortal

from ..models.ir_attachment import PORTAL_UPLOAD_MAX_SIZE
from .uploads import read_portal_uploads

REQUEST_FORM_TEXT_ROWS = 3  # empty free-text rows of a new form (more with "Add a line")
PRODUCT_SEARCH_LIMIT = 20  # products suggested while typing in a catalog line


class CustomerPortalQuotationRequest(CustomerPortal):
    # EXTENDS sale
    def _prepare_quotations_domain(self, partner):
        """Add the draft quotations of the customer's portal quotation requests to /my/quotes and its counter
        (sale lists only the quotations a salesperson sent). Sale's portal record rule still applies on top."""
        request_domain = [
            ("pce_portal_request", "=", True),
            ("state", "=", "draft"),
            ("partner_id", "child_of", [partner.commercial_partner_id.id]),
        ]
        return expression.OR([super()._prepare_quotations_domain(partner), request_domain])

    # === HELPERS === #

    def _pce_is_request_customer(self):
        """:return: whether the visitor is a customer's portal contact, who may ask for quotations (the catalog's
        customers: not a vendor's contact, not an internal user)."""
        user = request.env.user
        return user._is_portal() and request.env["product.product"]._pce_is_catalog_customer(user)

    def _pce_buyable_products(self, product_ids):
        """:return: the products among `product_ids` that the logged-in customer may ask a quotation for (as
        superuser: portal users do not read products; the domain is the check). None for other visitors."""
        if not self._pce_is_request_customer():
            return request.env["product.product"]
        RequestLine = request.env["pce.quotation.request.line"]
        domain = RequestLine._pce_buyable_product_domain(request.env.company)
        return request.env["product.product"].sudo().browse(product_ids).exists().filtered_domain(domain)

    def _pce_request_form_values(self, form=None, error=None):
        """Values of the request form: the rows to show (the customer's input after an error), the message.

        :param dict form: the parsed submission (`_pce_parse_request_form`), or None for a new form
        """
        values = self._prepare_portal_layout_values()
        # the customer's today, as `_pce_check_request_lines` refuses earlier wanted dates (not UTC's)
        today = fields.Date.context_today(request.env["sale.order"])
        values.update({"page_name": "pce_quotation_request", "error": error, "today": today})
        if form is None:
            product_rows = []
            product_id = request.params.get("product_id")
            if product_id and product_id.isdigit():
                product = self._pce_buyable_products([int(product_id)])
                if product:
                    product_rows.append(
                        {"product": product, "quantity": request.params.get("quantity") or "1", "wanted_date": ""}
                    )
            form = {
                "reference": "",
                "billing_entity_id": "",
                "note": "",
                "text_rows": [{"description": "", "quantity": "1", "wanted_date": ""}] * REQUEST_FORM_TEXT_ROWS,
                "product_rows": product_rows,
            }
        values.update(form)
        values["max_file_size_mb"] = PORTAL_UPLOAD_MAX_SIZE // (1024 * 1024)
        # The visitor's billing entities for "Bill to": read as superuser, the rule of the method is the check.
        values["billing_entities"] = (
            request.env["res.partner"].sudo()._pce_billing_entities_visible_to(request.env.user.partner_id)
        )
        return values

    def _pce_parse_request_form(self):
        """Read the submitted form as the customer typed it (rows kept even when invalid, to show them again).

        :return: dict with reference, note, text_rows and product_rows (lists of dicts of strings, products)
        """
        form = request.httprequest.form
        text_rows = [
            {"description": description.strip(), "quantity": quantity.strip(), "wanted_date": wanted_date.strip()}
            for description, quantity, wanted_date in zip_longest(
                form.getlist("text_description"),
                form.getlist("text_quantity"),
                form.getlist("text_wanted_date"),
                fillvalue="",
            )
            if description.strip()
        ]
        raw_product_ids = form.getlist("product_id")
        ids = [int(value) for value in raw_product_ids if value.isdigit()]
        products = {product.id: product for product in self._pce_buyable_products(ids)}
        product_rows = []
        for raw_id, search, quantity, wanted_date in zip_longest(
            raw_product_ids,
            form.getlist("product_search"),
            form.getlist("product_quantity"),
            form.getlist("product_wanted_date"),
            fillvalue="",
        ):
            if not raw_id:
                # Typed but not chosen from the suggestions (or no JavaScript): kept as a free-text line.
                if search.strip():
                    text_rows.append(
                        {
                            "description": search.strip(),
                            "quantity": quantity.strip(),
                            "wanted_date": wanted_date.strip(),
                        }
                    )
                continue
            product_rows.append(
                {
                    "product_id": raw_id,
                    "product": products.get(int(raw_id)) if raw_id.isdigit() else None,
                    "quantity": quantity.strip(),
                    "wanted_date": wanted_date.strip(),
                }
            )
        return {
            "reference": (form.get("reference") or "").strip(),
            "billing_entity_id": (form.get("billing_entity_id") or "").strip(),
            "note": (form.get("note") or "").strip(),
            "text_rows": text_rows,
            "product_rows": product_rows,
        }

    @staticmethod
    def _pce_parse_number(value, number):
        try:
            return float((value or "").replace(",", "."))
        except ValueError:
            raise UserError(_("Line %s: the quantity must be a positive number.", number)) from None

    @staticmethod
    def _pce_parse_date(value, number):
        if not value:
            return False
        try:
            return fields.Date.to_date(value)
        except ValueError:
            raise UserError(_("Line %s: the wanted date is not a valid date.", number)) from None

    def _pce_request_lines(self, form):
        """:return: the lines for `sale.order._pce_create_portal_request` (catalog products first, then text)."""
        lines = []
        rows = [(row, True) for row in form["product_rows"]] + [(row, False) for row in form["text_rows"]]
        for number, (row, is_product) in enumerate(rows, start=1):
            if is_product and not row["product"]:
                raise UserError(_("Line %s: this product is not available to you.", number))
            lines.append(
                {
                    "product_id": row["product"].id if is_product else False,
                    "description": "" if is_product else row["description"],
                    "quantity": self._pce_parse_number(row["quantity"], number),
                    "wanted_date": self._pce_parse_date(row["wanted_date"], number),
                }
            )
        return lines

    # === ROUTES === #

    @http.route("/my/quotation-request", type="http", auth="user", methods=["GET"], website=True, readonly=True)
    def portal_quotation_request_form(self, **kwargs):
        """The quotation request form; ``?product_id=&quantity=`` prefills one catalog line. Visitors who are not a
        customer's portal contact (a vendor's contact, an employee) go back to /my."""
        if not self._pce_is_request_customer():
            return request.redirect("/my")
        return request.render("portal_customer_ext.portal_quotation_request", self._pce_request_form_values())

    @http.route("/my/quotation-request", type="http", auth="user", methods=["POST"], website=True)
    def portal_quotation_request_submit(self, **kwargs):
        """Create the draft quotation of the request and open it; on bad input, show the form again with the
        customer's input and the reason.

        Portal users cannot create orders: `_pce_create_portal_request` runs as superuser for the logged-in
        contact only, with products limited to those the customer may buy, the billing entity ("Bill to") one
        the contact may see, and every value checked there.
        """
        form = self._pce_parse_request_form()
        user = request.env.user
        try:
            if not self._pce_is_request_customer():
                raise UserError(_("Quotation requests are sent from a customer's portal account."))
            lines = self._pce_request_lines(form)
            with request.env.cr.savepoint():
                order = (
                    request.env["sale.order"]
                    .sudo()
                    ._pce_create_portal_request(
                        user.partner_id,
                        lines,
                        reference=form["reference"],
                        note=form["note"],
                        attachments=read_portal_uploads("attachments"),
                        billing_entity_id=form["billing_entity_id"] or None,
                    )
                )
        except (UserError, ValidationError) as error:
            values = self._pce_request_form_values(form=form, error=error.args[0])
            return request.render("portal_customer_ext.portal_quotation_request", values, status=400)
        return request.redirect(order.get_portal_url(query_string="&message=pce_request_sent"))

    @http.route(
        "/my/quotation-request/products", type="http", auth="user", methods=["GET"], website=True, readonly=True
    )
    def portal_quotation_request_products(self, q="", **kwargs):
        """Products the customer may ask for whose name or reference contains `q`, for the form's catalog lines.

        :return: JSON list of {"id", "name"}
        """
        q = (q or "").strip()[:100]
        if len(q) < 2 or not self._pce_is_request_customer():
            return request.make_json_response([])
        RequestLine = request.env["pce.quotation.request.line"]
        domain = expression.AND(
            [
                RequestLine._pce_buyable_product_domain(request.env.company),
                ["|", "|", ("name", "ilike", q), ("default_code", "ilike", q), ("barcode", "=", q)],
            ]
        )
        products = request.env["product.product"].sudo().search(domain, limit=PRODUCT_SEARCH_LIMIT, order="name")
        return request.make_json_response([{"id": product.id, "name": product.display_name} for product in products])
