import json
import time

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.ai_bridge_core.tests.common import JsonRpcMixin
from odoo.addons.base.tests.common import HttpCaseWithUserDemo

from ..models.ov_outlet_webhook_delivery import PARAM_SECRET
from ..tools.webhook_signature import signed_headers
from .common import OvOutletApiCommon

SECRET = "usage-test-secret-7f3a"
PATH = "/subscription/usage_log"


@tagged("post_install", "-at_install")
class TestApiUsage(OvOutletApiCommon, JsonRpcMixin, HttpCaseWithUserDemo):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(PARAM_SECRET, SECRET)
        Product = cls.env["product.product"]
        cls.extra_swap = Product.create(
            {"name": "Extra Battery Swap", "type": "service", "invoice_policy": "delivery", "list_price": 5.0}
        )
        cls.subscription = Product.create(
            {
                "name": "Battery Subscription",
                "default_code": "BAT-SUB",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 30.0,
                "ov_usage_allowance": 10.0,
                "ov_usage_overage_product_id": cls.extra_swap.id,
            }
        )
        cls.salesman = new_test_user(cls.env, login="us_salesman", groups="sales_team.group_sale_salesman")
        cls.order = cls._subscription_order(user_id=cls.salesman.id)

    @classmethod
    def _subscription_order(cls, qty=2, confirm=True, **values):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create({"product_id": cls.subscription.id, "product_uom_qty": qty, "tax_id": False})
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _payload(self, event_id="evt-1", quantity=1.0, order=None, **values):
        return {
            "event_id": event_id,
            "order_reference": (order or self.order).name,
            "product_default_code": "BAT-SUB",
            "quantity": quantity,
            "occurred_at": "2026-01-05T10:00:00+01:00",
            **values,
        }

    def _post(self, payload=None, secret=SECRET, now=None, body=None, headers=None):
        """POST a usage event signed with `secret` at `now` (no API key); :return: the response"""
        body = json.dumps(payload).encode() if body is None else body
        signed = signed_headers(secret, body, now) if secret else {}
        return self.api(
            "POST",
            PATH,
            key=False,
            data=body,
            headers={"Content-Type": "application/json", **signed, **(headers or {})},
        )

    def _events(self, order=None):
        return self.env["ov.outlet.usage.event"].search([("order_id", "=", (order or self.order).id)])

    def _overage_lines(self, order=None):
        return (order or self.order).order_line.filtered(lambda line: line.product_id == self.extra_swap)

    def test_openapi_documents_the_signature_headers_and_the_body(self):
        operation = self.openapi()["paths"][PATH]["post"]
        self.assertNotIn("security", operation)
        self.assertLessEqual(
            {("X-OV-Timestamp", "header"), ("X-OV-Signature", "header")},
            {(p["name"], p["in"]) for p in operation["parameters"]},
        )
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        self.assertLessEqual({"event_id", "quantity", "occurred_at"}, set(schema["required"]))
        self.assertLessEqual({"200", "201", "400", "401", "404", "409"}, set(operation["responses"]))

    # --- signatures ------------------------------------------------------------------------------------------

    def test_unsigned_wrongly_signed_and_expired_requests_are_refused(self):
        body = json.dumps(self._payload()).encode()
        cases = {
            "missing": self._post(body=body, secret=None),
            "mismatch": self._post(body=body, secret="not-the-secret"),
            "expired": self._post(body=body, now=time.time() - 301),
            "malformed": self._post(body=body, secret=None, headers={"X-OV-Timestamp": "soon", "X-OV-Signature": "x"}),
            "bearer key only": self.api(
                "POST", PATH, data=body, headers={"Content-Type": "application/json"}
            ),  # the API user's key does not replace the signature
        }
        tampered_headers = signed_headers(SECRET, body)
        cases["tampered body"] = self._post(
            body=body.replace(b'"quantity": 1.0', b'"quantity": 9.0'), secret=None, headers=tampered_headers
        )
        for label, response in cases.items():
            with self.subTest(label):
                self.assertEqual(response.status_code, 401, response.text)
                detail = response.json()["detail"]
                self.assertTrue(detail.startswith("Signature "), detail)
                self.assertNotIn(SECRET, response.text)
        self.assertIn("expired", cases["expired"].json()["detail"])
        self.assertIn("mismatch", cases["tampered body"].json()["detail"])
        self.assertFalse(self._events())

    def test_no_secret_configured_refuses_everything(self):
        self.env["ir.config_parameter"].sudo().set_param(PARAM_SECRET, False)
        response = self._post(self._payload())
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self._events())

    def test_replayed_signature_is_refused(self):
        body = json.dumps(self._payload()).encode()
        headers = signed_headers(SECRET, body)
        self.assertEqual(self._post(body=body, secret=None, headers=headers).status_code, 201)
        replay = self._post(body=body, secret=None, headers=headers)
        self.assertEqual(replay.status_code, 409)
        self.assertIn("replay", replay.json()["detail"])
        self.assertEqual(len(self._events()), 1)

    def test_replayed_repeat_of_an_event_is_refused_too(self):
        self.assertEqual(self._post(self._payload()).status_code, 201)
        body = json.dumps(self._payload()).encode()
        headers = signed_headers(SECRET, body, now=time.time() + 1)  # the asset system's retry, freshly signed
        self.assertEqual(self._post(body=body, secret=None, headers=headers).status_code, 200)
        replay = self._post(body=body, secret=None, headers=headers)
        self.assertEqual(replay.status_code, 409)
        self.assertIn("replay", replay.json()["detail"])
        self.assertEqual(len(self._events()), 1)

    def test_accepted_signatures_are_forgotten_once_expired(self):
        SignedRequest = self.env["ov.outlet.signed.request"]
        self.assertTrue(SignedRequest._ov_accept("sha256=old"))
        self.assertTrue(SignedRequest._ov_accept("sha256=recent"))
        self.assertFalse(SignedRequest._ov_accept("sha256=recent"))
        self.env.cr.execute(
            "UPDATE ov_outlet_signed_request SET accepted_at = accepted_at - interval '11 minutes'"
            " WHERE signature = 'sha256=old'"
        )
        SignedRequest._gc_expired_signatures()
        remaining = SignedRequest.search([("signature", "in", ("sha256=old", "sha256=recent"))])
        self.assertEqual(remaining.mapped("signature"), ["sha256=recent"])

    def test_sessions_of_users_do_not_replace_the_signature(self):
        new_test_user(self.env, login="us_portal", groups="base.group_portal")
        new_test_user(self.env, login="us_vendor", groups="base.group_portal")
        new_test_user(self.env, login="us_internal", groups="base.group_user")
        body = json.dumps(self._payload()).encode()
        for login in (None, "us_portal", "us_vendor", "us_internal", "us_salesman", "admin"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                response = self._post(body=body, secret=None)
                self.assertEqual(response.status_code, 401)
        self.assertFalse(self._events())

    # --- idempotency -----------------------------------------------------------------------------------------

    def test_same_event_sent_again_answers_the_same_record(self):
        payload = self._payload(asset_ref="BAT-0042", note="Swap at Ghent")
        first = self._post(payload)
        self.assertEqual(first.status_code, 201, first.text)
        answer = first.json()
        self.assertEqual(answer["event_id"], "evt-1")
        self.assertEqual(answer["order"], {"id": self.order.id, "name": self.order.name})
        self.assertEqual(
            answer["product"], {"id": self.subscription.id, "default_code": "BAT-SUB", "name": "Battery Subscription"}
        )
        self.assertEqual((answer["total_used"], answer["allowance"], answer["over_allowance"]), (1.0, 20.0, 0.0))
        self.assertIsNone(answer["invoice_line_id"])
        self.assertEqual(answer["occurred_at"].replace("Z", "+00:00"), "2026-01-05T09:00:00+00:00")
        event = self._events()
        self.assertEqual((event.event_id, event.asset_ref, event.note), ("evt-1", "BAT-0042", "Swap at Ghent"))
        again = self._post(payload, now=time.time() + 1)  # freshly signed
        self.assertEqual(again.status_code, 200, again.text)
        self.assertEqual(again.json(), answer)
        by_ids = self._post(
            {
                **self._payload(),
                "order_reference": None,
                "order_id": self.order.id,
                "product_default_code": None,
                "product_id": self.subscription.id,
            },
            now=time.time() + 2,
        )
        self.assertEqual(by_ids.status_code, 200, by_ids.text)
        self.assertEqual(len(self._events()), 1)
        other = self._post(self._payload(quantity=2.0), now=time.time() + 3)
        self.assertEqual(other.status_code, 409)
        self.assertIn("already recorded", other.json()["detail"])
        self.assertEqual(self._events().quantity, 1.0)

    # --- allowance and billing -------------------------------------------------------------------------------

    def test_usage_beyond_the_allowance_creates_then_updates_one_line(self):
        lines_before = self.order.order_line
        within = self._post(self._payload("evt-a", 15))
        self.assertEqual(within.status_code, 201, within.text)
        self.assertEqual(within.json()["over_allowance"], 0.0)
        self.assertEqual(self.order.order_line, lines_before)
        crossing = self._post(self._payload("evt-b", 8)).json()
        self.assertEqual((crossing["total_used"], crossing["allowance"], crossing["over_allowance"]), (23, 20, 3))
        line = self._overage_lines()
        self.assertEqual(crossing["invoice_line_id"], line.id)
        self.assertEqual((line.qty_delivered, line.product_uom_qty, line.price_unit), (3.0, 0.0, 5.0))
        self.assertIn("Battery Subscription", line.name)
        beyond = self._post(self._payload("evt-c", 4)).json()
        self.assertEqual((beyond["over_allowance"], beyond["invoice_line_id"]), (7, line.id))
        self.assertEqual(self._overage_lines(), line, "one line, updated")
        self.assertEqual(line.qty_delivered, 7.0)
        events = {event.event_id: event for event in self._events()}
        self.assertEqual(
            [(events[key].over_allowance, events[key].sale_line_id) for key in ("evt-a", "evt-b", "evt-c")],
            [(0.0, self.env["sale.order.line"]), (3.0, line), (4.0, line)],
        )
        self.assertEqual(self.order.ov_usage_event_count, 3)
        self.assertIn("27.0 used of 20.0 included, 7.0 over", self.order.ov_usage_summary)
        # the subscription line itself is not an allowance: ordering more raises it
        self.assertEqual(self.order.order_line[0].product_id, self.subscription)

    def test_the_invoice_bills_the_overage(self):
        self._post(self._payload("evt-a", 23))
        invoice = self.order._create_invoices()
        billed = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.extra_swap)
        self.assertEqual((billed.quantity, billed.price_unit, billed.price_subtotal), (3.0, 5.0, 15.0))
        self.assertEqual(self._events().state, "billed")
        more = self._post(self._payload("evt-b", 2)).json()
        self.assertEqual(more["over_allowance"], 5)
        line = self._overage_lines()
        self.assertEqual((line.qty_delivered, line.qty_invoiced, line.qty_to_invoice), (5.0, 3.0, 2.0))
        self.assertEqual(self._events().filtered(lambda event: event.event_id == "evt-b").state, "recorded")
        second = self.order._create_invoices()
        self.assertEqual(second.invoice_line_ids.filtered(lambda l: l.product_id == self.extra_swap).quantity, 2.0)

    def test_overage_without_a_billing_service_is_recorded_not_billed(self):
        product = self.env["product.product"].create(
            {"name": "Charger Rental", "default_code": "CHG", "type": "consu", "ov_usage_allowance": 1.0}
        )
        self.order.write({"order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})]})
        answer = self._post(self._payload("evt-chg", 3, product_default_code="CHG")).json()
        self.assertEqual((answer["allowance"], answer["over_allowance"], answer["invoice_line_id"]), (1, 2, None))
        self.assertEqual(len(self.order.order_line), 2)

    def test_overage_product_must_be_a_delivered_service(self):
        with self.assertRaises(ValidationError):
            self.subscription.ov_usage_overage_product_id = self.product

    # --- orders and bad bodies -------------------------------------------------------------------------------

    def test_unknown_foreign_and_unconfirmed_orders(self):
        other_company = self.env["res.company"].create({"name": "Usage Other Co"})
        foreign = self._subscription_order(company_id=other_company.id, confirm=False)
        foreign.with_company(other_company).action_confirm()
        draft = self._subscription_order(confirm=False)
        cancelled = self._subscription_order()
        cancelled._action_cancel()
        cases = [
            ({"order_reference": "S-NOPE"}, 404),
            ({"order_reference": foreign.name}, 404),
            ({"order_reference": None, "order_id": foreign.id}, 404),
            ({"order_reference": None, "order_id": 999999}, 404),
            ({"order_reference": draft.name}, 409),
            ({"order_reference": cancelled.name}, 409),
        ]
        for number, (values, expected) in enumerate(cases):
            with self.subTest(values=values):
                response = self._post(self._payload(f"evt-o{number}", **values))
                self.assertEqual(response.status_code, expected, response.text)
        self.assertFalse(self.env["ov.outlet.usage.event"].search([("event_id", "like", "evt-o")]))
        self.assertIn("not confirmed", self._post(self._payload("evt-x", order=draft)).json()["detail"])

    def test_bad_bodies_answer_400_per_field(self):
        other_product = self.env["product.product"].create({"name": "Not Ordered", "default_code": "NOPE"})
        cases = [
            ({"quantity": -1}, {"quantity"}),
            ({"quantity": "many"}, {"quantity"}),
            ({"occurred_at": "2026-01-05T10:00:00"}, {"occurred_at"}),
            ({"occurred_at": "yesterday"}, {"occurred_at"}),
            ({"event_id": ""}, {"event_id"}),
            ({"colour": "blue"}, {"colour"}),
            ({"order_id": self.order.id}, {"order_id"}),
            ({"order_reference": None}, {"order_id"}),
            ({"product_default_code": None}, {"product_id"}),
            ({"product_default_code": "NOPE"}, {"product_default_code"}),
            ({"product_default_code": "UNKNOWN"}, {"product_default_code"}),
            ({"product_default_code": None, "product_id": other_product.id}, {"product_id"}),
        ]
        for values, fields in cases:
            with self.subTest(values=values):
                response = self._post(self._payload(**values))
                self.assertEqual(response.status_code, 400, response.text)
                self.assertEqual({error["field"] for error in response.json()["detail"]}, fields)
        missing = self._post({"event_id": "evt-m"})
        self.assertEqual(missing.status_code, 400)
        self.assertEqual({e["field"] for e in missing.json()["detail"]}, {"quantity", "occurred_at"})
        malformed = self._post(body=b'{"event_id": "evt-1",')
        self.assertEqual((malformed.status_code, malformed.json()["detail"][0]["field"]), (400, "body"))
        self.assertFalse(self._events())

    # --- access ----------------------------------------------------------------------------------------------

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_who_reads_usage_events(self):
        self._post(self._payload("evt-mine"))
        others = self._subscription_order(user_id=self.env.ref("base.user_admin").id)
        self._post(self._payload("evt-others", order=others))
        Event = self.env["ov.outlet.usage.event"]
        self.assertEqual(Event.with_user(self.salesman).search([]).mapped("event_id"), ["evt-mine"])
        manager = new_test_user(self.env, login="us_manager", groups="sales_team.group_sale_manager")
        self.assertEqual(len(Event.with_user(manager).search([("event_id", "like", "evt-")])), 2)
        self.assertEqual(self.order.with_user(self.salesman).ov_usage_event_count, 1)
        portal = new_test_user(self.env, login="us_portal2", groups="base.group_portal")
        internal = new_test_user(self.env, login="us_internal2", groups="base.group_user")
        for user in (portal, internal, self.api_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Event.with_user(user).search([])
                with self.assertRaises(AccessError):
                    Event.with_user(user).browse(self._events().id).read(["event_id"])
        for user in (self.salesman, manager):
            with self.assertRaises(AccessError):
                Event.with_user(user).browse(self._events().id).write({"quantity": 99})
            with self.assertRaises(AccessError):
                Event.with_user(user).browse(self._events().id).unlink()

    def test_portal_users_cannot_reach_usage_over_rpc(self):
        self._post(self._payload("evt-rpc"))
        event = self._events()
        new_test_user(self.env, login="us_portal3", password="us_portal3", groups="base.group_portal")
        self.customer.user_ids = self.env["res.users"].search([("login", "=", "us_portal3")])
        self.authenticate("us_portal3", "us_portal3")
        refused = [
            self.call_kw("ov.outlet.usage.event", "search_read", [[]], {"fields": ["event_id"]}),
            self.call_kw("ov.outlet.usage.event", "write", [event.ids, {"quantity": 99}]),
            self.call_kw("ov.outlet.usage.event", "create", [{"event_id": "forged", "quantity": 1}]),
            self.call_kw("sale.order", "read", [self.order.ids, ["ov_usage_event_ids", "ov_usage_summary"]]),
        ]
        for response in refused:
            self.assert_rpc_refused(response)
        self.assertEqual(event.quantity, 1.0)
        self.authenticate("us_salesman", "us_salesman")
        self.assertEqual(
            self.call_kw("ov.outlet.usage.event", "search_read", [[]], {"fields": ["event_id"]})["result"],
            [{"id": event.id, "event_id": "evt-rpc"}],
        )
