#!/usr/bin/env python3
"""Fails when the modules of src/ import each other in a circle.

Reads every `crate::a::b` path in src/ (use lines and inline paths), maps each file to its
top-level module (src/render/pages.rs -> render) and, inside a module folder, to its
submodule (render::pages), and reports every cycle among top-level modules and among the
submodules of one module. Usage: python3 scripts/check-layering.py [--graph]
"""
import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PATH = re.compile(r"\bcrate::([a-z_][a-z0-9_]*)(?:::([a-z_][a-z0-9_]*))?")
SUPER = re.compile(r"\bsuper::(?:\{([^}]*)\}|([a-z_][a-z0-9_]*))")
# Binaries and the crate root only dispatch.
SKIP = {"main", "lib"}


def module_of(path: Path):
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "mod":
        parts.pop()
    if parts and parts[-1] == "tests":  # unit tests may reach anywhere
        return None
    return parts


def strip_tests(text: str) -> str:
    """Drops `#[cfg(test)] mod tests { ... }` blocks (tests may import anything)."""
    i = text.find("#[cfg(test)]")
    return text if i < 0 else text[:i]


def edges():
    top, sub = set(), set()
    for f in SRC.rglob("*.rs"):
        parts = module_of(f)
        if not parts or parts[0] in SKIP:
            continue
        text = strip_tests(f.read_text())
        text = re.sub(r"//[^\n]*", "", text)
        for a, b in PATH.findall(text):
            if a != parts[0]:
                top.add((parts[0], a))
            elif len(parts) > 1 and b and b != parts[1]:
                sub.add((f"{parts[0]}::{parts[1]}", f"{a}::{b}"))
        if len(parts) == 2:
            for group, single in SUPER.findall(text):
                for n in (group or single).split(","):
                    n = n.strip().split("::")[0]
                    real = (SRC / parts[0] / f"{n}.rs").exists() or (SRC / parts[0] / n).is_dir()
                    if n and n != parts[1] and real:
                        sub.add((f"{parts[0]}::{parts[1]}", f"{parts[0]}::{n}"))
    return top, sub


def cycles(edge_set):
    graph = {}
    for a, b in edge_set:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            strong(v)
    return graph, out


def main():
    top, sub = edges()
    failed = False
    for name, es in (("modules", top), ("submodules", sub)):
        graph, found = cycles(es)
        if "--graph" in sys.argv:
            for a in sorted(graph):
                print(f"{a} -> {', '.join(sorted(graph[a]))}")
        for comp in found:
            failed = True
            inner = sorted((a, b) for a, b in es if a in comp and b in comp)
            print(f"import cycle among {name}: {' ⇄ '.join(comp)}")
            for a, b in inner:
                print(f"    {a} -> {b}")
    if failed:
        print("imports must run one way (README, Layout): move the shared part down a layer")
        return 1
    print("layering: no import cycles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
