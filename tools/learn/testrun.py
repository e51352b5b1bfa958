"""Running a build's tests and reading why one failed.

The tests are CTest's (`ctest --show-only=json-v1` lists each one's command, environment, timeout
and working folder), run here directly so that a Catch2 program can be asked for its XML report:
the first failing check of a test comes back with its file, line, expression and expansion,
without Catch2's banners. Anything else (a mirror comparison, the CPython claims) is run as CTest
would run it, and judged by its exit code.
"""
import json
import os
import re
import signal
import subprocess
import tempfile
import textwrap
import threading
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import course

from . import build as builds

ROOT = course.ROOT


@dataclass
class Test:
    name: str
    command: list
    env: dict = field(default_factory=dict)
    timeout: float = 60
    cwd: str = None
    skip_code: int = None
    labels: list = field(default_factory=list)

    @property
    def lesson(self):
        match = re.match(r"l(\d\d)\.", self.name)
        return match.group(1) if match else None

    @property
    def catch2(self):
        return bool(self.command) and Path(self.command[0]).name.startswith("test_l")


def listed(preset):
    """{name: Test} for every test of build/<preset>, in CTest's order."""
    done = subprocess.run(["ctest", "--show-only=json-v1", "--test-dir", str(builds.build_dir(preset))],
                          capture_output=True, text=True, errors="replace", cwd=ROOT)
    if done.returncode != 0:
        return {}
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError:
        return {}
    tests = {}
    for entry in data.get("tests", []):
        test = Test(entry["name"], entry.get("command") or [])
        for prop in entry.get("properties", []):
            name, value = prop.get("name"), prop.get("value")
            if name == "ENVIRONMENT":
                test.env = dict(item.split("=", 1) for item in value if "=" in item)
            elif name == "TIMEOUT":
                test.timeout = float(value)
            elif name == "WORKING_DIRECTORY":
                test.cwd = value
            elif name == "SKIP_RETURN_CODE":
                test.skip_code = int(value)
            elif name == "LABELS":
                test.labels = list(value)
        tests[test.name] = test
    return tests


@dataclass
class Check:
    """The first thing that went wrong in a test case."""
    case: str = ""             # the test case's name
    where: str = ""            # path:line of the check (or of the test case)
    expression: str = ""       # CHECK( ... ), when a check failed
    expansion: str = ""        # its values
    message: str = ""          # an exception's message, a signal, FAIL's text
    info: list = field(default_factory=list)   # INFO/CAPTURE messages in scope


@dataclass
class Result:
    test: Test
    status: str                # passed, failed, timeout, crashed, skipped, missing
    output: str = ""
    checks: list = field(default_factory=list)   # one Check per failing test case, in order
    cases: int = 0             # test cases run
    failed_cases: int = 0

    @property
    def passed(self):
        return self.status == "passed"

    def watchdog(self):
        match = re.search(r"^watchdog: .*", self.output, re.M)
        return match.group(0) if match else None


def _relative_location(element):
    path = element.get("filename")
    line = element.get("line")
    if not path:
        return ""
    return f"{builds.relative(path)}:{line}" if line else builds.relative(path)


def _dedent(text):
    lines = (text or "").strip("\n").splitlines()
    if not lines:
        return ""
    first = lines[0].strip()
    rest = textwrap.dedent("\n".join(lines[1:]))
    return (first + ("\n" + rest if rest else "")).strip()


def parse_catch2_xml(text):
    """(cases run, [Check for each failing case]) from a Catch2 XML report, even a cut-off one
    (a crash or the watchdog stops the program in the middle)."""
    parser = ET.XMLPullParser(events=("start", "end"))
    checks = []
    cases = 0
    stack = []
    current = None          # the Check of the test case being read
    case_failed = False
    info = []
    try:
        parser.feed(text)
        events = list(parser.read_events())
    except ET.ParseError:
        events = []
        try:
            events = list(parser.read_events())
        except ET.ParseError:
            pass
    for event, element in events:
        tag = element.tag
        if event == "start":
            stack.append(tag)
            if tag == "TestCase":
                cases += 1
                current = Check(case=element.get("name", ""), where=_relative_location(element))
                case_failed = False
                info = []
            continue
        stack.pop()
        if current is None:
            continue
        if tag in ("Info", "Warning") and not case_failed:
            info.append(_dedent(element.text))
        elif tag == "Expression" and element.get("success") == "false" and not case_failed:
            case_failed = True
            current.where = _relative_location(element) or current.where
            original = _dedent(element.findtext("Original"))
            if original and "Unknown expression" not in original:
                current.expression = f"{element.get('type') or 'CHECK'}( {original} )"
            expanded = _dedent(element.findtext("Expanded"))
            if expanded and expanded != original and "Unknown expression" not in expanded:
                current.expansion = expanded
            for inner in ("Exception", "FatalErrorCondition"):
                found = element.find(inner)
                if found is not None:
                    current.message = _dedent(found.text)
            current.info = list(info)
        elif tag in ("Exception", "FatalErrorCondition", "Failure") and not case_failed and \
                (len(stack) == 0 or stack[-1] != "Expression"):
            case_failed = True
            current.where = _relative_location(element) or current.where
            current.message = _dedent(element.text)
            if tag == "FatalErrorCondition":
                current.message = "the program was stopped by a signal: " + current.message
            current.info = list(info)
        elif tag == "OverallResult":
            if element.get("success") == "false" or case_failed:
                checks.append(current)
            current = None
    if current is not None:       # cut off inside a test case: that is the one that failed
        checks.append(current)
    return cases, checks


