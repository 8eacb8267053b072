"""A tiny validator for tool input against the JSON Schema subset our Claude tools use.

Claude usually honours a tool's ``input_schema``, but nothing guarantees it: a reply cut short by ``max_tokens``,
a hallucinated key or a string where a number belongs all reach us as a well-formed ``tool_use`` block. Callers
act on that input (approve, route, score), so the seam rejects it before anyone trusts it.

Supported keywords, deliberately few and all at the top level of an ``object`` schema:

- ``required`` and ``additionalProperties: false``;
- per property: ``type`` (a name or a list of names), ``enum``, ``minimum``/``maximum``,
  ``exclusiveMinimum``/``exclusiveMaximum`` (numbers), ``minLength``/``maxLength`` (strings), and ``items.type``
  (arrays).

Anything else in the schema is ignored, which is safe: the check can only be looser than the schema, never
stricter. No third-party dependency (``jsonschema`` is not in Odoo's requirements).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["schema_errors"]

# JSON Schema type name -> Python check. bool is a subclass of int, hence the explicit exclusions.
_TYPE_CHECKS: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def _type_ok(value: object, expected: str | list[str] | None) -> bool:
    """Whether ``value`` matches a schema ``type``; unknown type names pass (looser, never stricter)."""
    if expected is None:
        return True
    names = [expected] if isinstance(expected, str) else list(expected)
    return any(name not in _TYPE_CHECKS or _TYPE_CHECKS[name](value) for name in names)


def _property_errors(name: str, value: object, spec: Mapping[str, Any]) -> list[str]:
    """Errors of one top-level property against its sub-schema."""
    expected = spec.get("type")
    if not _type_ok(value, expected):
        return [f"'{name}' must be of type {expected}, got {type(value).__name__}"]
    errors: list[str] = []
    if "enum" in spec and value not in spec["enum"]:
        errors.append(f"'{name}' must be one of {spec['enum']}, got {value!r}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in spec and value < spec["minimum"]:
            errors.append(f"'{name}' must be >= {spec['minimum']}, got {value}")
        if "maximum" in spec and value > spec["maximum"]:
            errors.append(f"'{name}' must be <= {spec['maximum']}, got {value}")
        if "exclusiveMinimum" in spec and value <= spec["exclusiveMinimum"]:
            errors.append(f"'{name}' must be > {spec['exclusiveMinimum']}, got {value}")
        if "exclusiveMaximum" in spec and value >= spec["exclusiveMaximum"]:
            errors.append(f"'{name}' must be < {spec['exclusiveMaximum']}, got {value}")
    if isinstance(value, str):
        if "minLength" in spec and len(value) < spec["minLength"]:
            errors.append(f"'{name}' must have at least {spec['minLength']} characters")
        if "maxLength" in spec and len(value) > spec["maxLength"]:
            errors.append(f"'{name}' must have at most {spec['maxLength']} characters")
    if isinstance(value, list) and isinstance(spec.get("items"), Mapping):
        item_type = spec["items"].get("type")
        bad = [i for i, item in enumerate(value) if not _type_ok(item, item_type)]
        if bad:
            errors.append(f"'{name}' items {bad} must be of type {item_type}")
    return errors


def schema_errors(instance: object, schema: Mapping[str, Any]) -> list[str]:
    """Check ``instance`` (a tool's ``input``) against ``schema`` (the tool's ``input_schema``).

    Returns a list rather than raising so the caller can report every problem in one error message, which is
    what a human needs when reading a failed job.

    :param instance: the decoded ``input`` of a ``tool_use`` block.
    :param schema: a JSON Schema whose top level is an ``object`` schema.
    :return: human-readable error strings; empty when the input is acceptable.
    """
    if not isinstance(instance, dict):
        return [f"tool input must be an object, got {type(instance).__name__}"]
    properties: Mapping[str, Any] = schema.get("properties") or {}
    errors = [f"missing required property '{key}'" for key in schema.get("required", ()) if key not in instance]
    if schema.get("additionalProperties") is False:
        errors += [f"unexpected property '{key}'" for key in instance if key not in properties]
    for key, value in instance.items():
        spec = properties.get(key)
        if isinstance(spec, Mapping):
            errors += _property_errors(key, value, spec)
    return errors
