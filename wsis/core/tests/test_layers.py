"""The layer contract (`.importlinter`) holds, and no import between apps hides inside a function.

`make lint` runs `lint-imports` too; this test keeps the check in `make test` so that a change
cannot pass the suite while breaking the layers. An import inside a function is how a cycle between
apps hides from the contract, so every such import between two apps must be listed, with its
reason, among the contract's `ignore_imports`.
"""

import ast
import configparser
import re
import sys
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[3]
CONTRACT = ROOT / ".importlinter"


def _ignored_edges() -> list[tuple[str, str]]:
    parser = configparser.ConfigParser()
    parser.read(CONTRACT, encoding="utf-8")
    edges = []
    for section in parser.sections():
        for line in parser[section].get("ignore_imports", "").splitlines():
            line = line.split("#", 1)[0].strip()
            if "->" in line:
                importer, imported = (part.strip() for part in line.split("->"))
                edges.append((importer, imported))
    return edges


def _pattern_matches(pattern: str, module: str) -> bool:
    """import-linter's wildcards: `*` one segment, `**` any number of segments."""
    regex = ".*".join("[^.]*".join(re.escape(part) for part in chunk.split("*")) for chunk in pattern.split("**"))
    return re.fullmatch(regex, module) is not None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports_inside_functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).rsplit(".", 0 if path.name == "__init__.py" else 1)[0]
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                yield node.lineno, [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: resolve against the module's package
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    name = ".".join([*base, node.module] if node.module else base)
                else:
                    name = node.module or ""
                yield node.lineno, [name]


def in_function_imports_between_apps() -> list[str]:
    allowed = _ignored_edges()
    found = []
    for path in sorted((ROOT / "wsis").rglob("*.py")):
        relative = path.relative_to(ROOT).parts
        if "tests" in relative or "migrations" in relative:
            continue
        importer = _module_name(path)
        if importer == "wsis":
            continue
        own_app = importer.split(".")[1]
        for lineno, names in _imports_inside_functions(path):
            for name in names:
                parts = name.split(".")
                if len(parts) < 2 or parts[0] != "wsis" or parts[1] == own_app:
                    continue
                if any(_pattern_matches(a, importer) and _pattern_matches(b, name) for a, b in allowed):
                    continue
                found.append(f"{path.relative_to(ROOT)}:{lineno} imports {name} inside a function")
    return found


def test_the_layer_contract_holds():
    assert lint_imports(config_filename=str(CONTRACT), no_cache=True) == 0, (
        "lint-imports failed: run `.venv/bin/lint-imports` to see which import breaks which contract"
    )


def test_no_import_between_apps_hides_inside_a_function():
    assert in_function_imports_between_apps() == []


def test_the_check_sees_an_import_inside_a_function(tmp_path, monkeypatch):
    source = "def f():\n    from wsis.analytics.services import x\n    from . import models\n"
    module = tmp_path / "wsis" / "stocktaking" / "services.py"
    module.parent.mkdir(parents=True)
    module.write_text(source, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert list(_imports_inside_functions(module)) == [(2, ["wsis.analytics.services"]),
                                                        (3, ["wsis.stocktaking"])]
    assert _pattern_matches("wsis.*.tests.**", "wsis.taxonomy.tests.test_x")
    assert not _pattern_matches("wsis.reviews.services.*", "wsis.forum.services")
