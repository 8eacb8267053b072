import json
import logging

from odoo import _, http
from odoo.exceptions import UserError
from odoo.http import Response, request

from ..tools import slack_threads
from ..tools.slack_signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, SlackSignatureError, verify_request

_logger = logging.getLogger(__name__)


def slack_route(path):
    """A route Slack calls: a POST without session nor CSRF token (Slack signs it instead; ir.http keeps the raw
    body, which the signature covers)."""
    return http.route(
        path, type="http", auth="public", methods=["POST"], csrf=False, save_session=False, slack_signed=True
    )


class SlackController(http.Controller):
    @slack_route("/messaging/slack/interactivity")
    def slack_interactivity(self, payload=None, **_kwargs):
        """Slack's interactivity endpoint (button clicks). Answers within Slack's 3 seconds: the click is verified
        (signature, age, replay) and recorded here, and acted on in a job.

        :return: 200 (also for a replay, which changes nothing); 401 when the signature does not hold; 400 when
                 the payload is not Slack's JSON
        """
        refusal = self._verify()
        if refusal:
            return refusal
        signature = request.httprequest.headers.get(SIGNATURE_HEADER)
        Request = request.env["messaging.slack.request"].sudo()
        try:
            data = Request._payload_from_form(payload)
        except UserError as error:
            return Response(str(error), status=400, content_type="text/plain")
        Request._accept(signature, data.get("type") or "unknown", data)
        return Response(status=200)

    @slack_route("/messaging/slack/command")
    def slack_command(self, **form):
        """Slack's slash command endpoint (``/odoo ...``): verified and recorded here, answered from a job through
        the command's response_url; Slack shows the immediate answer to the user meanwhile.

        :return: 200 with an ephemeral "looking it up" message; 401 when the signature does not hold
        """
        refusal = self._verify()
        if refusal:
            return refusal
        fields = {key: form.get(key) for key in ("command", "text", "user_id", "channel_id", "team_id", "response_url")}
        request.env["messaging.slack.request"].sudo()._accept(
            request.httprequest.headers.get(SIGNATURE_HEADER), "slash_command", fields
        )
        answer = {"response_type": "ephemeral", "text": _("Looking it up in Odoo…")}
        return Response(json.dumps(answer), status=200, content_type="application/json")

    @slack_route("/messaging/slack/events")
    def slack_events(self, **_kwargs):
        """Slack's Events API endpoint (JSON), for replies in threads tied to records. ``url_verification`` gets
        its challenge back; a reply in a known thread is recorded and posted in the record's chatter by a job;
        anything else is acknowledged and dropped. Slack sends an event again (new signature, ``X-Slack-Retry-Num``)
        until it gets a 200 within 3 seconds: the event's ``event_id`` is accepted once.

        :return: 200 (also for a replay or a retry, which change nothing); 401 when the signature does not hold;
                 400 when the body is not a JSON object
        """
        refusal = self._verify()
        if refusal:
            return refusal
        try:
            data = json.loads(request.httprequest.get_data())
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return Response("The Slack event is not a JSON object.", status=400, content_type="text/plain")
        if data.get("type") == "url_verification":
            answer = {"challenge": data.get("challenge")}
            return Response(json.dumps(answer), status=200, content_type="application/json")
        reply = slack_threads.thread_reply(data.get("event")) if data.get("type") == "event_callback" else None
        if reply and request.env["messaging.slack.thread"]._find(reply.channel, reply.thread_ts):
            request.env["messaging.slack.request"].sudo()._accept(
                request.httprequest.headers.get(SIGNATURE_HEADER), "event_callback", data
            )
        return Response(status=200)

    def _verify(self):
        """None when the request is Slack's (signature and age hold), else the 401 answer to give."""
        httprequest = request.httprequest
        secret = request.env["ir.config_parameter"].sudo().get_param("messaging_router.slack_signing_secret") or ""
        try:
            verify_request(
                secret,
                httprequest.headers.get(TIMESTAMP_HEADER),
                httprequest.get_data(),
                httprequest.headers.get(SIGNATURE_HEADER),
            )
        except SlackSignatureError as error:
            _logger.warning("Slack request refused: %s", error.reason)
            return Response("invalid Slack signature", status=401, content_type="text/plain")
        return None
