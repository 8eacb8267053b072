import ast
from datetime import datetime

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.portal_vendor_ext.models.purchase_order import ACK_REQUIRED_PARAM

from .common import PortalVendorExtCommon


class TestPurchaseOrderAcknowledge(PortalVendorExtCommon, BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()
        cls.contact = cls.vendor_user.partner_id

    def test_acknowledge_records_date_partner_and_message(self) -> None:
        self.assertEqual(self.order.state, "purchase")
        self.assertTrue(self.order._pve_can_acknowledge(self.contact))

        with freeze_time("2026-03-02 09:30:00"):
            self.assertTrue(self.order._pve_acknowledge(self.contact))

        self.assertEqual(self.order.pve_acknowledged_date, datetime(2026, 3, 2, 9, 30))
        self.assertEqual(self.order.pve_acknowledged_by_id, self.contact)
        self.assertFalse(self.order._pve_can_acknowledge(self.contact))
        message = self.findMessage(self.order, "Order acknowledged by Vera Vendor.")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.contact)

    def test_acknowledge_twice_changes_nothing(self) -> None:
        with freeze_time("2026-03-02 09:30:00"):
            self.order._pve_acknowledge(self.contact)
        with freeze_time("2026-03-05 17:00:00"):
            self.assertFalse(self.order._pve_acknowledge(self.other_vendor_user.partner_id))

        self.assertEqual(self.order.pve_acknowledged_date, datetime(2026, 3, 2, 9, 30))
        self.assertEqual(self.order.pve_acknowledged_by_id, self.contact)
        self.assertEqual(len(self.findMessage(self.order, "Order acknowledged by")), 1)

    def test_acknowledge_refused_on_rfq(self) -> None:
        self.assertEqual(self.rfq.state, "draft")
        self.assertEqual(self.rfq._pve_get_ack_refusal(self.contact), "not_confirmed")
        self.assertFalse(self.rfq._pve_can_acknowledge(self.contact))

        with self.assertRaisesRegex(UserError, "not a confirmed purchase order"):
            self.rfq._pve_acknowledge(self.contact)
        self.assertFalse(self.rfq.pve_acknowledged_date)
        self.assertFalse(self.rfq.pve_acknowledged_by_id)

    def test_acknowledge_refused_when_disabled(self) -> None:
        self.env["ir.config_parameter"].set_param(ACK_REQUIRED_PARAM, False)

        self.assertEqual(self.order._pve_get_ack_refusal(self.contact), "disabled")
        self.assertFalse(self.order._pve_can_acknowledge(self.contact))
        with self.assertRaisesRegex(UserError, "disabled"):
            self.order._pve_acknowledge(self.contact)
        self.assertFalse(self.order.pve_acknowledged_date)

    def test_acknowledge_refused_outside_the_vendor(self) -> None:
        """Another vendor's contact, an internal user or the public cannot acknowledge; the vendor itself can."""
        buyer = new_test_user(self.env, login="pve_buyer", groups="purchase.group_purchase_user")
        for partner in (self.other_vendor_user.partner_id, buyer.partner_id):
            with self.subTest(partner=partner.name):
                self.assertEqual(self.order._pve_get_ack_refusal(partner), "not_vendor")
                self.assertFalse(self.order._pve_can_acknowledge(partner))
                with self.assertRaisesRegex(UserError, "Only PVE Supplies Inc can acknowledge"):
                    self.order._pve_acknowledge(partner)
        self.assertFalse(self.order.pve_acknowledged_date)

        # Nor the public partner, whom an anonymous visitor of the order's link is.
        self.assertEqual(self.order._pve_get_ack_refusal(self.env.ref("base.public_partner")), "not_vendor")
        self.assertTrue(self.order._pve_acknowledge(self.vendor))

    def test_acknowledgement_not_copied(self) -> None:
        self.order._pve_acknowledge(self.contact)

        copy = self.order.copy()

        self.assertFalse(copy.pve_acknowledged_date)
        self.assertFalse(copy.pve_acknowledged_by_id)

    def test_not_acknowledged_filter(self) -> None:
        """The backend filter, in both purchase search views, lists confirmed orders not acknowledged yet."""
        other_order = self.order.copy()
        other_order.button_confirm()
        self.order._pve_acknowledge(self.contact)
        vendor_orders = self.env["purchase.order"].search([("partner_id", "=", self.vendor.id)])

        for view_xmlid in ("purchase.purchase_order_view_search", "purchase.view_purchase_order_filter"):
            with self.subTest(view=view_xmlid):
                arch = self.env["purchase.order"].get_view(self.env.ref(view_xmlid).id, "search")["arch"]
                (node,) = etree.fromstring(arch).xpath("//filter[@name='pve_not_acknowledged']")
                self.assertEqual(node.get("string"), "Not acknowledged by vendor")
                domain = ast.literal_eval(node.get("domain"))
                self.assertEqual(vendor_orders.filtered_domain(domain), other_order)

    def test_nobody_forges_an_acknowledgement(self) -> None:
        """Who acknowledged and when is what the vendor did: a buyer cannot write it, even as purchase manager."""
        buyer = new_test_user(self.env, login="pve_forger", groups="purchase.group_purchase_manager")
        with self.assertRaises(AccessError):
            self.order.with_user(buyer).write({"pve_acknowledged_date": datetime(2026, 3, 1, 8, 0)})
        with self.assertRaises(AccessError):
            self.order.with_user(buyer).write({"pve_acknowledged_by_id": self.contact.id})
        self.assertFalse(self.order.pve_acknowledged_date)
