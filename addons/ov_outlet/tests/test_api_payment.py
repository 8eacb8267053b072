from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import HttpCaseWithUserDemo

from .common import OvOutletApiCommon


@tagged("post_install", "-at_install")
class TestApiPayment(OvOutletApiCommon, HttpCaseWithUserDemo):
    """POST /api/payment.transaction: payments the sales app took with its own provider, processed like Odoo's
    online payments (confirmation, automatic invoice, reconciliation); GET /api/payment.transaction/{id}."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env.ref("ov_outlet.payment_provider_ov_sales_app")
        cls.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", False)

    def _api_order(self, user=None, qty=2):
        """A quotation created by the API user (the sales app), with one line."""
        return (
            self.env["sale.order"]
            .with_user(user or self.api_user)
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "x_outlet_id": self.outlet_ghent.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": qty, "price_unit": 60.0})
                    ],
                }
            )
        )

    def _pay(self, order, status="done", reference="psp_1", amount=None, key=None, headers=None, **extra):
        body = {
            "sale_order_id": order.id,
            "amount": order.amount_total if amount is None else amount,
            "provider_reference": reference,
            "status": status,
            **extra,
        }
        return self.api("POST", "/payment.transaction", json=body, key=key, headers=headers)

    def _transactions(self, order):
        return self.env["payment.transaction"].search([("sale_order_ids", "in", order.ids)])

    def test_failed_payment_then_retry_then_success(self):
        order = self._api_order()
        total = order.amount_total
        failed = self._pay(order, status="error", reference="psp_fail", message="Card declined")
        self.assertEqual(failed.status_code, 201, failed.text)
        answer = failed.json()
        self.assertEqual(
            {key: answer[key] for key in ("state", "provider_reference", "amount", "currency", "message", "invoices")},
            {
                "state": "error",
                "provider_reference": "psp_fail",
                "amount": total,
                "currency": order.currency_id.name,
                "message": "Card declined",
                "invoices": [],
            },
        )
        self.assertEqual(answer["sale_order"], {"id": order.id, "name": order.name, "state": "draft"})
        self.assertRegex(answer["last_state_change"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$")
        self.assertEqual((order.state, len(order.order_line), order.x_outlet_id), ("draft", 1, self.outlet_ghent))
        self.assertFalse(self.env["payment.transaction"].browse(answer["id"]).payment_id)

        succeeded = self._pay(order, reference="psp_ok")
        self.assertEqual(succeeded.status_code, 201, succeeded.text)
        answer = succeeded.json()
        self.assertEqual(answer["state"], "done")
        self.assertEqual(answer["sale_order"]["state"], "sale")
        self.assertEqual(answer["invoices"], [], "automatic invoice is off")
        self.assertNotEqual(answer["reference"], failed.json()["reference"])
        self.assertEqual(order.state, "sale")
        transaction = self.env["payment.transaction"].browse(answer["id"])
        self.assertEqual(transaction.provider_id, self.provider)
        self.assertIn(transaction.payment_id.state, ("in_process", "paid"))
        self.assertEqual(transaction.payment_id.amount, total)
        self.assertEqual(transaction.payment_id.journal_id, self.provider.journal_id)
        self.assertEqual(len(self._transactions(order)), 2)

        fetched = self.api("GET", f"/payment.transaction/{answer['id']}")
        self.assertEqual(fetched.status_code, 200, fetched.text)
        self.assertEqual(fetched.json(), answer)

    def test_automatic_invoice_is_paid_by_the_payment(self):
        self.env["ir.config_parameter"].sudo().set_param("sale.automatic_invoice", True)
        order = self._api_order()
        response = self._pay(order)
        self.assertEqual(response.status_code, 201, response.text)
        answer = response.json()
        self.assertEqual(answer["sale_order"]["state"], "sale")
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.amount_total, order.amount_total)
        self.assertEqual(
            answer["invoices"],
            [{"id": invoice.id, "name": invoice.name, "state": "posted", "payment_state": invoice.payment_state}],
        )
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(invoice.amount_residual, 0.0)
        transaction = self.env["payment.transaction"].browse(answer["id"])
        self.assertEqual(transaction.payment_id.reconciled_invoice_ids, invoice)

    def test_wrong_amount_or_currency_is_refused_per_field(self):
        order = self._api_order()
        other_currency = "USD" if order.currency_id.name != "USD" else "EUR"
        for body, field in (
            ({"amount": order.amount_total - 1}, "amount"),
            ({"amount": order.amount_total + 1}, "amount"),
            ({"currency": other_currency}, "currency"),
        ):
            with self.subTest(body=body):
                response = self._pay(order, **body)
                self.assertEqual(response.status_code, 400, response.text)
                self.assertEqual([error["field"] for error in response.json()["detail"]], [field])
        same_currency = self._pay(order, currency=order.currency_id.name.lower())
        self.assertEqual(same_currency.status_code, 201, same_currency.text)
        self.assertEqual(order.state, "sale")

    def test_bad_bodies_answer_400_per_field(self):
        order = self._api_order()
        valid = {"sale_order_id": order.id, "amount": order.amount_total, "provider_reference": "p", "status": "done"}
        cases = (
            ({key: value for key, value in valid.items() if key != "sale_order_id"}, "sale_order_id"),
            ({key: value for key, value in valid.items() if key != "provider_reference"}, "provider_reference"),
            ({**valid, "amount": 0}, "amount"),
            ({**valid, "amount": -5}, "amount"),
            ({**valid, "amount": "lots"}, "amount"),
            ({**valid, "status": "paid"}, "status"),
            ({**valid, "currency": "EURO"}, "currency"),
            ({**valid, "provider_reference": ""}, "provider_reference"),
            ({**valid, "state": "done"}, "state"),
        )
        for body, field in cases:
            with self.subTest(field=field, body=body):
                response = self.api("POST", "/payment.transaction", json=body)
                self.assertEqual(response.status_code, 400, response.text)
                self.assertIn(field, [error["field"] for error in response.json()["detail"]])
        malformed = self.api(
            "POST", "/payment.transaction", data=b'{"sale_order_id": ', headers={"Content-Type": "application/json"}
        )
        self.assertEqual(malformed.status_code, 400, malformed.text)
        self.assertFalse(self._transactions(order))
        self.assertEqual(order.state, "draft")

    def test_foreign_and_unknown_orders_are_not_found(self):
        salesman = new_test_user(self.env, login="pay_salesman", groups="sales_team.group_sale_salesman")
        other_api_user = new_test_user(self.env, login="other_sales_app", groups="ov_outlet.group_ov_outlet_api")
        for label, order in (
            ("salesman", self._api_order(user=salesman)),
            ("other API user", self._api_order(user=other_api_user)),
        ):
            with self.subTest(order=label):
                response = self._pay(order)
                self.assertEqual(response.status_code, 404, response.text)
                self.assertEqual((order.state, self._transactions(order)), ("draft", self.env["payment.transaction"]))
        unknown = self.api(
            "POST",
            "/payment.transaction",
            json={"sale_order_id": 999999999, "amount": 1.0, "provider_reference": "x", "status": "done"},
        )
        self.assertEqual(unknown.status_code, 404, unknown.text)
        # a transaction of another API user is not found either
        theirs = self._pay(self._api_order(user=other_api_user), key=self._new_api_key(other_api_user))
        self.assertEqual(theirs.status_code, 201, theirs.text)
        self.assertEqual(self.api("GET", f"/payment.transaction/{theirs.json()['id']}").status_code, 404)
        self.assertEqual(self.api("GET", "/payment.transaction/999999999").status_code, 404)

    def test_confirmed_cancelled_and_paid_orders_take_no_new_payment(self):
        confirmed = self._api_order()
        confirmed.action_confirm()
        cancelled = self._api_order()
        cancelled.action_cancel()
        for order in (confirmed, cancelled):
            with self.subTest(state=order.state):
                response = self._pay(order)
                self.assertEqual(response.status_code, 409, response.text)
                self.assertFalse(self._transactions(order))
        paid = self._api_order()
        self.assertEqual(self._pay(paid, reference="psp_paid").status_code, 201)
        again = self._pay(paid, reference="psp_paid_twice")
        self.assertEqual(again.status_code, 409, again.text)
        self.assertEqual(len(self._transactions(paid)), 1)

    def test_a_provider_reference_is_recorded_once(self):
        order = self._api_order()
        self.assertEqual(self._pay(order, status="error", reference="psp_same").status_code, 201)
        response = self._pay(order, reference="psp_same")
        self.assertEqual(response.status_code, 409, response.text)
        self.assertIn("psp_same", response.json()["detail"])
        self.assertEqual(order.state, "draft")

    def test_idempotent_retries(self):
        order = self._api_order()
        headers = {"Idempotency-Key": "pay-1"}
        first = self._pay(order, headers=headers)
        self.assertEqual(first.status_code, 201, first.text)
        retry = self._pay(order, headers=headers)
        self.assertEqual(retry.status_code, 201, retry.text)
        self.assertEqual(retry.json(), first.json())
        self.assertEqual(len(self._transactions(order)), 1)
        other_body = self._pay(order, reference="psp_other", headers=headers)
        self.assertEqual(other_body.status_code, 409, other_body.text)
        self.assertEqual(len(self._transactions(order)), 1)

    def test_who_may_call(self):
        order = self._api_order()
        portal = new_test_user(self.env, login="pay_portal", groups="base.group_portal")
        internal = new_test_user(self.env, login="pay_internal", groups="base.group_user")
        salesman = new_test_user(self.env, login="pay_salesman_key", groups="sales_team.group_sale_salesman")
        self.assertEqual(self._pay(order, key=False).status_code, 401)
        self.assertEqual(self._pay(order, key="not-a-key").status_code, 401)
        for user in (portal, internal, salesman):
            with self.subTest(user=user.login):
                self.assertEqual(self._pay(order, key=self._new_api_key(user)).status_code, 403)
        self.assertEqual(self.api("GET", "/payment.transaction/1", key=False).status_code, 401)
        self.assertFalse(self._transactions(order))
        self.assertEqual(order.state, "draft")

    def test_the_sales_app_provider_is_never_offered_to_pay_online(self):
        self.assertEqual(self.provider.state, "enabled")
        order = self._api_order()
        for user in (self.env.ref("base.user_admin"), self.user_demo):
            with self.subTest(user=user.login):
                offered = (
                    self.env["payment.provider"]
                    .with_user(user)
                    .sudo()  # as the portal's payment form does
                    ._get_compatible_providers(
                        order.company_id.id, order.partner_id.id, order.amount_total, currency_id=order.currency_id.id
                    )
                )
                self.assertNotIn(self.provider, offered)
