"""Suite-wide pytest policy: a skipped test is a failed run.

Odoo skips browser tours when Chromium is missing and pytest-odoo skips HttpCase without an HTTP server; here
neither may pass silently, so any skip turns the session red with one clear line.
"""

import pytest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.ensure_newline()
        reporter.write_line(f"FAILED: {len(skipped)} test(s) skipped; the suite runs every test.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
