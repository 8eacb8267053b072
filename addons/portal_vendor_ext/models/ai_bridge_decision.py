from odoo import models

from .pve_vendor_invoice import CLAUDE_TASK_CODE


class AiBridgeDecision(models.Model):
    _inherit = "ai.bridge.decision"

    # EXTENDS ai_bridge_core
    def _set_answer(self, output, confidence, reasoning):
        """A vendor invoice waiting for Claude's reading goes on once the answer is in, whatever the gate made of
        it: applied, awaiting approval, only logged, or failed to apply."""
        result = super()._set_answer(output, confidence, reasoning)
        if self.res_model == "pve.vendor.invoice" and self.task_id.code == CLAUDE_TASK_CODE:
            submission = self._get_record()
            if submission:
                submission._pve_after_claude_reading(self)
        return result
