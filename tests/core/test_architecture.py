"""The app graph points one way (docs/architecture.md).

Every import between packages of ``src/tangerine`` counts: at module level, inside functions,
under ``TYPE_CHECKING`` and through ``importlib.import_module("tangerine....")``. ``config`` is
the project's wiring (settings, URLs, ASGI) and may import anything; no app imports it.
"""

from __future__ import annotations

import ast
import pathlib
from collections import defaultdict

import pytest

from tangerine.core import hooks

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "tangerine"
# Below every domain app: they may import Django and libraries, never an app.
FOUNDATION = {"core", "integrations"}
# The layers, lowest first. An app may import its own layer's foundation and any app in a lower
# layer; the test below checks the actual graph against this picture and for cycles.
LAYERS: list[set[str]] = [
    {"core", "integrations"},
    {"images"},
    {"accounts"},
    {"follows"},
    {"posts", "products"},
    # Chats sit above products: a room can be about a product (chat with the seller).
    {"chats"},
    {"notifications", "search"},
    {"reports"},
]


def _imported_modules(tree: ast.AST) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
            # "from tangerine import posts" names the package in the alias.
            if node.module == "tangerine":
                found += [
                    (f"tangerine.{a.name}", node.lineno)
                    for a in node.names
                    if (SRC / a.name).is_dir()
                ]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
        ):
            arg = node.args[0]
            text = (
                arg.value
                if isinstance(arg, ast.Constant)
                else "".join(str(v.value) for v in arg.values if isinstance(v, ast.Constant))
            )
            found.append((str(text), node.lineno))
    return found


def app_graph() -> dict[str, dict[str, list[str]]]:
    """app -> {imported app -> ["file:line", ...]} over every Python file but migrations."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if "migrations" in rel.parts or len(rel.parts) < 2:
            continue
        app = rel.parts[0]
        graph.setdefault(app, defaultdict(list))  # every app is a node, even a leaf
        for module, line in _imported_modules(ast.parse(path.read_text(), str(path))):
            parts = module.split(".")
            if parts[0] != "tangerine" or len(parts) < 2 or not parts[1]:
                continue
            other = parts[1]
            if other != app:
                graph[app][other].append(f"{rel}:{line}")
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Every strongly connected group of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, {}):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _domain_graph() -> dict[str, dict[str, list[str]]]:
    graph = app_graph()
    return {app: deps for app, deps in graph.items() if app != "config"}


def test_the_graph_of_apps_has_no_cycle() -> None:
    cycles = _cycles(_domain_graph())
    assert cycles == [], f"import cycles between apps: {cycles}"


@pytest.mark.parametrize("foundation", sorted(FOUNDATION))
def test_core_and_integrations_import_no_domain_app(foundation: str) -> None:
    deps = _domain_graph().get(foundation, {})
    wrong = {app: where for app, where in deps.items() if app not in FOUNDATION}
    assert wrong == {}, f"{foundation} imports domain apps: {wrong}"


def test_no_app_imports_the_project_wiring() -> None:
    wrong = {app: deps["config"] for app, deps in _domain_graph().items() if "config" in deps}
    assert wrong == {}, f"apps importing tangerine.config: {wrong}"


def test_every_app_sits_in_one_layer_and_imports_only_lower_layers() -> None:
    layer_of = {app: i for i, layer in enumerate(LAYERS) for app in layer}
    graph = _domain_graph()
    assert set(graph) <= set(layer_of), f"apps missing from LAYERS: {set(graph) - set(layer_of)}"
    upward = {
        f"{app} -> {other}": where
        for app, deps in graph.items()
        for other, where in deps.items()
        if layer_of[other] >= layer_of[app] and not {app, other} <= FOUNDATION
    }
    assert upward == {}, f"imports that point up or sideways: {upward}"


def test_the_checker_sees_imports_inside_functions_and_importlib() -> None:
    tree = ast.parse(
        "def f():\n"
        "    from tangerine.search import services\n"
        "    import tangerine.posts.models\n"
        "    importlib.import_module(f'tangerine.{app}.demo')\n"
        "    importlib.import_module('tangerine.reports.targets')\n"
    )
    modules = [module for module, _ in _imported_modules(tree)]
    assert modules == [
        "tangerine.search",
        "tangerine.posts.models",
        "tangerine..demo",
        "tangerine.reports.targets",
    ]
    assert _cycles({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b": []}, "b": {}}) == []


def test_every_hook_has_its_receivers_connected_at_start_up() -> None:
    """A hook nobody listens to is a reaction that silently stopped happening."""
    wiring = hooks.registry()
    deaf = [name for name, receivers in wiring.items() if not receivers]
    assert deaf == []
    assert "tangerine.search.receivers._post_changed" in wiring["posts.post_changed"]
    assert "tangerine.notifications.receivers._on_liked" in wiring["posts.liked"]
