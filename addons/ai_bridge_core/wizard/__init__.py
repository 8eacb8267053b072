from . import ai_bridge_decision_review
