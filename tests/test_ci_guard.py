"""Without an importable Odoo 18 and with its repository out of reach, CI and the README's commands stop at once
with one clear line (exit 2); they never run without Odoo."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def machine_without_odoo(tmp_path: Path) -> dict:
    """A `python3` first on PATH that runs this interpreter without site-packages, so `import odoo` fails, and an
    Odoo repository that does not exist."""
    shim = tmp_path / "python3"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    return {
        **os.environ,
        "PATH": f"{tmp_path}:{os.environ['PATH']}",
        "PYTHON": str(shim),
        "SUITE_VENV": str(tmp_path / "venv"),
        "ODOO_REPO_URL": str(tmp_path / "no-such-odoo.git"),
    }


@pytest.mark.parametrize("command", [".ci/run", "scripts/test", "scripts/serve"])
def test_fails_loudly_with_one_line(command: str, machine_without_odoo: dict):
    result = subprocess.run(
        [str(ROOT / command)], env=machine_without_odoo, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("FATAL: Odoo 18.0 is not importable by")
    assert "no-such-odoo.git" in lines[0] and "cannot be fetched" in lines[0]
    assert "setting it up in" in result.stdout
    assert not (Path(machine_without_odoo["SUITE_VENV"]) / "bin").exists(), "nothing half-installed"
