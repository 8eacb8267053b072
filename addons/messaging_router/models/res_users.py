import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize

from ..tools import slack_client
from ..tools.slack_client import SlackError

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    messaging_slack_user_id = fields.Char(
        string="Slack User ID",
        copy=False,
        help="The user's Slack member ID (U...), found by e-mail from the settings; Slack messages for them go there "
        "and their clicks in Slack act as them in Odoo.",
    )

    # === BUSINESS ===================================================================================== #

    @api.model
    def _messaging_slack_sync_candidates(self):
        """The users *Sync Slack users* looks up: active internal users with an e-mail and no Slack user yet.

        Users already mapped are left alone, so an ID typed by hand (a Slack account under another address) is
        never overwritten, and a sync stopped by Slack's rate limit resumes where it stopped when run again.
        """
        domain = [("share", "=", False), ("email", "!=", False), ("messaging_slack_user_id", "=", False)]
        return self.search(domain, order="id")

    def _messaging_sync_slack_ids(self):
        """Look each of these users up in Slack by e-mail (``users.lookupByEmail``) and store their Slack user id.

        Runs synchronously, one Slack call per user, and stops at the first Slack error: after a 429 or a wrong
        token every further call would fail the same way. What was mapped before the error is kept (nothing is
        raised), and the users not looked up yet are counted so that the caller can say so. Users without a
        usable e-mail, and addresses no Slack member has, count as not found and keep their current value.

        A Slack user id is an identity (a click in Slack acts as the Odoo user holding it), so one already held by
        another user, archived ones included, is not given to a second one: two users sharing an e-mail address
        (anyone may change their own) are counted as ``conflicts`` and left for an administrator to sort out.

        :return: ``{"mapped": int, "not_found": int, "conflicts": int, "not_tried": int, "error": str | None}``;
            ``error`` is the Slack error's message, which the seam keeps free of the token.
        :raise AccessError: unless the user is a settings administrator (this writes every user's mapping).
        :raise UserError: when no Slack bot token is configured; Slack is not called then.
        """
        if not self.env.is_system():
            raise AccessError(self.env._("Only settings administrators can sync users with Slack."))
        params = self.env["ir.config_parameter"].sudo()
        token = params.get_param("messaging_router.slack_bot_token")
        if not token:
            raise UserError(
                self.env._("No Slack bot token is configured: enter it in Settings > Messaging > Slack first.")
            )
        base_url = params.get_param("messaging_router.slack_base_url") or None
        result = {"mapped": 0, "not_found": 0, "conflicts": 0, "not_tried": 0, "error": None}
        for index, user in enumerate(self):
            email = email_normalize(user.email or "")
            try:
                slack_user_id = slack_client.lookup_user_by_email(token, email, base_url=base_url) if email else None
            except SlackError as error:
                result["error"] = str(error)
                result["not_tried"] = len(self) - index
                break
            if not slack_user_id:
                result["not_found"] += 1
            elif self._messaging_slack_user_id_taken(slack_user_id, user):
                result["conflicts"] += 1
            else:
                user.messaging_slack_user_id = slack_user_id
                result["mapped"] += 1
        _logger.info(
            "Slack user sync by uid %s: %s mapped, %s not found, %s already taken, %s not tried%s",
            self.env.uid,
            result["mapped"],
            result["not_found"],
            result["conflicts"],
            result["not_tried"],
            f" ({result['error']})" if result["error"] else "",
        )
        return result

    def _messaging_slack_user_id_taken(self, slack_user_id, user):
        """Whether another user, active or not, already holds ``slack_user_id``."""
        return bool(
            # sudo: an existence check across companies, whose record rules would hide other companies' users
            self.sudo()
            .with_context(active_test=False)
            .search_count([("messaging_slack_user_id", "=", slack_user_id), ("id", "!=", user.id)], limit=1)
        )
