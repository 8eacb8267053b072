"""The suite's Python requirements co-install with Odoo 18's own: pip finds no conflict that involves them."""

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

import odoo

ROOT = Path(__file__).resolve().parent.parent
ODOO_REQUIREMENTS = Path(odoo.__file__).resolve().parent.parent / "requirements.txt"


def requirements(path: Path) -> list[Requirement]:
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return [Requirement(line) for line in lines if line]


def names(reqs: list[Requirement]) -> set[str]:
    return {re.sub(r"[-_.]+", "-", req.name).lower() for req in reqs}


def with_dependencies(roots: set[str]) -> set[str]:
    """`roots` and everything they need, transitively, as installed here."""
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            needs = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in needs:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.extend(names([req]))
    return seen


def test_installed_versions_satisfy_the_suite_requirements():
    for req in requirements(ROOT / "requirements.txt") + requirements(ROOT / "test-requirements.txt"):
        assert req.specifier.contains(metadata.version(req.name), prereleases=True), f"{req} is not installed"


def test_pip_check_finds_no_conflict_of_the_suite_or_of_odoo():
    ours = names(requirements(ROOT / "requirements.txt") + requirements(ROOT / "test-requirements.txt"))
    if ODOO_REQUIREMENTS.exists():
        ours |= {
            name
            for req in requirements(ODOO_REQUIREMENTS)
            if req.marker is None or req.marker.evaluate()
            for name in names([req])
        }
    report = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False).stdout
    ours = with_dependencies(ours)
    # "flask 3.1.3 has requirement werkzeug>=3.1.0, ..." concerns the package named first: only ours count
    conflicts = [line for line in report.splitlines() if re.sub(r"[-_.]+", "-", line.split(" ")[0]).lower() in ours]
    assert conflicts == []
