from odoo import fields, models

from ..api_route import without_unused_validation_responses
from ..routers import API_ROUTERS


class FastapiEndpoint(models.Model):
    _inherit = "fastapi.endpoint"

    app = fields.Selection(selection_add=[("ov_outlet", "Outlet Integration API")], ondelete={"ov_outlet": "cascade"})

    def _get_fastapi_routers(self):
        # EXTENDS fastapi
        if self.app == "ov_outlet":
            return API_ROUTERS
        return super()._get_fastapi_routers()

    def _get_app(self):
        # EXTENDS fastapi
        app = super()._get_app()
        if self.app == "ov_outlet":
            without_unused_validation_responses(app)
        return app

    def _prepare_fastapi_app_params(self):
        # EXTENDS fastapi
        params = super()._prepare_fastapi_app_params()
        if self.app == "ov_outlet":
            params["version"] = "1.0.0"
        return params
