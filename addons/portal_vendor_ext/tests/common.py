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
