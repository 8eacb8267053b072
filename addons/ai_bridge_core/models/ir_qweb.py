import re

from odoo import models

PLAIN_FIELD_PATH = re.compile(r"object(\.[a-zA-Z][a-zA-Z0-9_]*)+")
# Set by ai.bridge.decision when it renders a prompt's record template. An object, not a flag: RPC contexts are
# JSON, so no request can switch this on for a mail template rendered elsewhere (and maybe as superuser).
PROMPT_RENDERING = object()
PROMPT_RENDERING_KEY = "ai_bridge_prompt_rendering"


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _is_expression_allowed(self, expression, model):
        # EXTENDS mail: prompts render with the asking user's own rights (record rules, field groups), so any plain
        # field path is as safe as that user reading the fields; anything richer still needs a template editor.
        if self.env.context.get(PROMPT_RENDERING_KEY) is PROMPT_RENDERING and PLAIN_FIELD_PATH.fullmatch(
            expression.strip()
        ):
            return True
        return super()._is_expression_allowed(expression, model)
