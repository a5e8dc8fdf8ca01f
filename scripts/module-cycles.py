#!/usr/bin/env python3
"""Prints the runtime crate's module graph as cycles: each strongly connected group of modules
that import each other (through `crate::` and `super::` paths, including names re-exported by
lib.rs).

    python3 scripts/module-cycles.py                  # the cycles between src/'s folders and files
    python3 scripts/module-cycles.py --edges          # every edge, `from -> to`
    python3 scripts/module-cycles.py --inside runtime # the same, between runtime/'s own entries

A node is a top-level file or folder of `domo-actors/src` (a folder counts as one node, however
deep it goes); with `--inside FOLDER`, a file or sub-folder of FOLDER (its `mod.rs` is not a node),
edges leaving FOLDER left out. Test modules (`#[cfg(test)] mod tests`) may reach anywhere and are not counted.

Exits 1 if there is a cycle that ALLOWED below does not list, 0 otherwise. Issue 14 asks for no
cycle except where one is explained; this is how to check (`.ci/run` runs it).
"""

import pathlib
import re
import sys

SRC = pathlib.Path(__file__).resolve().parent.parent / "domo-actors" / "src"

# Cycles that stay, each with its reason: (the folder looked inside, or "" for src/ itself;
# the exact set of nodes of the strongly connected group).
ALLOWED = {
    ("runtime", None): (
        "runtime/ is one circle by design (see runtime/mod.rs): a cell holds its stage, the "
        "stage creates cells and their tasks, a task sets the environment, the environment "
        "reaches the stage and the cell; proxies hold cells, the stage makes proxies; the "
        "values that name actors (ExecutionContext, Supervised, CloseError, Directory) hold "
        "ActorRefs, which are cells seen from outside."
    ),
}

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def module_path(path: pathlib.Path) -> list:
    """`runtime/proxy/request.rs` -> [runtime, proxy, request]; `mailbox/mod.rs` -> [mailbox]."""
    parts = list(path.relative_to(SRC).parts)
    parts[-1] = parts[-1][:-3]
    if parts[-1] == "mod":
        parts.pop()
    return parts


def strip_comments(text: str) -> str:
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def use_trees(text: str, start: int) -> list:
    """The paths of the path or use tree at `text[start:]`, as lists of segments:
    `a::b::{c, d::e}` -> [[a, b, c], [a, b, d, e]]."""
    paths, _ = parse_tree(text, start)
    return paths


def parse_tree(text, i):
    prefix = []
    while True:
        i = skip_space(text, i)
        if i < len(text) and text[i] == "{":
            paths = []
            i += 1
            while True:
                i = skip_space(text, i)
                if i < len(text) and text[i] == "}":
                    i += 1
                    break
                sub, i = parse_tree(text, i)
                paths.extend(prefix + p for p in sub)
                i = skip_space(text, i)
                if i < len(text) and text[i] == ",":
                    i += 1
            return paths, i
        match = IDENT.match(text, i)
        if not match:
            return ([prefix] if prefix else []), i
        prefix.append(match.group())
        i = skip_space(text, match.end())
        if text.startswith("::", i):
            i += 2
            continue
        if text.startswith(" as ", i - 1) or text.startswith("as ", i):
            match = IDENT.match(text, skip_space(text, i + 2))
            i = match.end() if match else i
        return [prefix], i


def skip_space(text, i):
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def main() -> int:
    inside = None
    if "--inside" in sys.argv:
        inside = sys.argv[sys.argv.index("--inside") + 1]
    files = {p: module_path(p) for p in SRC.rglob("*.rs")}
    modules = {tuple(m) for m in files.values()}
    for m in list(modules):
        for k in range(1, len(m)):
            modules.add(m[:k])

    # Names lib.rs re-exports: `pub use a::b::{C, D}` / `pub use a::b::C` -> C: [a, b, C].
    lib = strip_comments((SRC / "lib.rs").read_text())
    exported = {}
    for match in re.finditer(r"\bpub use ", lib):
        for path in use_trees(lib, match.end()):
            if (path[0],) in modules:  # not the macros crate's `Actor`
                exported.setdefault(path[-1], path)

    depth = 1 if inside is None else 2

    def node(path):
        """The graph node a module path belongs to, or None outside the graph."""
        if inside is not None:
            if len(path) < 2 or path[0] != inside:
                return None
        return "/".join(path[:depth]) if len(path) >= depth else None

    def resolve(path, own):
        """A `crate::`-relative path -> the module path it names (through lib.rs's exports)."""
        if path and path[0] in exported:
            path = exported[path[0]] + path[1:]
        # The longest prefix that is a module.
        for k in range(len(path), 0, -1):
            if tuple(path[:k]) in modules:
                return path[:k]
        return None

    edges = set()
    for file, own in files.items():
        if own == ["lib"]:
            continue
        source = node(own)
        if source is None:
            continue
        text = strip_comments(file.read_text())
        text = re.split(r"#\[cfg\(test\)\]\s*mod tests", text)[0]
        # `self::`/`super::` from a `mod.rs` start at its folder; from a file, at the file.
        base = own
        for match in re.finditer(r"\b(crate|super)::", text):
            for path in use_trees(text, match.end()):
                if match.group(1) == "super":
                    here = list(base[:-1])
                    while path and path[0] == "super":
                        here, path = here[:-1], path[1:]
                    path = here + path
                target = resolve(path, own)
                if target is None:
                    continue
                target = node(target)
                if target and target != source:
                    edges.add((source, target))

    if "--edges" in sys.argv:
        for a, b in sorted(edges):
            print(f"{a} -> {b}")
    nodes = {node(m) for m in files.values() if m != ["lib"]} - {None}
    graph = {m: sorted(b for a, b in edges if a == m) for m in nodes}
    cycles = strongly_connected(graph)
    scope = inside or ""
    failed = False
    for group in cycles:
        names = frozenset(g.split("/")[-1] for g in group)
        reason = ALLOWED.get((scope, names)) or ALLOWED.get((scope, None))
        print(("allowed cycle: " if reason else "cycle: ") + " ".join(sorted(group)))
        if reason:
            print("  why:", reason)
        else:
            failed = True
    if not cycles:
        print("no cycle")
    return 1 if failed else 0


def strongly_connected(graph):
    """Tarjan's algorithm: the groups of more than one node."""
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
