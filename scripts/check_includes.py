#!/usr/bin/python3
"""The engine's folders must form layers: no folder may include, directly or through
other folders, a folder that includes it back.

Reads every `#include "tribe/<folder>/..."` line of engine/src and engine/include, builds
the graph folder -> folders it includes (a file under engine/src/<folder>/ or
engine/include/tribe/<folder>/ belongs to <folder>; models/<name>/ counts as `models`),
and fails (exit 1) on any include that points up the layers (LAYERS below), on any cycle
between folders that is not a known exception below, and
on any known exception that has disappeared (so that the list shrinks as the code is
fixed). It also refuses any file under io/ that includes claims/evaluate.hpp, unless that
file is listed as a known exception. Finally, the installed API headers
(engine/public_headers.txt) must include from tribe/ only headers that are installed too.

The layers the engine aims at (docs/architecture.md):

    cli -> job -> report -> {exec, claims, io} -> design -> model -> models -> stats -> core (rng)

(report/, the text of a stored report, is used by cli alone; it reads io/'s plain data
and claims/' verdicts, and nothing below it may include it.)

Usage: check_includes.py [REPO_ROOT]   (default: the repository this script is in)
"""
import pathlib
import re
import sys

# The layers, top to bottom (docs/architecture.md): a folder includes only folders of its
# own layer or below. Folders of one layer (exec, claims, io) may include each other as
# long as no cycle forms.
LAYERS = [
    ("job",),
    ("report",),
    ("exec", "claims", "io"),
    ("design",),
    ("model", "models"),
    ("stats",),
    ("core", "rng"),
]

# Folder edges that close a cycle today, with the reason; each is to be removed when the
# code is fixed. A cycle is allowed only if
# it uses at least one of these edges; removing one from the code and not from here fails
# the check, so the list cannot go stale.
KNOWN_CYCLE_EDGES = {
    # model/registry.cpp lists the built-in models (models/*), which implement model/'s
    # plug-in API. Wanted: the models register themselves from outside model/ (as a user's
    # own model does), so that model/ is only the interface and the registry.
    ("model", "models"): "model/registry.cpp includes each built-in model",
}

# Files under io/ that may include claims/evaluate.hpp: none. io/ stores and prints the
# claims report (claims/report.hpp); the job layer evaluates the claims (issue 15, item 1).
KNOWN_IO_INCLUDES_OF_EVALUATE: set[str] = set()

INCLUDE = re.compile(r'^\s*#\s*include\s*"tribe/([A-Za-z0-9_]+)/[^"]*"', re.M)
EVALUATE = re.compile(r'^\s*#\s*include\s*"tribe/claims/evaluate\.hpp"', re.M)


def folder_of(path: pathlib.Path, root: pathlib.Path) -> str:
    rel = path.relative_to(root).parts
    if rel[:2] == ("engine", "src"):
        return rel[2]
    if rel[:3] == ("engine", "include", "tribe"):
        return rel[3]
    raise ValueError(path)


def read_graph(root: pathlib.Path):
    """folder -> {included folder -> [files that include it]}, and io files including evaluate."""
    graph: dict[str, dict[str, list[str]]] = {}
    io_evaluate = []
    files = sorted((root / "engine" / "src").rglob("*")) + sorted((root / "engine" / "include" / "tribe").rglob("*"))
    for path in files:
        if path.suffix not in (".hpp", ".cpp", ".h", ".in") or not path.is_file():
            continue
        src = folder_of(path, root)
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = str(path.relative_to(root))
        graph.setdefault(src, {})
        for dst in INCLUDE.findall(text):
            if dst != src:
                graph[src].setdefault(dst, []).append(rel)
            graph.setdefault(dst, {})
        if src == "io" and EVALUATE.search(text):
            io_evaluate.append(rel)
    return graph, io_evaluate


