from urllib.parse import parse_qs, urlparse

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.portal_vendor_ext.models.purchase_order import ACK_REQUIRED_PARAM


class PortalVendorExtCommon:
    """Fixtures for acknowledgement tests, built from scratch (no demo data).

    Two vendor companies, each with a portal contact, a purchasable product, a confirmed purchase order and a
    draft request for quotation of the first vendor.
    """

    @classmethod
    def _setup_ack_fixtures(cls) -> None:
        env = cls.env
        env["ir.config_parameter"].sudo().set_param(ACK_REQUIRED_PARAM, "True")

        cls.vendor, cls.other_vendor = env["res.partner"].create(
            [
                {"name": "PVE Supplies Inc", "is_company": True, "email": "sales@pve-supplies.example.com"},
                {"name": "PVE Rival Trading", "is_company": True, "email": "sales@pve-rival.example.com"},
            ]
        )
        cls.vendor_user = new_test_user(
            env, login="pve_vendor", groups="base.group_portal", name="Vera Vendor", parent_id=cls.vendor.id
        )
        cls.other_vendor_user = new_test_user(
            env, login="pve_rival", groups="base.group_portal", name="Rick Rival", parent_id=cls.other_vendor.id
        )
        cls.product = env["product.product"].create({"name": "PVE Steel Bolt", "purchase_ok": True})

        cls.order, cls.rfq = env["purchase.order"].create(
            [
                {
                    "partner_id": cls.vendor.id,
                    "order_line": [
                        Command.create({"product_id": cls.product.id, "product_qty": 5.0, "price_unit": 12.0})
                    ],
                }
                for _i in range(2)
            ]
        )
        cls.order.button_confirm()

    def findMessage(self, record, text: str):
        """:return: the messages of `record` whose body contains `text` (read afresh from the database)."""
        record.invalidate_recordset(["message_ids"])
        return record.message_ids.filtered(lambda message: text in (message.body or ""))


class VendorPortalHttpMixin:
    """Sign-in and redirect checks shared by the vendor portal's HttpCase tests."""

    def _login(self, user) -> None:
        """Sign in as `user` (password = login), or sign out with None."""
        if user:
            self.authenticate(user.login, user.login)
        else:
            self.authenticate(None, None)

    def _assertRedirect(self, response, path: str) -> dict:
        """Check a 303 to `path` and return its query parameters."""
        self.assertEqual(response.status_code, 303, response.text[:300])
        location = urlparse(response.headers["Location"])
        self.assertEqual(location.path, path, response.headers["Location"])
        return {key: values[0] for key, values in parse_qs(location.query).items()}


class VendorInvoiceEndToEndCommon(PortalVendorExtCommon):
    """Purchase orders made to measure for the labelled invoices of `invoice_samples`, to upload them for real."""

    def _order_for_truth(self, truth: dict, price_changes: dict | None = None):
        """A confirmed purchase order of `self.vendor` with one line per line of the invoice `truth`, all received.

        :param truth: a sample's truth (``invoice_samples.sample(...)[1]``)
        :param price_changes: ``{line index: PO unit price}`` for a PO that disagrees with the invoice
        :return: the ``purchase.order``
        """
        currency = self.env["res.currency"].with_context(active_test=False).search([("name", "=", truth["currency"])])
        currency.active = True
        Product = self.env["product.product"]
        products = {}
        for line in truth["lines"]:
            code = line["product_code"]
            products[code] = (
                products.get(code)
                or Product.search([("default_code", "=", code)], limit=1)
                or (
                    Product.create(
                        {
                            "name": line["description"],
                            "default_code": code,
                            "purchase_ok": True,
                            "supplier_taxes_id": False,
                            "purchase_method": "receive",
                        }
                    )
                )
            )
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "currency_id": currency.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": products[line["product_code"]].id,
                            "product_qty": line["quantity"],
                            "price_unit": (price_changes or {}).get(index, line["unit_price"]),
                            "taxes_id": False,
                        }
                    )
                    for index, line in enumerate(truth["lines"])
                ],
            }
        )
        order.button_confirm()
        for po_line in order.order_line:
            po_line.qty_received = po_line.product_qty
        return order
