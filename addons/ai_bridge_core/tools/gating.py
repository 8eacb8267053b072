"""Confidence gating: what happens to an AI answer, from its confidence and the task's two thresholds."""

AUTO_APPLY = "auto_apply"
ASK_HUMAN = "ask_human"
LOG_ONLY = "log_only"

DEFAULT_AUTO_THRESHOLD = 0.95
DEFAULT_APPROVAL_THRESHOLD = 0.85


def gate(confidence: float, auto_threshold: float, approval_threshold: float) -> str:
    """Return AUTO_APPLY at or above `auto_threshold`, ASK_HUMAN at or above `approval_threshold`, else LOG_ONLY.

    Both bounds are inclusive (0.95 applies, 0.85 asks), so a threshold set to 1.0 still lets a certain answer
    through, and a confidence outside [0, 1] is clamped rather than trusted.

    :param confidence: the answer's confidence, 0 to 1
    :param auto_threshold: lowest confidence applied without a human
    :param approval_threshold: lowest confidence worth a human's time
    :return: one of AUTO_APPLY, ASK_HUMAN, LOG_ONLY
    """
    if approval_threshold > auto_threshold:
        raise ValueError("the approval threshold cannot exceed the auto-apply threshold")
    confidence = min(max(confidence, 0.0), 1.0)
    if confidence >= auto_threshold:
        return AUTO_APPLY
    if confidence >= approval_threshold:
        return ASK_HUMAN
    return LOG_ONLY