def public_header_problems(root: pathlib.Path):
    """Headers listed in engine/public_headers.txt that are missing, or that include a
    tribe/ header which is not listed (it would be missing from an installation)."""
    listing = root / "engine" / "public_headers.txt"
    include_dir = root / "engine" / "include"
    public = [
        line.strip() for line in listing.read_text(encoding="utf-8").splitlines() if line.strip().startswith("tribe/")
    ]
    problems = []
    for header in public:
        path = include_dir / header
        if not path.is_file():
            problems.append(f"engine/public_headers.txt lists {header}, which does not exist")
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for included in re.findall(r'^\s*#\s*include\s*"(tribe/[^"]+)"', text, re.M):
            if included not in public:
                problems.append(
                    f"public header {header} includes {included}, which is not "
                    "installed: add it to engine/public_headers.txt"
                )
    return problems


def strongly_connected(graph):
    """Tarjan's algorithm: the strongly connected components of more than one folder."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def find_cycle(graph, component):
    """One cycle through the component's first folder, as a list of folders."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}

    def walk(v):
        for w in sorted(graph[v]):
            if w not in members:
                continue
            if w == start:
                return True
            if w not in seen:
                seen.add(w)
                path.append(w)
                if walk(w):
                    return True
                path.pop()
        return False

    walk(start)
    return path + [start]


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[1])
    graph, io_evaluate = read_graph(root)
    failures = []

    # Cycles once the known exceptions are set aside.
    pruned = {v: {w: f for w, f in e.items() if (v, w) not in KNOWN_CYCLE_EDGES} for v, e in graph.items()}
    for component in strongly_connected(pruned):
        cycle = find_cycle(pruned, component)
        lines = [f"include cycle between engine folders: {' -> '.join(cycle)}"]
        for a, b in zip(cycle, cycle[1:]):
            lines.append(f"  {a} -> {b}: {', '.join(sorted(set(pruned[a][b])))}")
        failures.append("\n".join(lines))

    # Known exceptions that no longer exist, or no longer close a cycle, must go.
    cyclic = {frozenset(c) for c in strongly_connected(graph)}
    for (a, b), why in sorted(KNOWN_CYCLE_EDGES.items()):
        if b not in graph.get(a, {}):
            failures.append(
                f"known exception {a} -> {b} ({why}) no longer exists: "
                "remove it from KNOWN_CYCLE_EDGES in scripts/check_includes.py"
            )
        elif not any(a in c and b in c for c in cyclic):
            failures.append(
                f"known exception {a} -> {b} ({why}) no longer closes a cycle: "
                "remove it from KNOWN_CYCLE_EDGES in scripts/check_includes.py"
            )

    # Every include points down the layers (or within one).
    rank = {folder: depth for depth, layer in enumerate(LAYERS) for folder in layer}
    for a in sorted(graph):
        for b in sorted(graph[a]):
            if a not in rank or b not in rank:
                failures.append(
                    f"engine folder {a if a not in rank else b} is in no layer: "
                    "add it to LAYERS in scripts/check_includes.py"
                )
            elif rank[b] < rank[a]:
                failures.append(
                    f"{a} -> {b} points up the layers ({a} is below {b}): " f"{', '.join(sorted(set(graph[a][b])))}"
                )

    for rel in sorted(set(io_evaluate) - KNOWN_IO_INCLUDES_OF_EVALUATE):
        failures.append(
            f"{rel} includes tribe/claims/evaluate.hpp: io/ stores results, " "the job layer evaluates claims"
        )
    for rel in sorted(KNOWN_IO_INCLUDES_OF_EVALUATE - set(io_evaluate)):
        failures.append(
            f"known exception {rel} no longer includes tribe/claims/evaluate.hpp: "
            "remove it from KNOWN_IO_INCLUDES_OF_EVALUATE in scripts/check_includes.py"
        )

    failures += public_header_problems(root)

    for f in failures:
        print(f"check_includes: {f}", file=sys.stderr)
    if failures:
        return 1
    known = ", ".join(f"{a} -> {b}" for a, b in sorted(KNOWN_CYCLE_EDGES))
    io_known = ", ".join(sorted(KNOWN_IO_INCLUDES_OF_EVALUATE)) or "none"
    print(
        f"check_includes: {len(graph)} folders, no new include cycle "
        f"(known exceptions: {known or 'none'}; io/ including claims/evaluate.hpp: {io_known})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
