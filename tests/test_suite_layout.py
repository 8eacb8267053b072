"""Every addon of the suite is a complete, installable Odoo 18 module laid out the same way."""

import ast
import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
SUITE = ("ai_bridge_core", "messaging_router", "portal_customer_ext", "portal_vendor_ext", "ov_outlet")
REQUIRED_KEYS = ("name", "summary", "version", "category", "license", "author", "website", "depends", "data")
# Allowed dependencies inside the suite: the AI layer is the base, the two portals never know each other.
SUITE_DEPENDS = {
    "ai_bridge_core": set(),
    "messaging_router": {"ai_bridge_core"},
    "portal_customer_ext": {"ai_bridge_core", "messaging_router"},
    "portal_vendor_ext": {"ai_bridge_core", "messaging_router"},
    # the integration API serves billing entities with the customer portal's implementation
    "ov_outlet": {"ai_bridge_core", "messaging_router", "portal_customer_ext"},
}


def manifest(module: str) -> dict:
    return ast.literal_eval((ADDONS / module / "__manifest__.py").read_text())


def test_the_suite_is_exactly_the_five_addons():
    assert sorted(p.name for p in ADDONS.iterdir() if (p / "__manifest__.py").exists()) == sorted(SUITE)


@pytest.mark.parametrize("module", SUITE)
def test_manifest_is_complete(module: str):
    values = manifest(module)
    assert [key for key in REQUIRED_KEYS if not values.get(key)] == []
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", values["version"])
    assert values["license"] == "LGPL-3"
    assert values.get("installable", True)
    assert "description" not in values, "the description lives in readme/"


@pytest.mark.parametrize("module", SUITE)
def test_declared_files_exist(module: str):
    values = manifest(module)
    path = ADDONS / module
    for name in values["data"] + values.get("demo", []):
        assert (path / name).is_file(), name
    for name in (
        "static/description/icon.png",
        "security/ir.model.access.csv",
        "readme/DESCRIPTION.md",
        "readme/USAGE.md",
        "README.md",
        f"i18n/{module}.pot",
    ):
        assert (path / name).is_file(), name
    assert values["data"].index("security/ir.model.access.csv") < min(
        i for i, name in enumerate(values["data"]) if name.startswith("views/")
    ), "access rights load before views"


@pytest.mark.parametrize("module", SUITE)
def test_every_test_file_is_imported(module: str):
    tests = ADDONS / module / "tests"
    imported = set(re.findall(r"^from \. import (\w+)", (tests / "__init__.py").read_text(), re.MULTILINE))
    files = {p.stem for p in tests.glob("test_*.py") if not p.stem.startswith("test_live_")}
    assert files, "every module carries tests"
    assert files == imported


@pytest.mark.parametrize("module", SUITE)
def test_dependencies_inside_the_suite(module: str):
    depends = set(manifest(module)["depends"])
    assert depends & set(SUITE) <= SUITE_DEPENDS[module]
    if module == "ai_bridge_core":
        assert depends <= {"base", "mail", "web", "queue_job"}, "the AI layer stays business-agnostic"


@pytest.mark.parametrize("module", SUITE)
def test_access_lines_follow_the_naming_convention(module: str):
    with open(ADDONS / module / "security" / "ir.model.access.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            assert row["id"].startswith("access_"), row["id"]


def test_only_the_seams_import_the_service_sdks():
    importers = {
        "anthropic": "ai_bridge_core/tools/anthropic_client.py",
        "slack_sdk": "messaging_router/tools/slack_client.py",
    }
    for sdk, seam in importers.items():
        pattern = re.compile(rf"^\s*(import {sdk}|from {sdk}[ .])", re.MULTILINE)
        offenders = [
            str(path.relative_to(ADDONS))
            for path in ADDONS.rglob("*.py")
            if pattern.search(path.read_text()) and str(path.relative_to(ADDONS)) != seam and "/tests/" not in str(path)
        ]
        assert offenders == [], f"{sdk} is imported outside its seam"
