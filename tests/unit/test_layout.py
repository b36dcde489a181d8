"""The import rules of the layout (README, "Layout"), checked with ast over the source files."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SQLITE = ("sqlite3", "sqlite_utils")


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package.replace(".", "/")).rglob("*.py"))


def imports(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (function-level imports included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def offending(package: str, forbidden) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(package)
        for name in sorted(imports(path))
        if forbidden(name)
    ]


def under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("package", ["service.scoring", "schemas"])
def test_pure_packages_import_no_flask_and_no_store(package):
    assert not offending(
        package, lambda n: under(n, "flask", "flask_smorest", "service.store", *SQLITE)
    )


def test_schemas_import_nothing_from_service():
    assert not offending("schemas", lambda n: under(n, "service"))


def test_only_the_store_imports_sqlite():
    outside = [p for p in modules("service") if "store" not in p.relative_to(ROOT).parts]
    found = [
        f"{p.relative_to(ROOT)} imports {n}"
        for p in outside
        for n in imports(p)
        if under(n, *SQLITE)
    ]
    assert not found


def test_no_api_module_imports_another():
    found = []
    for path in modules("service.api"):
        if path.name == "__init__.py":
            continue
        own = f"service.api.{path.stem}"
        found += [
            f"{path.name} imports {n}"
            for n in imports(path)
            if under(n, "service.api") and not under(n, own)
        ]
    assert not found


def test_blueprints_define_no_schemas_and_register_no_renderers():
    """Thin blueprints: their schemas live in schemas/, their renderers in representations."""
    found = []
    for path in modules("service.api"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                getattr(base, "id", getattr(base, "attr", "")).endswith("Schema")
                for base in node.bases
            ):
                found.append(f"{path.name} defines {node.name}")
        found += [f"{path.name} imports {n}" for n in imports(path) if n.endswith(".renderer")]
    assert not found


@pytest.mark.parametrize("package", ["service.web", "service.ops", "service.representations"])
def test_only_the_app_factory_imports_the_blueprints(package):
    assert not offending(package, lambda n: under(n, "service.api"))


def test_only_config_reads_the_environment():
    found = []
    for path in [*modules("service"), *modules("schemas")]:
        text = path.read_text(encoding="utf-8")
        if path.name != "config.py" and ("os.environ" in text or "getenv" in text):
            found.append(str(path.relative_to(ROOT)))
    assert not found


def test_every_package_says_what_it_holds_and_may_import():
    for init in [*ROOT.glob("service/*/__init__.py"), ROOT / "schemas/__init__.py"]:
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "import" in doc.lower(), f"{init.relative_to(ROOT)}: say what it may import"
