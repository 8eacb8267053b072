from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import HttpCaseWithUserDemo

from .common import OvOutletApiCommon


@tagged("post_install", "-at_install")
class TestApiSaleOrder(OvOutletApiCommon, HttpCaseWithUserDemo):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"customer_rank": 1, "email": "customer@example.com"})
        cls.product.write({"default_code": "WID", "taxes_id": [Command.clear()]})
        cls.gadget = cls.env["product.product"].create(
            {"name": "Outlet Gadget", "default_code": "GDG", "list_price": 50.0, "taxes_id": [Command.clear()]}
        )
        cls.not_for_sale = cls.env["product.product"].create({"name": "Spare Part", "sale_ok": False})
        cls.other_company = cls.env["res.company"].create({"name": "Other Orders Co"})

    def _orders(self):
        return self.env["sale.order"].search([("create_uid", "=", self.api_user.id)])

    def _create(self, key=None, headers=None, **body):
        return self.api("POST", "/sale.order", json={"customer_id": self.customer.id, **body}, key=key, headers=headers)

    def _draft(self, **body):
        response = self._create(lines=[{"product_id": self.product.id, "quantity": 2}], **body)
        self.assertEqual(response.status_code, 201, response.text)
        return self.env["sale.order"].browse(response.json()["id"])

    def _foreign_orders(self):
        salesman = new_test_user(self.env, login="api_orders_salesman", groups="sales_team.group_sale_salesman")
        other_api_user = self.api_user.copy({"login": "other_sales_app"})
        lines = [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]
        return {
            "salesman": self.env["sale.order"]
            .with_user(salesman)
            .create({"partner_id": self.customer.id, "order_line": lines}),
            "other API user": self.env["sale.order"]
            .with_user(other_api_user)
            .create({"partner_id": self.customer.id, "order_line": lines}),
            # created by this very API user, but in a company its key does not work in
            "other company": self.env["sale.order"]
            .with_user(self.api_user)
            .sudo()
            .with_company(self.other_company)
            .create({"partner_id": self.customer.id, "company_id": self.other_company.id}),
        }

    # === CREATE / GET ===#
    def test_create_quotation_with_lines_then_read_it(self):
        response = self._create(
            outlet_id=self.outlet_ghent.id,
            sales_rep_id=self.rep_anna.id,
            client_order_ref="APP-1",
            note="Deliver before noon",
            lines=[
                {"product_id": self.product.id, "quantity": 2},
                {"product_id": self.gadget.id, "quantity": 1, "price_unit": 80, "discount": 10},
            ],
        )
        self.assertEqual(response.status_code, 201, response.text)
        body = response.json()
        order = self.env["sale.order"].browse(body["id"])
        self.assertEqual((order.state, order.create_uid, order.partner_id), ("draft", self.api_user, self.customer))
        self.assertEqual(body["name"], order.name)
        self.assertEqual(body["state"], "draft")
        self.assertEqual(
            body["customer"], {"id": self.customer.id, "name": "Outlet Customer", "email": "customer@example.com"}
        )
        self.assertEqual(body["outlet"], {"id": self.outlet_ghent.id, "code": "GNT", "name": "Ghent Store"})
        self.assertEqual(body["channel_partner"]["id"], self.channel_north.id, "the outlet's channel partner")
        self.assertEqual(body["sales_rep"]["id"], self.rep_anna.id)
        self.assertEqual(body["pricelist"]["id"], order.pricelist_id.id)
        self.assertEqual(body["currency"], order.currency_id.name)
        self.assertEqual((body["note"], body["client_order_ref"]), ("Deliver before noon", "APP-1"))
        self.assertRegex(body["date_order"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|\+00:00)$")
        lines = [
            (line["product"]["default_code"], line["quantity"], line["uom"], line["price_unit"], line["discount"])
            for line in body["lines"]
        ]
        self.assertEqual(lines, [("WID", 2.0, "Units", 100.0, 0.0), ("GDG", 1.0, "Units", 80.0, 10.0)])
        self.assertEqual([line["price_subtotal"] for line in body["lines"]], [200.0, 72.0])
        self.assertEqual((body["amount_untaxed"], body["amount_tax"], body["amount_total"]), (272.0, 0.0, 272.0))
        again = self.api("GET", f"/sale.order/{order.id}")
        self.assertEqual((again.status_code, again.json()), (200, body))

    def test_explicit_channel_partner_and_no_lines(self):
        response = self._create(outlet_id=self.outlet_ghent.id, channel_partner_id=self.channel_south.id)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(
            (response.json()["channel_partner"]["id"], response.json()["lines"]), (self.channel_south.id, [])
        )

    def test_unknown_references_answer_400_by_field_and_create_nothing(self):
        not_a_customer = self.env["res.partner"].create({"name": "Somebody Else"})
        foreign_outlet = self.env["ov.outlet"].create(
            {
                "name": "Foreign Store",
                "code": "FRN",
                "company_id": self.other_company.id,
                "site_partner_id": self.env["res.partner"].create({"name": "Foreign Site"}).id,
            }
        )
        cases = {
            "customer_id": {"customer_id": not_a_customer.id},
            "outlet_id": {"outlet_id": foreign_outlet.id},
            "channel_partner_id": {"channel_partner_id": self.customer.id},
            "sales_rep_id": {"sales_rep_id": self.customer.id},
            "pricelist_id": {"pricelist_id": 999999},
            "lines.1.product_id": {
                "lines": [
                    {"product_id": self.product.id, "quantity": 1},
                    {"product_id": self.not_for_sale.id, "quantity": 1},
                ]
            },
        }
        for field, body in cases.items():
            with self.subTest(field):
                response = self._create(**body)
                self.assertEqual(response.status_code, 400, response.text)
                self.assertEqual([error["field"] for error in response.json()["detail"]], [field])
        foreign_customer = self.env["res.partner"].create(
            {"name": "Foreign Customer", "customer_rank": 1, "company_id": self.other_company.id}
        )
        response = self._create(customer_id=foreign_customer.id, pricelist_id=None, outlet_id=None)
        self.assertEqual([error["field"] for error in response.json()["detail"]], ["customer_id"])
        response = self._create(customer_id=999999, sales_rep_id=self.customer.id)
        self.assertEqual({error["field"] for error in response.json()["detail"]}, {"customer_id", "sales_rep_id"})
        self.assertIn("No customer 999999", response.text)
        self.assertFalse(self._orders())

    def test_bad_bodies_answer_400_by_field(self):
        product = self.product.id
        cases = {
            "customer_id": {"lines": []},
            "colour": {"customer_id": self.customer.id, "colour": "red"},
            "lines.0.quantity": {"customer_id": self.customer.id, "lines": [{"product_id": product, "quantity": -1}]},
            "lines.0.discount": {
                "customer_id": self.customer.id,
                "lines": [{"product_id": product, "quantity": 1, "discount": 150}],
            },
            "lines.0.product_id": {"customer_id": self.customer.id, "lines": [{"product_id": "abc", "quantity": 1}]},
            "lines": {"customer_id": self.customer.id, "lines": {"product_id": product}},
        }
        for field, body in cases.items():
            with self.subTest(field):
                response = self.api("POST", "/sale.order", json=body)
                self.assertEqual(response.status_code, 400, response.text)
                self.assertIn(field, [error["field"] for error in response.json()["detail"]])
        for _attempt in range(10):  # it once raced the WSGI bridge into a 500, one request in three
            malformed = self.api(
                "POST", "/sale.order", data=b'{"customer_id": ', headers={"Content-Type": "application/json"}
            )
            self.assertEqual(malformed.status_code, 400, malformed.text)
            self.assertEqual(malformed.json()["detail"][0]["field"], "body")
        self.assertFalse(self._orders())

    def test_keys(self):
        for key in (False, "0" * 40):
            self.assertEqual(self._create(key=key).status_code, 401)
        key = self._new_api_key(self.api_user)
        self.env["res.users.apikeys"].search([("user_id", "=", self.api_user.id)])._remove()
        self.assertEqual(self._create(key=key).status_code, 401, "revoked")
        self.assertFalse(self._orders())

    def test_keys_of_other_users_are_forbidden(self):
        order = self._draft()
        users = {
            "portal customer": new_test_user(self.env, login="api_o_portal", groups="base.group_portal"),
            "vendor": new_test_user(self.env, login="api_o_vendor", groups="base.group_portal"),
            "internal": new_test_user(self.env, login="api_o_internal", groups="base.group_user"),
            "salesman": new_test_user(self.env, login="api_o_sales", groups="sales_team.group_sale_salesman"),
        }
        for label, user in users.items():
            key = self._new_api_key(user, scope=None)
            for method, path in (
                ("POST", "/sale.order"),
                ("GET", f"/sale.order/{order.id}"),
                ("PATCH", f"/sale.order/{order.id}"),
                ("POST", f"/sale.order/{order.id}/lines"),
                ("POST", f"/sale.order/{order.id}/confirm"),
            ):
                with self.subTest(user=label, route=f"{method} {path}"):
                    json = {"customer_id": self.customer.id} if path == "/sale.order" else {}
                    response = self.api(method, path, json=json, key=key)
                    self.assertEqual(response.status_code, 403, response.text)
        self.assertEqual(order.state, "draft")
        self.assertEqual(len(self._orders()), 1)

    # === FOREIGN ORDERS ===#
    def test_foreign_orders_are_not_found(self):
        for label, order in self._foreign_orders().items():
            for method, suffix, body in (
                ("GET", "", None),
                ("PATCH", "", {"note": "mine now"}),
                ("POST", "/lines", {"remove": order.order_line.ids}),
                ("POST", "/confirm", None),
            ):
                with self.subTest(order=label, route=f"{method} {suffix}"):
                    response = self.api(method, f"/sale.order/{order.id}{suffix}", json=body)
                    self.assertEqual(response.status_code, 404, response.text)
                    self.assertEqual(response.json(), {"detail": f"No sales order {order.id}."})
            self.assertEqual((order.state, order.note or False), ("draft", False))
            self.assertEqual(len(order.order_line), 0 if label == "other company" else 1)
        self.assertEqual(self.api("GET", "/sale.order/999999").status_code, 404)

    # === PATCH ===#
    def test_patch_changes_only_the_fields_given(self):
        order = self._draft(outlet_id=self.outlet_ghent.id, client_order_ref="APP-2", note="First")
        response = self.api(
            "PATCH",
            f"/sale.order/{order.id}",
            json={"outlet_id": self.outlet_austin.id, "sales_rep_id": self.rep_bruno.id},
        )
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(
            (body["outlet"]["code"], body["channel_partner"]["id"], body["sales_rep"]["id"]),
            ("AUS", self.channel_south.id, self.rep_bruno.id),
        )
        self.assertEqual((body["client_order_ref"], body["note"], len(body["lines"])), ("APP-2", "First", 1))
        response = self.api("PATCH", f"/sale.order/{order.id}", json={"sales_rep_id": None, "note": None})
        self.assertEqual((response.json()["sales_rep"], response.json()["note"]), (None, None))
        self.assertFalse(order.x_sales_rep_id)

    def test_patch_of_the_pricelist_reprices_the_lines(self):
        order = self._draft()
        self.assertEqual(order.order_line.price_unit, self.product.list_price)
        discounted = self.env["product.pricelist"].create(
            {
                "name": "Outlet Promotion",
                "currency_id": order.currency_id.id,
                "item_ids": [Command.create({"compute_price": "fixed", "fixed_price": 7.0, "applied_on": "3_global"})],
            }
        )
        response = self.api("PATCH", f"/sale.order/{order.id}", json={"pricelist_id": discounted.id})
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual((body["pricelist"]["id"], body["lines"][0]["price_unit"]), (discounted.id, 7.0))
        self.assertEqual(body["amount_untaxed"], 14.0)

    def test_patch_refuses_bad_values_and_changes_nothing(self):
        order = self._draft(sales_rep_id=self.rep_anna.id)
        for body, field in (
            ({"sales_rep_id": self.customer.id, "note": "x"}, "sales_rep_id"),
            ({"customer_id": None}, "customer_id"),
            ({"state": "sale"}, "state"),
            ({"note": 5}, "note"),
        ):
            with self.subTest(field):
                response = self.api("PATCH", f"/sale.order/{order.id}", json=body)
                self.assertEqual(response.status_code, 400, response.text)
                self.assertEqual([error["field"] for error in response.json()["detail"]], [field])
        self.assertEqual((order.state, order.x_sales_rep_id, order.note or False), ("draft", self.rep_anna, False))

    # === LINES ===#
    def test_add_update_and_remove_lines(self):
        order = self._draft()
        first = order.order_line
        response = self.api(
            "POST",
            f"/sale.order/{order.id}/lines",
            json={"add": [{"product_id": self.gadget.id, "quantity": 3, "price_unit": 45}]},
        )
        self.assertEqual(response.status_code, 200, response.text)
        gadget_line = order.order_line - first
        self.assertEqual((gadget_line.product_uom_qty, gadget_line.price_unit), (3.0, 45.0))
        response = self.api(
            "POST",
            f"/sale.order/{order.id}/lines",
            json={"update": [{"id": gadget_line.id, "quantity": 4}, {"id": first.id, "discount": 50}]},
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual((gadget_line.product_uom_qty, gadget_line.price_unit), (4.0, 45.0), "a given price stays")
        self.assertEqual((first.product_uom_qty, first.discount), (2.0, 50.0))
        response = self.api("POST", f"/sale.order/{order.id}/lines", json={"remove": [first.id]})
        self.assertEqual([line["id"] for line in response.json()["lines"]], gadget_line.ids)
        self.assertEqual(response.json()["amount_untaxed"], 180.0)
        self.assertEqual(order.order_line, gadget_line)

    def test_line_ids_of_other_orders_answer_400_and_change_nothing(self):
        order, other = self._draft(), self._draft()
        response = self.api(
            "POST",
            f"/sale.order/{order.id}/lines",
            json={
                "add": [{"product_id": self.gadget.id, "quantity": 1}],
                "update": [{"id": other.order_line.id, "quantity": 9}],
                "remove": [other.order_line.id, order.order_line.id, order.order_line.id],
            },
        )
        self.assertEqual(response.status_code, 400, response.text)
        self.assertEqual(
            [error["field"] for error in response.json()["detail"]], ["update.0.id", "remove.0", "remove.2"]
        )
        self.assertEqual((len(order.order_line), order.order_line.product_uom_qty), (1, 2.0))
        self.assertEqual(other.order_line.product_uom_qty, 2.0)
        bad = self.api(
            "POST", f"/sale.order/{order.id}/lines", json={"update": [{"id": order.order_line.id, "quantity": 0}]}
        )
        self.assertEqual([error["field"] for error in bad.json()["detail"]], ["update.0.quantity"])

    # === CONFIRM ===#
    def test_confirm_runs_the_sales_workflow_once(self):
        order = self._draft(outlet_id=self.outlet_ghent.id)
        headers = {"Idempotency-Key": "confirm-1"}
        response = self.api("POST", f"/sale.order/{order.id}/confirm", headers=headers)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["state"], "sale")
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(order.picking_ids), 1, "delivered as any confirmed order")
        retry = self.api("POST", f"/sale.order/{order.id}/confirm", headers=headers)
        self.assertEqual((retry.status_code, retry.json()), (200, response.json()))
        again = self.api("POST", f"/sale.order/{order.id}/confirm")
        self.assertEqual(again.status_code, 409)
        self.assertIn("no longer a quotation", again.json()["detail"])
        self.assertEqual(len(order.picking_ids), 1)

    def test_confirm_creates_the_asset_system_delivery(self):
        if "ov.outlet.webhook.delivery" not in self.env:
            self.skipTest("needs the asset system webhooks (ov14-webhook)")
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("ov_outlet.asset_webhook_url", "http://127.0.0.1:9/never-called-here")
        params.set_param("ov_outlet.asset_webhook_secret", "secret-of-the-api-tests")
        order = self._draft(outlet_id=self.outlet_ghent.id)
        for _attempt in range(2):
            response = self.api("POST", f"/sale.order/{order.id}/confirm", headers={"Idempotency-Key": "confirm-wh"})
            self.assertEqual(response.status_code, 200, response.text)
        delivery = self.env["ov.outlet.webhook.delivery"].search([("order_id", "=", order.id)])
        self.assertEqual(len(delivery), 1, "one delivery, the retry got the first answer")
        self.assertEqual((delivery.state, delivery.idempotency_key), ("pending", f"sale.order/{order.id}/confirmed"))
        self.assertIn(order.name, delivery.payload)

    def test_confirm_without_lines_is_a_conflict(self):
        response = self._create()
        order = self.env["sale.order"].browse(response.json()["id"])
        response = self.api("POST", f"/sale.order/{order.id}/confirm")
        self.assertEqual(response.status_code, 409)
        self.assertIn("has no lines", response.json()["detail"])
        self.assertEqual(order.state, "draft")

    def test_confirmed_orders_cannot_be_changed(self):
        order = self._draft(note="Kept")
        self.assertEqual(self.api("POST", f"/sale.order/{order.id}/confirm").status_code, 200)
        line = order.order_line
        for method, suffix, body in (
            ("PATCH", "", {"note": "changed"}),
            ("POST", "/lines", {"add": [{"product_id": self.gadget.id, "quantity": 1}]}),
            ("POST", "/lines", {"update": [{"id": line.id, "quantity": 5}]}),
            ("POST", "/lines", {"remove": [line.id]}),
        ):
            with self.subTest(f"{method} {suffix} {body}"):
                response = self.api(method, f"/sale.order/{order.id}{suffix}", json=body)
                self.assertEqual(response.status_code, 409, response.text)
        self.env.invalidate_all()
        self.assertEqual((order.order_line, line.product_uom_qty, order.note), (line, 2.0, "<p>Kept</p>"))

    # === IDEMPOTENCY ===#
    def test_idempotent_creation(self):
        headers = {"Idempotency-Key": "order-1"}
        body = {"customer_id": self.customer.id, "lines": [{"product_id": self.product.id, "quantity": 1}]}
        first = self.api("POST", "/sale.order", json=body, headers=headers)
        second = self.api("POST", "/sale.order", json=body, headers=headers)
        self.assertEqual((first.status_code, second.status_code), (201, 201))
        self.assertEqual(first.json(), second.json())
        other = self.api("POST", "/sale.order", json={**body, "client_order_ref": "X"}, headers=headers)
        self.assertEqual(other.status_code, 409)
        self.assertEqual(len(self._orders()), 1)
        order = self._orders()
        lines_body = {"add": [{"product_id": self.gadget.id, "quantity": 1}]}
        headers = {"Idempotency-Key": "lines-1"}
        for _attempt in range(2):
            response = self.api("POST", f"/sale.order/{order.id}/lines", json=lines_body, headers=headers)
            self.assertEqual(response.status_code, 200)
        self.assertEqual(len(order.order_line), 2, "the retry added nothing")
