#!/usr/bin/env python3
"""Prints the runtime crate's module graph as cycles: each strongly connected group of modules
that import each other (through `crate::` paths, including names re-exported by lib.rs).

    python3 scripts/module-cycles.py            # the cycles, one group per line
    python3 scripts/module-cycles.py --edges    # every edge, `from -> to`

Exits 1 if there is a cycle, 0 if the graph is one-way. Issue 14 asks for no cycle except
where one is explained; this is how to check.
"""

import pathlib
import re
import sys

SRC = pathlib.Path(__file__).resolve().parent.parent / "domo-actors" / "src"


def module_of(path: pathlib.Path) -> str:
    """`mailbox/batch.rs` -> `mailbox`: a folder is one module of the graph."""
    rel = path.relative_to(SRC)
    top = rel.parts[0]
    return top[:-3] if top.endswith(".rs") else top


def strip_comments(text: str) -> str:
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def main() -> int:
    files = [p for p in SRC.rglob("*.rs")]
    modules = {module_of(p) for p in files} - {"lib"}
    lib = strip_comments((SRC / "lib.rs").read_text())
    # Names lib.rs re-exports: `pub use module::{A, B}` / `pub use module::A`.
    exported = {}
    for module, names in re.findall(r"pub use (\w+)::(\{[^}]*\}|\w+)", lib):
        for name in re.findall(r"\w+", names):
            exported.setdefault(name, module)
    edges = set()
    for path in files:
        source = module_of(path)
        if source == "lib":
            continue
        text = strip_comments(path.read_text())
        # Test modules may reach anywhere.
        text = re.split(r"#\[cfg\(test\)\]\s*mod tests", text)[0]
        for group in re.findall(r"crate::(\{[^;]*\}|\w+)", text):
            for name in re.findall(r"(?:^|[{,\s])(\w+)", group):
                target = name if name in modules else exported.get(name)
                if target and target != source and target in modules:
                    edges.add((source, target))
    if "--edges" in sys.argv:
        for a, b in sorted(edges):
            print(f"{a} -> {b}")
    graph = {m: sorted(b for a, b in edges if a == m) for m in modules}
    cycles = strongly_connected(graph)
    for group in cycles:
        print("cycle:", " ".join(sorted(group)))
    if not cycles:
        print("no cycle")
    return 1 if cycles else 0


def strongly_connected(graph):
    """Tarjan's algorithm: the groups of more than one module."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups


if __name__ == "__main__":
    sys.exit(main())
