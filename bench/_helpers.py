"""What the benchmarks share: the tests' helper modules (fake services, job runner), without the tests."""

import importlib
import importlib.util
import sys
import types
from pathlib import Path

ADDONS = Path(__file__).resolve().parent.parent / "addons"


def load(addon: str, name: str):
    """A helper module of an addon's tests, imported through a bare package over its tests folder: importing the
    real ``odoo.addons.<addon>.tests`` would run its __init__, the whole test suite and Odoo's test framework. Under
    that very name, so that the helpers' imports of each other (fake_slack imports local_server) resolve too."""
    package_name = f"odoo.addons.{addon}.tests"
    if package_name not in sys.modules:
        importlib.import_module(f"odoo.addons.{addon}")
        package = types.ModuleType(package_name)
        package.__path__ = [str(ADDONS / addon / "tests")]
        sys.modules[package_name] = package
    return importlib.import_module(f"{package_name}.{name}")


def plain_module(addon: str, relative_path: str, name: str):
    """A plain-Python file of an addon (no Odoo import), imported on its own under `name`: the addon's package would
    import Odoo and the ORM."""
    spec = importlib.util.spec_from_file_location(name, ADDONS / addon / relative_path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
