"""The import contract (pyproject.toml, [tool.importlinter]) as part of the test suite, so the
README's test command (and CI) keeps the layers pointing one way and the code free of circles:

    gui / cli  ->  services  ->  core  <-  db

`lint-imports` runs as a real subprocess with the project's configuration; the circle check walks
grimp's graph of every module itself, so a circle is named module by module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}  # the `app` package of `cwd`, not the installed one
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def import_circles(graph: grimp.ImportGraph, modules: Iterable[str]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative): each is a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    for start in sorted(modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    circles.append(sorted(component))
    return circles


def test_the_import_contract_is_kept() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, f"lint-imports found broken contracts:\n{done.stdout}{done.stderr}"
    assert "0 broken" in done.stdout


def test_no_module_imports_itself_round_a_circle() -> None:
    graph = grimp.build_graph("app", cache_dir=None)
    circles = import_circles(graph, graph.modules)
    assert not circles, "import circles:\n" + "\n".join(" <-> ".join(c) for c in circles)


def test_the_circle_check_finds_a_circle() -> None:
    graph = grimp.ImportGraph()
    for importer, imported in [("a.x", "a.y"), ("a.y", "a.z"), ("a.z", "a.x"), ("a.z", "a.w"), ("a.v", "a.w")]:
        graph.add_import(importer=importer, imported=imported)
    assert import_circles(graph, graph.modules) == [["a.x", "a.y", "a.z"]]


def test_the_contract_catches_the_core_importing_the_database(tmp_path: Path) -> None:
    """The old shape of the code (core/review reading app.db's types) breaks the layers contract."""
    shutil.copytree(
        ROOT / "app", tmp_path / "app", ignore=shutil.ignore_patterns("__pycache__", "resources", "questions")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    compare = tmp_path / "app" / "core" / "review" / "compare.py"
    compare.write_text(compare.read_text() + "\nfrom app.db.history import History  # noqa: E402\n")
    done = _lint_imports(tmp_path)
    assert done.returncode != 0
    assert "app.core.review.compare -> app.db.history" in done.stdout, done.stdout


# What the GUI may call on the Workspace it is handed: its use-case services and its own methods,
# never the parts it is built from (store, library, models, data folder object, calibration).
WORKSPACE_PARTS = {"history", "library", "data_dir", "transcriber", "scorer", "judge", "calibration", "model_setting"}


def workspace_parts_used(source: str) -> list[str]:
    """`<...>.workspace.<part>` attribute reads in one module's source."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, (ast.Attribute, ast.Name))
            and (node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id) == "workspace"
            and (node.attr in WORKSPACE_PARTS or node.attr.startswith("_"))
        ):
            found.append(f"line {node.lineno}: workspace.{node.attr}")
    return found


def test_the_gui_talks_to_the_workspaces_services_not_its_parts() -> None:
    used = {
        str(path.relative_to(ROOT)): parts
        for path in sorted((ROOT / "app" / "gui").rglob("*.py"))
        if (parts := workspace_parts_used(path.read_text()))
    }
    assert not used, used
    assert workspace_parts_used("self.window.workspace.library.scan()") == ["line 1: workspace.library"]
