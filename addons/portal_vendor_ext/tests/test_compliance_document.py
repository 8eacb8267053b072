"""Compliance documents in the backend: approval and refusal, the daily cron (expiry and reminders, dates frozen)
and the flags on the vendor and its new purchase orders."""

import base64
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.portal_vendor_ext.models.pve_compliance_document import REMINDER_DAYS_PARAM

from .common import PortalVendorExtCommon

PDF = b"%PDF-1.4 compliance"


@tagged("post_install", "-at_install")
class TestComplianceDocument(PortalVendorExtCommon, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()
        env = cls.env
        cls.insurance = env.ref("portal_vendor_ext.pve_compliance_document_type_insurance")
        cls.iso = env.ref("portal_vendor_ext.pve_compliance_document_type_iso")
        cls.buyer = new_test_user(env, login="pve_cd_buyer", groups="purchase.group_purchase_user", name="Bea Buyer")
        cls.manager = new_test_user(env, login="pve_cd_mgr", groups="purchase.group_purchase_manager", name="Max Mgr")
        cls.vendor.buyer_id = cls.buyer
        env["ir.config_parameter"].sudo().set_param(REMINDER_DAYS_PARAM, "30")

    def _document(self, partner, doc_type, until, state="approved"):
        return self.env["pve.compliance.document"].create(
            {
                "partner_id": partner.id,
                "type_id": doc_type.id,
                "file": base64.b64encode(PDF),
                "file_name": "doc.pdf",
                "valid_from": date(2025, 1, 1),
                "valid_until": until,
                "state": state,
            }
        )

    def _deliveries(self):
        """:return: the reminders about this test's vendors' documents (not about demo data)"""
        return self.env["messaging.delivery"].search(
            [
                ("notification_type", "=", "vendor.compliance"),
                ("res_model", "=", "pve.compliance.document"),
                (
                    "res_id",
                    "in",
                    self.env["pve.compliance.document"]
                    .search([("partner_id", "in", (self.vendor | self.other_vendor).ids)])
                    .ids,
                ),
            ]
        )

    def test_document_of_a_contact_belongs_to_the_company(self):
        document = self._document(self.vendor_user.partner_id, self.iso, date(2027, 1, 1))
        self.assertEqual(document.partner_id, self.vendor)

    def test_approve_and_refuse_with_a_reason(self):
        document = self._document(self.vendor, self.insurance, date(2027, 1, 1), state="submitted")
        with self.assertRaisesRegex(UserError, "reason"):
            document.with_user(self.buyer).action_refuse()
        self.assertEqual(document.state, "submitted")
        document.with_user(self.buyer).write({"refuse_reason": "The policy number is unreadable"})
        document.with_user(self.buyer).action_refuse()
        self.assertEqual(document.state, "refused")
        self.assertTrue(self.findMessage(document, "The policy number is unreadable"))
        with self.assertRaises(UserError):
            document.action_approve()  # refused: the vendor uploads again first

        other = self._document(self.vendor, self.iso, date(2027, 1, 1), state="submitted")
        other.with_user(self.buyer).action_approve()
        self.assertEqual(other.state, "approved")

    def test_validity_ends_after_it_starts(self):
        with self.assertRaises(ValidationError):
            self._document(self.vendor, self.iso, date(2024, 1, 1))

    def test_cron_expires_and_flags_vendor_and_new_orders(self):
        with freeze_time("2026-01-05"):
            insurance = self._document(self.vendor, self.insurance, date(2026, 1, 10))
            iso = self._document(self.other_vendor, self.iso, date(2026, 1, 10))  # not mandatory
            self.env["pve.compliance.document"]._cron_check_expiry()
            self.assertEqual(insurance.state, "approved")
            self.assertFalse(self.vendor.pve_compliance_expired)
        with freeze_time("2026-01-11"):
            self.env["pve.compliance.document"]._cron_check_expiry()
            self.assertEqual((insurance.state, iso.state), ("expired", "expired"))
            self.assertTrue(insurance.message_ids.filtered(lambda m: "expired" in (m.body or "")))
            self.env.invalidate_all()
            self.assertTrue(self.vendor.pve_compliance_expired)
            self.assertTrue(self.vendor_user.partner_id.pve_compliance_expired)
            self.assertFalse(self.other_vendor.pve_compliance_expired, "an optional document does not flag")
            flagged = self.env["res.partner"].search([("pve_compliance_expired", "=", True)])
            self.assertIn(self.vendor, flagged)
            self.assertNotIn(self.other_vendor, flagged)
            new_order = self.env["purchase.order"].create({"partner_id": self.vendor.id})
            self.assertTrue(new_order.pve_compliance_expired)
            self.assertIn(new_order, self.env["purchase.order"].search([("pve_compliance_expired", "=", True)]))
            # A renewed, approved insurance lifts the flag.
            self._document(self.vendor, self.insurance, date(2027, 1, 10))
            self.env.invalidate_all()
            self.assertFalse(self.vendor.pve_compliance_expired)
            self.assertFalse(new_order.pve_compliance_expired)

    def test_cron_reminds_vendor_contacts_and_buyer_once(self):
        document = self._document(self.vendor, self.insurance, date(2026, 3, 1))
        with freeze_time("2026-01-15"):  # 45 days before: too early
            self.env["pve.compliance.document"]._cron_check_expiry()
            self.assertFalse(self._deliveries())
        with freeze_time("2026-02-05"):  # 24 days before
            self.env["pve.compliance.document"]._cron_check_expiry()
            deliveries = self._deliveries()
            self.assertEqual(set(deliveries.partner_id.ids), {self.vendor_user.partner_id.id, self.buyer.partner_id.id})
            self.assertTrue(all("2026-03-01" in subject for subject in deliveries.mapped("subject")))
            self.assertEqual(deliveries.mapped("res_id"), [document.id] * 2)
            self.assertEqual(document.reminder_sent_date, date(2026, 2, 5))
        with freeze_time("2026-02-06"):
            self.env["pve.compliance.document"]._cron_check_expiry()
            self.assertEqual(len(self._deliveries()), 2, "reminded once")

    def test_reminder_setting_and_managers_without_buyer(self):
        self.vendor.buyer_id = False
        self.env["ir.config_parameter"].sudo().set_param(REMINDER_DAYS_PARAM, "10")
        self._document(self.vendor, self.insurance, date(2026, 3, 1))
        with freeze_time("2026-02-05"):  # 24 days before: outside a 10-day period
            self.env["pve.compliance.document"]._cron_check_expiry()
            self.assertFalse(self._deliveries())
        with freeze_time("2026-02-25"):
            self.env["pve.compliance.document"]._cron_check_expiry()
            partners = self._deliveries().partner_id
            self.assertIn(self.manager.partner_id, partners)
            self.assertNotIn(self.buyer.partner_id, partners)
            self.assertIn(self.vendor_user.partner_id, partners)
