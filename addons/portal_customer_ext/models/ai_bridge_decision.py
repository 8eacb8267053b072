from odoo import models


class AiBridgeDecision(models.Model):
    _inherit = "ai.bridge.decision"

    # EXTENDS ai_bridge_core
    def _notify_awaiting_approval(self):
        """A product match of a quotation request waiting for approval is shown on its request line as a proposal,
        which the salesperson accepts in one click on the quotation."""
        for decision in self.filtered(lambda decision: decision.res_model == "pce.quotation.request.line"):
            line = decision._get_record()
            if line:
                line._pce_on_ai_proposal(decision)
        return super()._notify_awaiting_approval()
