from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        # EXTENDS base: Slack signs the raw body, which parsing the form consumes; routes marked slack_signed keep it
        # (cached by werkzeug, which then parses the form from the cache)
        if rule.endpoint.routing.get("slack_signed"):
            request.httprequest.get_data(cache=True)
        super()._pre_dispatch(rule, args)
