"""Per-type message templates for Slack (Block Kit) and Teams (Adaptive Card), as JSON with ``{{placeholders}}``.

A template is the JSON Slack or Teams expects, written once per notification type by an administrator; each
``{{name}}`` inside a string is replaced by the notification's value. Values are substituted *after* the JSON
is parsed, into string leaves only: a subject holding quotes, braces or markup can neither break the JSON nor add
blocks. No Odoo import: the route validates templates with :func:`check_template` and the delivery renders them
with :func:`render_template`.
"""

from __future__ import annotations

import json
import re
from typing import Any

PLACEHOLDERS = ("subject", "body", "url", "record", "recipient", "type")
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

SLACK = "slack"
TEAMS = "teams"
# What Slack accepts in one text object of these blocks; longer texts fail the whole message (invalid_blocks).
SLACK_TEXT_LIMITS = {"header": 150, "section": 3000, "context": 3000}


class TemplateError(ValueError):
    """A template that cannot be used; the message says why, for the administrator who wrote it."""


def check_template(text: str, kind: str) -> Any:
    """Parse a template and check its shape; returns the parsed JSON.

    :param text: the template, JSON
    :param kind: :data:`SLACK` (a list of Block Kit blocks) or :data:`TEAMS` (an ``AdaptiveCard`` object)
    :raise TemplateError: not JSON, the wrong shape, or an unknown placeholder
    """
    try:
        template = json.loads(text)
    except ValueError as error:
        raise TemplateError(f"The template is not valid JSON: {error}") from None
    if kind == SLACK:
        if (
            not isinstance(template, list)
            or not template
            or not all(isinstance(block, dict) and isinstance(block.get("type"), str) for block in template)
        ):
            raise TemplateError('A Slack template is a JSON list of Block Kit blocks, each with a "type".')
    elif (
        not isinstance(template, dict)
        or template.get("type") != "AdaptiveCard"
        or not isinstance(template.get("body"), list)
    ):
        raise TemplateError('A Teams template is an Adaptive Card: an object with "type": "AdaptiveCard" and a "body".')
    unknown = sorted(set(_PLACEHOLDER.findall(text)) - set(PLACEHOLDERS))
    if unknown:
        raise TemplateError(f"Unknown placeholder(s): {', '.join(unknown)}. Available: {', '.join(PLACEHOLDERS)}.")
    return template


def render_template(text: str, kind: str, values: dict[str, str]) -> Any:
    """The template with its placeholders replaced by `values`.

    An element holding a ``url`` that renders empty (a notification without a link) is left out, since Slack and
    Teams refuse empty links; so does Slack for a block left without elements or text. Slack texts are cut to
    what each block accepts.

    :param values: a string for each name of :data:`PLACEHOLDERS` (missing ones render empty)
    :raise TemplateError: as :func:`check_template`
    """
    rendered = _substitute(check_template(text, kind), values)
    if kind == SLACK:
        kept = []
        for block in rendered:
            text_object = block.get("text")
            if block.get("elements") == [] or (isinstance(text_object, dict) and text_object.get("text") == ""):
                continue  # an actions block left without buttons, a header or section left without text
            limit = SLACK_TEXT_LIMITS.get(block.get("type"))
            if limit and isinstance(text_object, dict) and isinstance(text_object.get("text"), str):
                text_object["text"] = text_object["text"][:limit]
            kept.append(block)
        rendered = kept
    return rendered


def _substitute(node: Any, values: dict[str, str]) -> Any:
    if isinstance(node, str):
        return _PLACEHOLDER.sub(lambda match: str(values.get(match.group(1)) or ""), node)
    if isinstance(node, list):
        items = [_substitute(item, values) for item in node]
        return [item for item in items if not (isinstance(item, dict) and item.get("url") == "")]
    if isinstance(node, dict):
        return {key: _substitute(value, values) for key, value in node.items()}
    return node
