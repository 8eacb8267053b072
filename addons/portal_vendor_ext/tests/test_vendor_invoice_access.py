"""Vendor invoice submissions tried from outside over JSON-RPC, as everyone who has a session: the vendor's portal
contact, another vendor's, a customer's portal contact, an employee without purchase or accounting rights, a
purchase manager who is not a settings administrator, and accounts payable. Each may do what its role allows."""

from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin

from .common import PortalVendorExtCommon

MODELS = ("pve.vendor.invoice", "pve.vendor.invoice.line", "pve.vendor.invoice.difference")
WRITES = {
    "pve.vendor.invoice": {"state": "approved"},
    "pve.vendor.invoice.line": {"unit_price": 1.0},
    "pve.vendor.invoice.difference": {"kind": "price"},
}


@tagged("post_install", "-at_install")
class TestVendorInvoiceAccess(PortalVendorExtCommon, JsonRpcMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ack_fixtures()
        env = cls.env
        customer = env["res.partner"].create({"name": "PVE Access Customer", "is_company": True})
        Submission = env["pve.vendor.invoice"]
        cls.mine, cls.theirs = Submission.create(
            [
                {
                    "partner_id": partner.id,
                    "file_name": f"{number}.pdf",
                    "invoice_number": number,
                    "state": "review",
                    "line_ids": [Command.create({"description": "Bolts", "quantity": 1.0, "unit_price": 2.0})],
                    "difference_ids": [Command.create({"kind": "low_confidence"})],
                }
                for partner, number in ((cls.vendor, "ACC-MINE"), (cls.other_vendor, "ACC-THEIRS"))
            ]
        )
        cls.personas = {
            "vendor": cls.vendor_user,
            "other vendor": cls.other_vendor_user,
            "customer": new_test_user(env, login="pve_acc_customer", groups="base.group_portal", parent_id=customer.id),
            "employee": new_test_user(env, login="pve_acc_employee", groups="base.group_user"),
            "purchase manager": new_test_user(env, login="pve_acc_buyer", groups="purchase.group_purchase_manager"),
            "accounts payable": new_test_user(env, login="pve_acc_payable", groups="account.group_account_invoice"),
        }

    def as_persona(self, who):
        user = self.personas[who]
        self.authenticate(user.login, user.login)

    def records_of(self, model):
        return {"pve.vendor.invoice": self.mine | self.theirs}.get(model) or (
            (self.mine | self.theirs).mapped("line_ids" if model.endswith(".line") else "difference_ids")
        )

    def test_who_reads_which_submissions(self):
        both = {"mine", "theirs"}
        expected = {
            "vendor": {"mine"},
            "other vendor": {"theirs"},
            "customer": set(),
            "purchase manager": both,
            "accounts payable": both,
        }
        names = {self.mine.id: "mine", self.theirs.id: "theirs"}
        for who, visible in expected.items():
            self.as_persona(who)
            for model in MODELS:
                with self.subTest(persona=who, model=model):
                    field = "id" if model == "pve.vendor.invoice" else "invoice_id"
                    response = self.call_kw(model, "search_read", [[(field, "in", (self.mine | self.theirs).ids)]])
                    self.assert_rpc_done(response)
                    found = {names[row[field] if field == "id" else row[field][0]] for row in response["result"]}
                    self.assertEqual(found, visible)
        self.as_persona("employee")
        for model in MODELS:
            with self.subTest(persona="employee", model=model):
                self.assert_rpc_refused(self.call_kw(model, "search_read", [[]]))

    def test_only_accounts_payable_change_submissions(self):
        for who in ("vendor", "other vendor", "customer", "employee", "purchase manager"):
            self.as_persona(who)
            for model in MODELS:
                records = self.records_of(model)
                with self.subTest(persona=who, model=model):
                    self.assert_rpc_refused(self.call_kw(model, "unlink", [records.ids]))
                    self.assert_rpc_refused(self.call_kw(model, "write", [records.ids, WRITES[model]]))
            with self.subTest(persona=who, model="pve.vendor.invoice", method="create"):
                self.assert_rpc_refused(
                    self.call_kw(
                        "pve.vendor.invoice",
                        "create",
                        [{"partner_id": self.vendor.id, "file_name": "x.pdf", "invoice_number": f"ACC-{who}"}],
                    )
                )
        self.assertEqual((self.mine | self.theirs).mapped("state"), ["review", "review"])
        self.as_persona("accounts payable")
        self.assert_rpc_done(self.call_kw("pve.vendor.invoice", "write", [self.mine.ids, {"invoice_number": "ACC-M2"}]))
        self.assertEqual(self.mine.invoice_number, "ACC-M2")
