"""Suite-wide pytest policy and set-up.

- A skipped test is a failed run: Odoo skips browser tours when Chromium is missing and pytest-odoo skips HttpCase
  without an HTTP server; here neither may pass silently, so any skip turns the session red with one clear line.
- No job runner in the test process: odoo.conf loads queue_job server-wide, and its runner would start with the
  test HTTP server and run jobs that tests commit, behind their backs. Tests run jobs themselves; the end-to-end
  tests of the job queue start their own runner against Odoo servers of their own.
- The HTTP server's static-file table is built before any browser test. Odoo builds it lazily by parsing every
  manifest with ast.literal_eval; Chromium's first parallel requests then parse in several server threads at once,
  which this CPython 3.11 does not always survive ("SystemError: AST constructor recursion depth mismatch", seen
  here on 3.11.7; see python/cpython#106905).
"""

import os

import pytest

os.environ["ODOO_QUEUE_JOB_CHANNELS"] = "root:0"  # read by queue_job before its runner would start


@pytest.fixture(scope="session", autouse=True)
def build_http_statics(load_http):
    import odoo.http  # imported once pytest-odoo has configured Odoo

    assert odoo.http.root.statics
    yield


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.ensure_newline()
        reporter.write_line(f"FAILED: {len(skipped)} test(s) skipped; the suite runs every test.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
