"""Every AI answer carries a confidence and a reasoning next to the task's own output."""

from typing import Any

ANSWER_FIELDS = {
    "confidence": {
        "type": "number",
        "minimum": 0,
        "maximum": 1,
        "description": "How sure you are that this output is right, from 0 (guess) to 1 (certain).",
    },
    "reasoning": {"type": "string", "description": "One to three sentences a reviewer can check quickly."},
}


def with_answer_fields(schema: dict[str, Any] | None) -> dict[str, Any]:
    """The task's output schema plus the required `confidence` and `reasoning` properties."""
    schema = dict(schema or {"type": "object", "properties": {}})
    schema["type"] = "object"
    schema["properties"] = {**schema.get("properties", {}), **ANSWER_FIELDS}
    schema["required"] = sorted(set(schema.get("required", [])) | set(ANSWER_FIELDS))
    return schema


def split_answer(tool_input: dict[str, Any]) -> tuple[dict[str, Any], float, str]:
    """Separate the task's output from the confidence and reasoning of an answer."""
    output = {key: value for key, value in tool_input.items() if key not in ANSWER_FIELDS}
    return output, float(tool_input.get("confidence", 0.0)), str(tool_input.get("reasoning", ""))
