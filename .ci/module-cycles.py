#!/usr/bin/env python3
"""Fails when the top-level modules of src/ import each other in a cycle,
or a module imports one that is not in a layer below its own.

The graph: an edge A -> B when a file of module A (src/A.rs or src/A/**)
names `crate::B` — in a `use` line or a path in code. Unit tests
(`#[cfg(test)] mod tests { … }` at the end of a file) are left out: they
may reach anywhere. The binary (src/main.rs) is left out too: it only
wires the library together.

The layers (LAYERS, bottom first) are the architecture the README
describes: a module may use only modules of lower layers, and a new
top-level module must be given a layer here.

Usage: .ci/module-cycles.py [--graph]   (--graph prints every edge)
"""

import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
CRATE_PATH = re.compile(r"\bcrate::([a-z_][a-z0-9_]*)")
GROUPED_USE = re.compile(r"\buse\s+crate::\{([^;]*)\}", re.S)
# Bottom first; a module may import only from the layers below its own.
LAYERS: list[list[str]] = [
    ["domain", "clock", "crashpoint", "telemetry"],  # depend on nothing
    ["schedule", "decide"],  # pure rules over domain types
    ["classify"],
    ["config"],  # compiles word lists and schedules
    ["store"],
    ["archive"],  # evidence records, registered in the store
    ["platforms"],  # hide and delete take an archive receipt
    ["alerts"],
    ["tickets", "actions", "report"],
    ["pipeline"],
    ["web"],
    ["daemon", "demo", "cli"],  # wiring at the top
]
TEST_MODULE = re.compile(r"^#\[cfg\(test\)\]\s*\n\s*(pub\s+)?mod\s+tests\b", re.M)


def module_of(path: Path) -> str:
    relative = path.relative_to(SRC)
    return relative.parts[0].removesuffix(".rs")


def without_tests(text: str) -> str:
    match = TEST_MODULE.search(text)
    return text[: match.start()] if match else text


def without_comments(text: str) -> str:
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


def targets(text: str) -> set[str]:
    found = set(CRATE_PATH.findall(text))
    for group in GROUPED_USE.findall(text):
        for item in group.split(","):
            name = item.strip().split("::", 1)[0].strip()
            if re.fullmatch(r"[a-z_][a-z0-9_]*", name):
                found.add(name)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_of(p) for p in SRC.glob("*.rs")} | {
        p.name for p in SRC.iterdir() if p.is_dir()
    }
    modules -= {"main", "lib"}
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for path in SRC.rglob("*.rs"):
        source = module_of(path)
        if source not in modules:
            continue
        text = without_comments(without_tests(path.read_text(encoding="utf-8")))
        for target in targets(text):
            if target in modules and target != source:
                edges[source].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
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

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def layer_violations(edges: dict[str, set[str]]) -> list[str]:
    """Imports of a module not in a lower layer, and modules in no layer."""
    layer = {m: i for i, names in enumerate(LAYERS) for m in names}
    problems = [
        f"module {m} is in no layer; give it one in LAYERS (.ci/module-cycles.py)"
        for m in sorted(edges)
        if m not in layer
    ]
    for source in sorted(edges):
        for target in sorted(edges[source]):
            if source in layer and target in layer and layer[target] >= layer[source]:
                problems.append(
                    f"{source} (layer {layer[source]}) imports {target} "
                    f"(layer {layer[target]}): a module may import only from lower layers"
                )
    return problems


def main() -> int:
    edges = graph()
    if "--graph" in sys.argv:
        for source in sorted(edges):
            print(f"{source} -> {', '.join(sorted(edges[source])) or '(nothing)'}")
    found = cycles(edges)
    for component in found:
        inner = {m: sorted(edges[m] & set(component)) for m in component}
        detail = "; ".join(f"{m} -> {', '.join(t)}" for m, t in inner.items())
        print(f"import cycle between {', '.join(component)}: {detail}")
    violations = layer_violations(edges)
    for violation in violations:
        print(violation)
    if found or violations:
        return 1
    print(
        f"no import cycle between the {len(edges)} top-level modules of src/, "
        f"and each imports only from lower layers"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