def run(test):
    """Run one test as CTest would, with a Catch2 program also writing its XML report."""
    if not test.command or not Path(test.command[0]).exists() and test.catch2:
        return Result(test, "missing")
    env = dict(os.environ, **test.env)
    command = list(test.command)
    report = None
    if test.catch2:
        handle, report = tempfile.mkstemp(prefix="learn-", suffix=".xml")
        os.close(handle)
        command += ["--reporter", "xml", "--out", report]
    try:
        code, output, timed_out = _execute(command, test.cwd or ROOT, env, test.timeout)
        xml = Path(report).read_text(errors="replace") if report else ""
    except FileNotFoundError:
        return Result(test, "missing")
    finally:
        if report:
            os.unlink(report)
    if timed_out:
        status = "timeout"
    elif test.skip_code is not None and code == test.skip_code:
        status = "skipped"
    elif code == 0:
        status = "passed"
    elif code < 0 or code == 3 and "watchdog:" in output:
        status = "timeout" if "watchdog:" in output else "crashed"
    else:
        status = "failed"
    result = Result(test, status, output=output)
    if code is not None and code < 0:
        try:
            result.output += f"\n(stopped by {signal.Signals(-code).name})"
        except ValueError:
            result.output += f"\n(stopped by signal {-code})"
    if xml:
        result.cases, result.checks = parse_catch2_xml(xml)
        result.failed_cases = len(result.checks)
    return result


_running = set()
_lock = threading.Lock()
_stopping = threading.Event()


def _execute(command, cwd, env, timeout):
    """(exit code or None on timeout, output, timed out). Each program runs in a session of its
    own, so that stopping it also stops what it started (a mirror's Python)."""
    if _stopping.is_set():
        raise KeyboardInterrupt
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, errors="replace", start_new_session=True)
    with _lock:
        _running.add(process)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        return process.returncode, stdout + stderr, False
    except subprocess.TimeoutExpired:
        _kill(process)
        stdout, stderr = process.communicate()
        return None, stdout + stderr, True
    except BaseException:  # Ctrl-C: the program is in a session of its own, so stop it here
        _kill(process)
        process.wait()
        raise
    finally:
        with _lock:
            _running.discard(process)


def _kill(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_all(tests, jobs=None):
    """{name: Result} for every test given, several at a time. Ctrl-C stops them all."""
    tests = list(tests)
    if not tests:
        return {}
    _stopping.clear()
    pool = ThreadPoolExecutor(max_workers=jobs or builds.jobs())
    try:
        results = list(pool.map(run, tests))
    except KeyboardInterrupt:
        _stopping.set()
        with _lock:
            for process in list(_running):
                _kill(process)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    return {r.test.name: r for r in results}


def sanitizer_report(output):
    """The first line of an AddressSanitizer / UBSan report and the first frame in the course."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if "ERROR: AddressSanitizer" in line or "ERROR: LeakSanitizer" in line or "runtime error:" in line:
            head = re.sub(r"^==\d+==", "", line).strip()
            head = re.sub(r"^(\S+):(\d+):\d+: runtime error", lambda m: f"{builds.relative(m.group(1))}:{m.group(2)}: runtime error", head)
            frame = None
            for later in lines[i + 1:i + 60]:
                match = re.search(r"#\d+ 0x[0-9a-f]+ in (.*?) (/\S+?):(\d+)", later)
                if match and ("/lessons/" in match.group(2) or "/solutions/" in match.group(2)):
                    frame = f"at {builds.relative(match.group(2))}:{match.group(3)} in {match.group(1)[:60]}"
                    break
            return head, frame
    return None


def summary(result):
    """A few lines that say why a test failed, without the banners."""
    lines = []
    if result.status == "missing":
        return ["its test program was not built"]
    if result.status == "timeout":
        watchdog = result.watchdog()
        if watchdog:
            lines.append(watchdog.replace("watchdog: ", "", 1))
            lines.append("It probably never ends: a loop whose end is never reached, or a wait "
                         "that nothing will ever complete.")
        else:
            lines.append(f"it did not finish within {result.test.timeout:.0f} s and was stopped")
    sanitizer = sanitizer_report(result.output)
    if sanitizer:
        head, frame = sanitizer
        lines.append(head)
        if frame:
            lines.append(frame)
    if result.checks:
        check = result.checks[0]
        if not lines or result.status != "timeout":
            lines.extend(describe(check))
    elif not lines:
        unwritten = UNWRITTEN.search(result.output)
        if unwritten:
            lines.append(f"it stops at {unwritten.group(1)}, which is not written yet")
        else:
            tail = [l for l in result.output.strip().splitlines() if l.strip()][-8:]
            lines.extend(tail or [f"it {result.status}"])
    return lines


UNWRITTEN = re.compile(r"exercise (l\d\d\.ex\d+) is not written yet")


def not_implemented(message):
    """(exercise id, hint) when a message is aio::NotImplemented's, else None."""
    match = re.match(r"exercise (l\d\d\.ex\d+) is not written yet", message or "")
    if not match:
        return None
    hint = re.search(r"^\s*hint: (.*?)(?:\n\s*more:|\Z)", message, re.M | re.S)
    return match.group(1), " ".join(hint.group(1).split()) if hint else ""


def describe(check):
    lines = [f'"{check.case}"' + (f"  ({check.where})" if check.where else "")]
    todo = not_implemented(check.message)
    if todo:
        lines.append(f"{todo[0]} is not written yet: {todo[1]}")
        return lines
    if check.expression:
        lines.append(check.expression)
    unwritten = UNWRITTEN.search(check.expansion)
    if unwritten:  # the check ran into another exercise's stub
        lines.append(f"it ran into {unwritten.group(1)}, which is not written yet")
    elif check.expansion:
        lines.append("with expansion: " + check.expansion)
    if check.message:
        prefix = "threw: " if check.expression else ""
        lines.append(prefix + check.message)
    for message in check.info[:3]:
        lines.append("with: " + message)
    return lines
