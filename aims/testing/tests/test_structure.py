"""The house rules of ../shared/STYLE.md, read from the code's own imports.

Imports run down the floors, never up; `aims.core` imports nothing of aims; no two apps import
each other, directly or round a loop, and no two modules do; imports sit at the top of their
module (an import inside a function is how a cycle hides); the readers on the top floor read
other apps through their selectors, never their models; and runtime code never reaches for
test support. A new app must be given its floor here before it can land.
"""

from __future__ import annotations

import ast
import importlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import models

ROOT = Path(__file__).resolve().parents[2]  # the aims package

# From the ground up. An app may import apps on its own floor or below, never above.
FLOORS: list[tuple[str, set[str]]] = [
    ("core: base model, errors, paging, dates, rendering helpers", {"core"}),
    ("accounts: users and tokens", {"accounts"}),
    ("tenancy: organisations, memberships, roles, the request's context", {"orgs"}),
    # The catalog's pages are pages of an organisation (its requirement pages show the
    # organisation's own decisions), so the catalog stands on tenancy, beside the log.
    ("the activity log and the catalog", {"activity", "catalog"}),
    ("records: the write contract, numbering, record kinds and hooks; background jobs",
     {"records", "jobs"}),
    ("domains", {"inventory", "evidence", "compliance", "context", "risks", "tasks", "impact",
                 "objectives", "documents", "people", "suppliers", "improvement", "audits",
                 "members", "frameworks", "aiact", "findings", "integrations"}),
    ("judgement: readers of every domain", {"dashboard", "readiness", "reviews", "oscal",
                                             "exchange", "techfile"}),
    ("ops: the command line and the demo", {"cli", "ops", "demo"}),
    ("the web's map: URLs and navigation", {"web_urls", "navigation"}),
]
FLOOR_OF = {app: n for n, (_, apps) in enumerate(FLOORS) for app in apps}
DOMAINS = dict(FLOORS)["domains"]
JUDGEMENT = dict(FLOORS)["judgement: readers of every domain"]
# Packages of tests and test support: not part of the running product.
TEST_PACKAGES = {"testing", "e2e"}

# Upward imports and cycles allowed on purpose, each with its reason. Keep this empty.
ALLOWED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. aims.risks.services
    target: str  # the imported module, e.g. aims.compliance.services
    names: tuple[str, ...]
    line: int
    top_level: bool

    @property
    def app(self) -> str:
        return app_of(self.module)

    @property
    def target_app(self) -> str:
        return app_of(self.target)


def app_of(module: str) -> str:
    return module.split(".")[1]


def is_runtime(path: Path) -> bool:
    rel = path.relative_to(ROOT)
    return (rel.parts[0] not in TEST_PACKAGES and "tests" not in rel.parts
            and "migrations" not in rel.parts)


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[Import]:
    return imports_in(path.read_text(), module_name(path))


