#!/usr/bin/python3
"""The engine's folders must form layers, and the front ends must go through its top.

Reads every `#include "tribe/<folder>/..."` line of engine/src, engine/include and the
models' folders, builds the graph folder -> folders it includes (a file under
engine/src/<folder>/ or engine/include/tribe/<folder>/ belongs to <folder>; the built-in
models, models/<name>/src and models/<name>/include, count as `models`),
and fails (exit 1) on
  - any include that points up the layers (LAYERS below), and any cycle between folders;
  - any file under io/ that includes claims/evaluate.hpp (io/ stores results; the job
    layer evaluates the claims);
  - any include of a front end (engine/cli, the command line; python/src, the Python
    module) of a folder other than FRONT_END_FOLDERS: a front end parses its syntax and
    calls the job, the report and the model catalog, so that a run, a report and a model's
    description are the same whichever front end asks;
  - any installed API header (engine/public_headers.txt) that includes a tribe/ header
    which is not installed.
There are no known exceptions: a new one is a failure to fix, not to list.

The layers, top to bottom (docs/architecture.md):

    front ends (cli, python) -> job -> report -> {exec, claims, io} -> design -> catalog
        -> models -> model -> stats -> {core, rng}

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
    ("catalog",),
    ("models",),
    ("model",),
    ("stats",),
    ("core", "rng"),
]

# What the front ends (engine/cli, python/src) may include.
FRONT_ENDS = (("engine", "cli"), ("python", "src"))
FRONT_END_FOLDERS = {"job", "report", "catalog", "core"}

INCLUDE = re.compile(r'^\s*#\s*include\s*"tribe/([A-Za-z0-9_]+)/[^"]*"', re.M)
EVALUATE = re.compile(r'^\s*#\s*include\s*"tribe/claims/evaluate\.hpp"', re.M)


def folder_of(path: pathlib.Path, root: pathlib.Path) -> str:
    rel = path.relative_to(root).parts
    if rel[:2] == ("engine", "src"):
        return rel[2]
    if rel[:3] == ("engine", "include", "tribe"):
        return rel[3]
    if rel[0] == "models":  # models/<name>/src, models/<name>/include: the built-in models
        return "models"
    raise ValueError(path)


def read_graph(root: pathlib.Path):
    """folder -> {included folder -> [files that include it]}, and io files including evaluate."""
    graph: dict[str, dict[str, list[str]]] = {}
    io_evaluate = []
    files = sorted((root / "engine" / "src").rglob("*")) + sorted((root / "engine" / "include" / "tribe").rglob("*"))
    for model in sorted((root / "models").iterdir()):
        files += sorted((model / "src").rglob("*")) + sorted((model / "include").rglob("*"))
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


def front_end_problems(root: pathlib.Path):
    """Includes of the front ends' sources outside FRONT_END_FOLDERS."""
    problems = []
    for parts in FRONT_ENDS:
        folder = root.joinpath(*parts)
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".hpp", ".cpp", ".h") or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for included in INCLUDE.findall(text):
                if included not in FRONT_END_FOLDERS:
                    problems.append(
                        f"{path.relative_to(root)} includes tribe/{included}/: a front end includes "
                        f"only {', '.join(sorted(FRONT_END_FOLDERS))} (parse, then call the job, "
                        "the report or the catalog)"
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

    for component in strongly_connected(graph):
        cycle = find_cycle(graph, component)
        lines = [f"include cycle between engine folders: {' -> '.join(cycle)}"]
        for a, b in zip(cycle, cycle[1:]):
            lines.append(f"  {a} -> {b}: {', '.join(sorted(set(graph[a][b])))}")
        failures.append("\n".join(lines))

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

    for rel in sorted(io_evaluate):
        failures.append(
            f"{rel} includes tribe/claims/evaluate.hpp: io/ stores results, " "the job layer evaluates claims"
        )

    failures += public_header_problems(root)
    failures += front_end_problems(root)

    for f in failures:
        print(f"check_includes: {f}", file=sys.stderr)
    if failures:
        return 1
    print(
        f"check_includes: {len(graph)} engine folders in layers, no include cycle, front ends "
        f"include only {', '.join(sorted(FRONT_END_FOLDERS))} (no known exceptions)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
