from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import HttpCaseWithUserDemo

from ..models.res_users import API_KEY_SCOPE
from .common import OvOutletApiCommon


@tagged("post_install", "-at_install")
class TestApiOutlet(OvOutletApiCommon, HttpCaseWithUserDemo):
    def test_outlet_nests_channel_partner_and_site_address(self):
        self.channel_north.write({"ref": "NCH", "email": "north@example.com"})
        self.site_ghent.write({"zip": "9000"})
        response = self.api("GET", f"/ov.outlet/{self.outlet_ghent.id}")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            response.json(),
            {
                "id": self.outlet_ghent.id,
                "code": "GNT",
                "name": "Ghent Store",
                "active": True,
                "channel_partner": {
                    "id": self.channel_north.id,
                    "name": "North Channel",
                    "ref": "NCH",
                    "email": "north@example.com",
                },
                "site": {
                    "id": self.site_ghent.id,
                    "name": "Ghent Site",
                    "address": {
                        "street": "Veldstraat 1",
                        "street2": None,
                        "zip": "9000",
                        "city": "Ghent",
                        "state": None,
                        "country": {"code": "BE", "name": "Belgium"},
                    },
                },
            },
        )

    def test_outlet_list_is_paginated_and_filtered(self):
        ours = self.outlet_ghent | self.outlet_ghent_kiosk | self.outlet_austin
        everything = self.api("GET", "/ov.outlet?limit=200").json()
        self.assertLessEqual(set(ours.ids), {item["id"] for item in everything["items"]})
        total = everything["total"]
        first = self.api("GET", "/ov.outlet?limit=2&offset=0").json()
        second = self.api("GET", "/ov.outlet?limit=2&offset=2").json()
        self.assertEqual((first["total"], first["limit"], first["offset"], len(first["items"])), (total, 2, 0, 2))
        self.assertEqual(second["total"], total)
        self.assertFalse({item["id"] for item in first["items"]} & {item["id"] for item in second["items"]})
        by_channel = self.api("GET", f"/ov.outlet?channel_partner_id={self.channel_north.id}").json()
        self.assertEqual({item["code"] for item in by_channel["items"]}, {"GNT", "GNT-K"})
        self.assertEqual(by_channel["total"], 2)
        by_code = self.api("GET", "/ov.outlet?code=AUS").json()
        self.assertEqual([item["id"] for item in by_code["items"]], self.outlet_austin.ids)

    def test_archived_outlet_is_listed_no_more_but_still_found_by_id(self):
        self.outlet_austin.active = False
        listed = self.api("GET", "/ov.outlet?limit=200").json()
        self.assertNotIn(self.outlet_austin.id, [item["id"] for item in listed["items"]])
        response = self.api("GET", f"/ov.outlet/{self.outlet_austin.id}")
        self.assertEqual((response.status_code, response.json()["active"]), (200, False))

    def test_unknown_and_other_company_outlets_are_not_found(self):
        other_company = self.env["res.company"].create({"name": "Other Outlets Co"})
        foreign = self.env["ov.outlet"].create(
            {
                "name": "Foreign Store",
                "code": "FRN",
                "company_id": other_company.id,
                "site_partner_id": self.env["res.partner"].create({"name": "Foreign Site"}).id,
            }
        )
        for outlet_id in (foreign.id, 999999):
            response = self.api("GET", f"/ov.outlet/{outlet_id}")
            self.assertEqual(response.status_code, 404, outlet_id)
            self.assertIn("No outlet", response.json()["detail"])
        self.assertNotIn(foreign.id, [item["id"] for item in self.api("GET", "/ov.outlet?limit=200").json()["items"]])

    def test_bad_query_parameters_answer_400_per_field(self):
        response = self.api("GET", "/ov.outlet?limit=0&offset=-1")
        self.assertEqual(response.status_code, 400)
        self.assertEqual({error["field"] for error in response.json()["detail"]}, {"limit", "offset"})
        response = self.api("GET", "/ov.outlet/abc")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["detail"][0]["field"], "outlet_id")

    def test_authentication(self):
        path = f"/ov.outlet/{self.outlet_ghent.id}"
        for label, key in (("no key", False), ("wrong key", "0" * 40), ("not hex", "not a key")):
            with self.subTest(label):
                response = self.api("GET", path, key=key)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.headers.get("WWW-Authenticate"), "Bearer")
                self.assertEqual(response.json(), {"detail": "A valid API key is required."})
        basic = self.api("GET", path, key=False, headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
        self.assertEqual(basic.status_code, 401)

    def test_revoked_expired_and_archived_keys_are_refused(self):
        path = f"/ov.outlet/{self.outlet_ghent.id}"
        key = self._new_api_key(self.api_user)
        self.assertEqual(self.api("GET", path, key=key).status_code, 200)
        self.env["res.users.apikeys"].search([("user_id", "=", self.api_user.id), ("name", "=", "test key")])[
            -1:
        ]._remove()
        self.assertEqual(self.api("GET", path, key=key).status_code, 401, "revoked")
        expired = self._new_api_key(self.api_user, expiration_date=datetime.now() - timedelta(days=1))
        self.assertEqual(self.api("GET", path, key=expired).status_code, 401, "expired")
        self.api_user.active = False
        self.assertEqual(self.api("GET", path).status_code, 401, "archived user")

    def test_keys_of_users_outside_the_api_group_are_forbidden(self):
        users = {
            "portal customer": new_test_user(self.env, login="api_portal", groups="base.group_portal"),
            "internal user": new_test_user(self.env, login="api_employee", groups="base.group_user"),
            "salesman": new_test_user(self.env, login="api_salesman", groups="sales_team.group_sale_salesman"),
            "sales and outlet manager": new_test_user(
                self.env, login="api_sales_manager", groups="sales_team.group_sale_manager"
            ),
            "administrator": self.env.ref("base.user_admin"),
        }
        for persona, user in users.items():
            for scope in (None, API_KEY_SCOPE):
                with self.subTest(persona=persona, scope=scope):
                    key = self._new_api_key(user, scope=scope)
                    response = self.api("GET", f"/ov.outlet/{self.outlet_ghent.id}", key=key)
                    self.assertEqual(response.status_code, 403)
                    self.assertIn("may not use the integration API", response.json()["detail"])

    def test_api_keys_do_not_open_json_rpc(self):
        response = self.opener.post(
            f"{self.base_url()}/jsonrpc",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [self.env.cr.dbname, self.api_user.id, self.api_key, "ov.outlet", "search_read", [[]]],
                },
            },
            timeout=30,
        )
        self.assertEqual(response.json()["error"]["data"]["name"], "odoo.exceptions.AccessDenied")

    def test_admin_makes_a_key_shown_once(self):
        integration = self.env.ref("ov_outlet.user_ov_outlet_api")
        action = integration.with_user(self.env.ref("base.user_admin")).action_ov_outlet_new_api_key()
        key = action["context"]["default_key"]
        response = self.api("GET", f"/ov.outlet/{self.outlet_ghent.id}", key=key)
        self.assertEqual(response.status_code, 200)
        salesman = new_test_user(self.env, login="api_keymaker", groups="sales_team.group_sale_manager")
        with self.assertRaises(AccessError):
            integration.with_user(salesman).action_ov_outlet_new_api_key()
        with self.assertRaises(UserError):
            salesman.with_user(self.env.ref("base.user_admin")).action_ov_outlet_new_api_key()
