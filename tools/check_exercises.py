"""Proves the exercises track: `check_exercises.py BUILD_DIR` runs every test of a build made with
AIO_TRACK=exercises and fails unless
  - every exercise test (lNN.exK) fails, since its stubs throw aio::NotImplemented: a test that
    passes on a stub cannot tell the learner anything;
  - no test hangs (CTest's timeout, or the watchdog of support/watchdog.cpp stopping a test case)
    or crashes (a signal, an abort): an unfinished exercise must fail politely, with its message,
    never take the test program down.
"""
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

STATUS = re.compile(r"Test\s+#\d+: (\S+) \.+\s*(?:\*+)?(.*?)\s+[\d.]+ sec$")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_exercises.py BUILD_DIR")
    junit = Path(tempfile.mkdtemp()) / "results.xml"
    done = subprocess.run(["ctest", "--test-dir", sys.argv[1], "-j2", "--output-junit", str(junit)],
                          capture_output=True, text=True)
    outputs = {}
    if junit.exists():
        for case in ElementTree.parse(junit).getroot().iter("testcase"):
            out = case.find("system-out")
            outputs[case.get("name")] = (out.text or "") if out is not None else ""
    results = {}
    for line in done.stdout.splitlines():
        match = STATUS.search(line)
        if match:
            results[match.group(1)] = match.group(2).strip()
    if not results:
        sys.stdout.write(done.stdout + done.stderr)
        sys.exit("no test ran")

    problems = []
    exercises = 0
    for test, status in sorted(results.items()):
        output = outputs.get(test, "")
        if status.startswith(("Timeout", "Exception", "Subprocess", "Child aborted", "SEGFAULT")):
            problems.append(f"{test}: {status} (must fail cleanly, not hang or crash)")
        elif "\nwatchdog: " in output:
            problems.append(f"{test}: the watchdog stopped a test case that hung (must fail cleanly)")
        elif re.fullmatch(r"l\d\d\.ex\d+", test):
            exercises += 1
            if status != "Failed":
                problems.append(f"{test}: {status} on its stub (its tests cannot fail)")
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(f"{len(problems)} problem(s) on the exercises track")
    print(f"exercises track: {exercises} exercises, each failing on its stub; "
          f"{len(results)} tests, none hung or crashed")


if __name__ == "__main__":
    main()
