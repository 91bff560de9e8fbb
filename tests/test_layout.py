"""The floors of the README's Layout, read from the source: identity (people/) and the
catalogue import no capability built on them, and nothing below records/ or demo/ imports them."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "eventsapp"
CAPABILITIES = {"auth", "catalog", "people", "registration", "mail", "checkin", "surveys", "reports", "roster",
                "viewing", "pageviews"}
ABOVE = {"records", "demo"}


def imported_packages(package: str) -> dict[str, set[str]]:
    """eventsapp packages imported by each module of `package` (relative imports, at any depth)."""
    found: dict[str, set[str]] = {}
    for path in (PACKAGE / package).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 2:
                names |= {node.module.split(".")[0]} if node.module else {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("eventsapp."):
                names.add(node.module.split(".")[1])
        found[path.name] = names - {package}
    return found


def test_the_reader_sees_imports_of_every_kind():
    """The walker itself: records/ is known to import people, registration and surveys."""
    imports = set().union(*imported_packages("records").values())
    assert {"people", "registration", "surveys", "checkin"} <= imports


@pytest.mark.parametrize("package, forbidden", [
    ("people", (CAPABILITIES | ABOVE) - {"people"}),
    ("catalog", (CAPABILITIES | ABOVE) - {"catalog", "auth"}),
])
def test_a_lower_floor_imports_nothing_built_on_it(package, forbidden):
    offending = {module: names & forbidden for module, names in imported_packages(package).items() if names & forbidden}
    assert offending == {}


@pytest.mark.parametrize("package", sorted(CAPABILITIES))
def test_no_capability_imports_records_or_demo(package):
    offending = {module: names & ABOVE for module, names in imported_packages(package).items() if names & ABOVE}
    assert offending == {}


WRITES = {"commit", "add", "add_all", "delete", "flush"}


def route_modules() -> list[Path]:
    """Every module that declares a route (views, admin screens, API sections)."""
    return [path for path in PACKAGE.rglob("*.py") if ".route(" in path.read_text(encoding="utf-8")]


def writes_in(path: Path) -> list[str]:
    """Session writes (`….commit()`, `.add(` …) and audit records (`record(`) made in the module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in WRITES and "session" in ast.unparse(func.value):
            found.append(f"{path.name}:{node.lineno} {ast.unparse(func)}")
        elif isinstance(func, ast.Name) and func.id == "record":
            found.append(f"{path.name}:{node.lineno} record")
    return found


def test_the_reader_finds_the_route_modules_and_a_write():
    modules = {path.relative_to(PACKAGE).as_posix() for path in route_modules()}
    assert {"catalog/views.py", "roster/admin.py", "reports/yearly_views.py", "checkin/api.py"} <= modules
    found = [write.split(" ", 1)[1] for write in writes_in(PACKAGE / "roster" / "listing.py")]
    assert found == ["record", "session.commit"]  # log_export, the service the export views call


def test_views_parse_call_one_service_and_render_without_writing():
    """House rule: a view does not commit, add or delete rows, nor write the audit log; the
    service it calls does (docs/architecture.md, *Conventions*)."""
    offending = [write for path in route_modules() for write in writes_in(path)]
    assert offending == []


def test_test_files_have_names_of_their_own():
    """pytest imports test modules by their base name: two files of one name (one in
    tests/browser/) stop the whole run at collection."""
    names = [path.name for path in (PACKAGE.parent / "tests").rglob("test_*.py")]
    assert sorted({name for name in names if names.count(name) > 1}) == []
