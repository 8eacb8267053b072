from odoo.tests import tagged

from odoo.addons.base.tests.common import HttpCaseWithUserDemo

from ..routers import API_ROUTERS
from .common import OvOutletApiCommon


@tagged("post_install", "-at_install")
class TestApiOpenApi(OvOutletApiCommon, HttpCaseWithUserDemo):
    def test_every_route_is_documented_with_its_answers(self):
        document = self.openapi()
        self.assertTrue(document["openapi"].startswith("3."))
        documented = {(method.upper(), path) for path, operations in document["paths"].items() for method in operations}
        routes = {(method, route.path) for router in API_ROUTERS for route in router.routes for method in route.methods}
        self.assertTrue(routes)
        self.assertEqual(documented, routes)
        for (method, path), operation in (
            ((method.upper(), path), operation)
            for path, operations in document["paths"].items()
            for method, operation in operations.items()
        ):
            with self.subTest(route=f"{method} {path}"):
                answers = set(operation["responses"])
                self.assertNotIn("422", answers, "input errors answer 400")
                self.assertIn("400", answers)
                self.assertTrue(answers & {"200", "201"}, answers)
                if path.startswith("/subscription/"):
                    continue  # signed by the asset system, no API key
                self.assertIn("401", answers)
                self.assertEqual(operation.get("security"), [{"HTTPBearer": []}])

    def test_documentation_pages_are_served(self):
        for path in ("/api/docs", "/api/redoc"):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 200, path)
            self.assertIn(b"/api/openapi.json", response.content)
