"""The mirror test: `compare_output.py DEMO MIRROR.py` runs a lesson's C++ demo and the asyncio
program it mirrors, both on a virtual clock, and fails unless they print the same lines
(see output_lines.py for the one exception, measurement lines that start with "~ ").
"""
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from output_lines import diff, same_output  # noqa: E402

TIMEOUT = 170  # seconds for each program; CTest's own timeout is a little longer


def run(command, what):
    env = dict(os.environ, AIO_CLOCK="virtual")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        sys.exit(f"{what} did not finish within {TIMEOUT} s")
    if done.returncode == 77:  # the program says it cannot run here (no server, no module)
        sys.stdout.write(done.stdout + done.stderr)
        sys.exit(77)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        sys.exit(f"{what} failed with exit code {done.returncode}")
    return done.stdout


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: compare_output.py DEMO MIRROR.py")
    demo, mirror = sys.argv[1], sys.argv[2]
    if sys.version_info < (3, 11):
        print(f"skipped: {mirror} needs Python 3.11 or newer")
        sys.exit(77)
    runner = Path(__file__).resolve().parent / "virtual_asyncio.py"
    actual = run([demo], Path(demo).name)  # first: an unfinished exercise fails fast
    # A mirror that needs a module of its own (asyncpg) may name a Python that has it.
    python = os.environ.get("AIO_MIRROR_PYTHON") or sys.executable
    expected = run([python, str(runner), mirror], Path(mirror).name)
    if not same_output(expected, actual):
        sys.stdout.write(diff(expected, actual, Path(mirror).name, Path(demo).name))
        sys.exit("the demo and its mirror print different lines")
    print(f"{Path(demo).name} prints what {Path(mirror).name} prints ({len(actual.splitlines())} lines)")


if __name__ == "__main__":
    main()
