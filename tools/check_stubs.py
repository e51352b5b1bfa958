"""Checks that every exercise header in lessons/ still matches its finished header in solutions/.

A stub and its solution share everything but the bodies the lesson teaches (CONTRIBUTING.md). This
compares each pair line by line and reports every difference that is not one of those:
  - a stub-side change must contain AIO_TODO, or be made only of comments, blank lines,
    `#include <aio/not_implemented.hpp>`, or the [[maybe_unused]] that quiets an unused parameter;
  - the solution side of a difference may not be code the stub simply lacks, unless it is comments.
So when a solution's API changes, the stub cannot silently keep the old one.

    python3 tools/check_stubs.py        exit 1 and list the differences if a pair has drifted
"""
import difflib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def is_comment_or_blank(line):
    stripped = line.strip()
    return not stripped or stripped.startswith("//")


def harmless(lines):
    return all(is_comment_or_blank(l) or l.strip() == "#include <aio/not_implemented.hpp>" for l in lines)


def normalise(line):
    # [[maybe_unused]] on a stub's parameter, and `static_cast<void>(x);` lines, quiet warnings only.
    return re.sub(r"\[\[maybe_unused\]\]\s*", "", line).rstrip()


def problems_in(stub, solution):
    a = [normalise(l) for l in solution.read_text().splitlines()]
    b = [normalise(l) for l in stub.read_text().splitlines()]
    found = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        stub_side, solution_side = b[j1:j2], a[i1:i2]
        if any("AIO_TODO" in l for l in stub_side):
            continue
        stub_side = [l for l in stub_side if not re.match(r"\s*static_cast<void>\(\w+\);", l)]
        if harmless(stub_side) and harmless(solution_side):
            continue
        found.append((j1 + 1, solution_side, stub_side))
    return found


def main():
    drifted = 0
    pairs = 0
    for stub in sorted(ROOT.glob("lessons/[0-9][0-9]-*/aio/*.hpp")):
        lesson = stub.parent.parent.name
        solution = ROOT / "solutions" / lesson / "aio" / stub.name
        if not solution.exists():
            print(f"{stub.relative_to(ROOT)}: no solutions/{lesson}/aio/{stub.name} to match")
            drifted += 1
            continue
        pairs += 1
        for line, theirs, ours in problems_in(stub, solution):
            drifted += 1
            print(f"{stub.relative_to(ROOT)}:{line}: differs from its solution outside an exercise")
            for l in theirs:
                print(f"  solution: {l}")
            for l in ours:
                print(f"  stub:     {l}")
    if drifted:
        sys.exit(f"{drifted} difference(s) between stubs and solutions")
    print(f"{pairs} stub headers match their solutions outside the exercises")


if __name__ == "__main__":
    main()
