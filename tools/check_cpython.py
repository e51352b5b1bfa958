"""Runs the course's claims about CPython: small asyncio programs that show one behaviour, each with
the output it must print kept in the file itself.

    python3 tools/check_cpython.py FILE.py [FILE.py ...] [--all-versions]

A claim lives in lessons/NN-topic/cpython/NAME.py. It runs on a virtual clock (tools/
virtual_asyncio.py), so times are exact. Its expected output is a comment block at the end of the
file, one block per Python version whose output differs, the oldest first:

    # expect 3.11:
    # 0.0 wait_for
    # 2.0 returned 42
    # expect 3.12:
    # 0.0 wait_for
    # 1.0 returned 42

A version with no block of its own must print what the newest older block says. A block may
name a patch release too (`# expect 3.11.3:`) where asyncio changed within 3.11: Debian 12's
python3 is 3.11.2. The program is run with this interpreter (3.11 in CI), or with the one that
AIO_CLAIMS_PYTHON names (lesson 19's test points it at a Python that has asyncpg); with --all-versions,
also with every python3.11, python3.12 and python3.13 found on the PATH and every interpreter
listed in AIO_PYTHONS (paths separated by ':'), so that the version notes in the book are
checked too. A claim that exits with 77 is skipped, with the reason it printed (lesson 19's
need asyncpg and a running PostgreSQL); when every run is skipped, this exits with 77 too. A C++
test names the file that shows CPython doing the same.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
EXPECT = re.compile(r"^# expect (3\.\d+(?:\.\d+)?):\s*$")
# A claim that needs something this machine lacks (lesson 19's need asyncpg and a PostgreSQL
# server) exits with 77, as a CTest test that skips does, and says why.
SKIP = 77


def expectations(path):
    """{(3, 11): [lines], (3, 11, 3): [lines], ...} from the file's trailing comment blocks."""
    blocks, current = {}, None
    for line in path.read_text().splitlines():
        match = EXPECT.match(line)
        if match:
            current = tuple(int(part) for part in match.group(1).split("."))
            blocks[current] = []
        elif current is not None:
            if line.startswith("# ") or line == "#":
                blocks[current].append(line[2:])
            elif line.strip():
                current = None  # code after a block ends it
    if not blocks:
        raise SystemExit(f"{path}: no '# expect 3.11:' block")
    return blocks


def expected_for(blocks, version):
    older = [v for v in blocks if v <= version]
    return blocks[max(older)] if older else None


def version_of(python):
    """(3, 11, 7) for a working interpreter; None for one that does not run (a pyenv shim without
    its version selected, say)."""
    done = subprocess.run([python, "-c", "import sys; print(*sys.version_info[:3])"],
                          capture_output=True, text=True)
    return tuple(int(part) for part in done.stdout.split()) if done.returncode == 0 else None


def run(python, path):
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run([python, str(TOOLS / "virtual_asyncio.py"), str(path)],
                          capture_output=True, text=True, timeout=60, env=env)
    if done.returncode == SKIP:
        return SKIP, done.stderr.strip() or done.stdout.strip()
    if done.returncode != 0:
        return None, done.stderr
    return done.stdout.rstrip("\n").split("\n") if done.stdout.strip() else [], ""


def main():
    files = [Path(a) for a in sys.argv[1:] if not a.startswith("--")]
    if not files:
        sys.exit(__doc__)
    pythons = [os.environ.get("AIO_CLAIMS_PYTHON") or sys.executable]
    if "--all-versions" in sys.argv:
        pythons += [p for p in (shutil.which(f"python3.{minor}") for minor in (11, 12, 13)) if p]
        pythons += [p for p in os.environ.get("AIO_PYTHONS", "").split(":") if p]
    seen, failures, checks, skips = set(), 0, 0, 0
    for python in pythons:
        version = version_of(python)
        if version is None or version in seen:
            continue
        seen.add(version)
        name = ".".join(map(str, version))
        if version < (3, 11):
            print(f"skipped Python {name}: the claims are about 3.11 and newer")
            continue
        for path in files:
            expected = expected_for(expectations(path), version)
            actual, error = run(python, path)
            checks += 1
            if actual == SKIP:
                skips += 1
                print(f"skipped {path.name} under Python {name}: {error}")
            elif actual is None:
                failures += 1
                print(f"{path.name} failed under Python {name}:\n{error}")
            elif actual != expected:
                failures += 1
                print(f"{path.name} under Python {name} printed:")
                print("\n".join("  " + line for line in actual))
                print("but the file expects:")
                print("\n".join("  " + line for line in expected))
    if failures:
        sys.exit(f"{failures} of {checks} claim run(s) differ from what the files say")
    if checks and skips == checks:
        print("every claim run was skipped")
        sys.exit(SKIP)
    versions = ", ".join(".".join(map(str, v)) for v in sorted(seen) if v >= (3, 11))
    skipped = f" ({skips} run(s) skipped)" if skips else ""
    print(f"{len(files)} claim(s) print what they say under Python {versions}{skipped}")


if __name__ == "__main__":
    main()