def imports_in(source: str, module: str) -> list[Import]:
    """The imports of aims modules in `source`, the text of `module`."""
    tree = ast.parse(source)
    found: list[Import] = []
    top_level = {id(node) for node in tree.body}

    def walk(node: ast.AST, inside_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = inside_function or isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            targets: list[tuple[str, tuple[str, ...], int]]
            if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                targets = [(child.module, tuple(a.name for a in child.names), child.lineno)]
            elif isinstance(child, ast.Import):
                targets = [(a.name, (), child.lineno) for a in child.names]
            else:
                targets = []
            for target, names, line in targets:
                if target.startswith("aims."):
                    found.append(Import(module, target, names, line,
                                        id(child) in top_level and not inside_function))
            walk(child, nested)

    walk(tree, False)
    return found


RUNTIME = sorted(p for p in ROOT.rglob("*.py") if is_runtime(p) and p != ROOT / "__init__.py")
IMPORTS = [imp for path in RUNTIME for imp in imports_of(path)]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_the_code():
    """A guard for the rest: the walk finds the apps and their imports."""
    assert len(RUNTIME) > 200
    assert {"core", "records", "risks", "dashboard"} <= {app_of(module_name(p)) for p in RUNTIME}
    assert any(i.target == "aims.records.writes" for i in IMPORTS)


def test_every_app_has_a_floor():
    apps = {app_of(module_name(p)) for p in RUNTIME}
    missing = sorted(a for a in apps if a not in FLOOR_OF)
    assert not missing, f"give these apps a floor in FLOORS: {missing}"


def test_core_imports_nothing_of_aims():
    bad = [f"{i.module}:{i.line} imports {i.target}" for i in IMPORTS
           if i.app == "core" and i.target_app != "core"]
    assert not bad, bad


def test_imports_run_down_the_floors():
    bad = [f"{i.module}:{i.line} imports {i.target} "
           f"({FLOORS[FLOOR_OF[i.app]][0]} → {FLOORS[FLOOR_OF[i.target_app]][0]})"
           for i in IMPORTS
           if i.target_app in FLOOR_OF and i.app in FLOOR_OF
           and FLOOR_OF[i.target_app] > FLOOR_OF[i.app]
           and (i.app, i.target_app) not in ALLOWED]
    assert not bad, "\n".join(bad)


def test_no_cycle_between_apps() -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for i in IMPORTS:
        if i.app != i.target_app and (i.app, i.target_app) not in ALLOWED:
            edges[i.app].add(i.target_app)
    assert not cycles(edges), cycles(edges)


def test_no_cycle_between_modules() -> None:
    known = {module_name(p) for p in RUNTIME}
    edges: dict[str, set[str]] = defaultdict(set)
    for i in IMPORTS:
        # `from aims.risks import services` imports the module aims.risks.services.
        targets = [f"{i.target}.{n}" for n in i.names if f"{i.target}.{n}" in known]
        for target in targets or [i.target]:
            if target != i.module:
                edges[i.module].add(target)
    assert not cycles(edges), cycles(edges)


def test_imports_of_aims_sit_at_the_top_of_the_module():
    bad = [f"{i.module}:{i.line} imports {i.target} inside a function or block"
           for i in IMPORTS if not i.top_level]
    assert not bad, "\n".join(bad)


def test_runtime_code_never_imports_test_support():
    bad = [f"{i.module}:{i.line} imports {i.target}" for i in IMPORTS
           if i.target_app in TEST_PACKAGES or ".tests" in i.target]
    assert not bad, bad


def test_readers_on_the_top_floor_use_selectors_not_other_apps_models():
    """The dashboard and the management review read the domains through their selectors: from
    a domain's models they may take choices (enums and constants), never a model."""
    bad = []
    for i in IMPORTS:
        if i.app in JUDGEMENT and i.target_app in DOMAINS and i.target.endswith(".models"):
            module = importlib.import_module(i.target)
            bad += [f"{i.module}:{i.line} imports the model {i.target}.{name}"
                    for name in i.names
                    if isinstance(getattr(module, name), type)
                    and issubclass(getattr(module, name), models.Model)]
    assert not bad, bad


@pytest.mark.parametrize("label", ["cycle", "upward import", "import in a function"])
def test_the_rules_catch_what_they_forbid(label):
    """Each rule fails on a made-up module that breaks it, so a rule cannot pass vacuously."""
    if label == "cycle":
        assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
        assert cycles({"a": {"b"}, "b": set()}) == []
        return
    source = ("from aims.risks.services import risk_create\n" if label == "upward import" else
              "def f():\n    from aims.core.errors import NotFound\n    return NotFound\n")
    found = imports_in(source, "aims.core.probe")
    assert len(found) == 1
    if label == "upward import":
        assert found[0].app == "core" and found[0].target_app == "risks"
        assert FLOOR_OF[found[0].target_app] > FLOOR_OF[found[0].app]
    else:
        assert not found[0].top_level
