"""The shape of the house (ARCHITECTURE.md), checked so that it stays true.

- The top level of `portal/` holds the app factory and folders only.
- `portal/domain/` is pure: no Flask, no database, no request.
- No feature package reaches into another's private helpers (a name or module that starts
  with an underscore): what one package offers another is public and named so.
"""

from __future__ import annotations

import ast
from pathlib import Path

from portal.core.config import PROJECT_ROOT

PORTAL = PROJECT_ROOT / "portal"
# Packages that hold other packages: a feature is one level further down in them.
CONTAINERS = {"answering"}


def python_files() -> list[Path]:
    return sorted(PORTAL.rglob("*.py"))


def package_of(parts: tuple[str, ...]) -> str:
    """The feature a module belongs to, from its dotted path below `portal`."""
    if parts and parts[0] in CONTAINERS and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0] if parts else ""


def imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []


def test_the_top_level_holds_the_app_factory_and_folders_only():
    loose = sorted(p.name for p in PORTAL.iterdir()
                   if p.is_file() and p.name != "__init__.py")
    assert loose == []
    factory = ast.parse((PORTAL / "__init__.py").read_text(encoding="utf-8"))
    public = [node.name for node in factory.body
              if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_")]
    assert public == ["create_app"]


def test_the_domain_is_pure():
    for path in sorted((PORTAL / "domain").rglob("*.py")):
        for lineno, module, _names in imports(path):
            top = module.split(".")[0]
            assert top not in {"flask", "flask_login", "flask_babel", "sqlalchemy", "jinja2"}, (
                f"{path.relative_to(PROJECT_ROOT)}:{lineno} imports {module}")
            if top == "portal":
                assert module.startswith("portal.domain"), (
                    f"{path.relative_to(PROJECT_ROOT)}:{lineno} imports {module}")


def test_no_package_uses_another_s_private_helpers():
    found = []
    for path in python_files():
        here = package_of(path.relative_to(PORTAL).with_suffix("").parts)
        for lineno, module, names in imports(path):
            parts = module.split(".")
            if parts[0] != "portal" or len(parts) < 2:
                continue
            there = package_of(tuple(parts[1:]))
            if there == here:
                continue
            private_module = any(p.startswith("_") for p in parts[1:])
            private_names = [n for n in names if n.startswith("_")]
            if private_module or private_names:
                found.append(f"{path.relative_to(PROJECT_ROOT)}:{lineno} {module} "
                             f"{', '.join(private_names or names)}")
    assert found == []


def test_the_checks_see_what_they_look_for(tmp_path):
    """The private-import rule recognises both kinds of reaching in."""
    sample = tmp_path / "sample.py"
    sample.write_text("from portal.auth.routes import _sign_in\n"
                      "from portal.models._types import x\n")
    seen = [(module, names) for _line, module, names in imports(sample)]
    assert seen == [("portal.auth.routes", ["_sign_in"]), ("portal.models._types", ["x"])]
    assert package_of(("answering", "mats", "store")) == "answering.mats"
    assert package_of(("events", "owner")) == "events"
