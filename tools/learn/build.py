"""Configuring and building with the course's presets, showing a progress line instead of the
compiler's output, and the first compile error, trimmed, when there is one.

Builds go to build/<preset>, as `cmake --preset <preset>` puts them:
  learn          the exercises track (your code in lessons/), Debug, with bounds checks
  learn-asan     the same under AddressSanitizer and UndefinedBehaviorSanitizer
  learn-release  the same, optimised, with the benchmarks
  default        the solutions track: the finished demos
"""
import os
import re
import subprocess
from dataclasses import dataclass, field

import course

from . import term

ROOT = course.ROOT
STEP = re.compile(r"^\[(\d+)/(\d+)\]\s*(.*)$")
DIAGNOSTIC = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?:(?P<col>\d+):)?\s*(?P<kind>fatal error|error|warning|note):\s*(?P<text>.*)$")
CONTEXT = re.compile(r"^(?P<path>[^\s:][^:]*):\s*(?P<text>In (?:instantiation of|member function|function|constructor|destructor|static member function|lambda function|substitution of).*?):?$")
REQUIRED = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?:\d+:)?\s+required (?:from|by) (?P<text>.*)$")
SNIPPET = re.compile(r"^\s*\d*\s+\|")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def build_dir(preset):
    return ROOT / "build" / preset


def relative(path):
    """A path as the learner sees it: from the top of the course when it is inside it."""
    text = str(path)
    root = str(ROOT) + os.sep
    return text[len(root):] if text.startswith(root) else text


def jobs():
    """How many compilers run at once: CMAKE_BUILD_PARALLEL_LEVEL if set, else one per core."""
    value = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class ToolMissing(Exception):
    pass


def _run(command, **kwargs):
    try:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, errors="replace", **kwargs)
    except FileNotFoundError:
        raise ToolMissing(f"`{command[0]}` is not installed: see the README's set-up line.") from None


def configured(preset):
    folder = build_dir(preset)
    return (folder / "CMakeCache.txt").exists() and (folder / "build.ninja").exists()


def _foreign_cache(preset):
    """The source folder a build folder was configured for, when it is not this course's."""
    cache = build_dir(preset) / "CMakeCache.txt"
    if not cache.exists():
        return None
    match = re.search(r"^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$", cache.read_text(errors="replace"), re.M)
    if match and os.path.realpath(match.group(1)) != os.path.realpath(ROOT):
        return match.group(1)
    return None


def configure(preset, again=False):
    """`cmake --preset <preset>` unless build/<preset> is configured already (or `again`: a new
    lesson folder is seen only by a new configure). True on success; on failure prints what went
    wrong and what to do."""
    foreign = _foreign_cache(preset)
    if foreign:
        term.out(term.bad("error: ") + f"build/{preset} was configured for another copy of the "
                 f"course ({foreign}).")
        term.out(f"  Remove it and run again: rm -rf build/{preset}")
        return False
    if configured(preset) and not again:
        return True
    term.out(term.dim(f"configuring build/{preset} (cmake --preset {preset})..."))
    done = _run(["cmake", "--preset", preset])
    if done.returncode == 0:
        return True
    text = ANSI.sub("", done.stdout + done.stderr)
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if "CMake Error" in l), max(0, len(lines) - 12))
    term.out(term.bad("error: ") + f"cmake --preset {preset} failed:")
    for line in lines[start:start + 14]:
        term.out("  " + line)
    term.out("  Fix that, then run again. If the folder is left from an older set-up, remove")
    term.out(f"  it first: rm -rf build/{preset}")
    return False


@dataclass
class Failure:
    """One build step that failed: its output file, its target, the compiler's text."""
    output: str
    text: str

    @property
    def target(self):
        match = re.search(r"CMakeFiles/([^/]+)\.dir/", self.output) or re.search(r"bin/([^/\s]+)$", self.output)
        return match.group(1) if match else None

    @property
    def lesson(self):
        """The lesson (NN) whose target failed, or None when the failure is not a lesson's."""
        target = self.target or ""
        match = re.match(r"(?:test_l|l)(\d\d)(?:_|$)", target) or re.match(r"bench_(\d\d)-", target)
        return match.group(1) if match else None

    def errors(self):
        """The distinct errors (the same line of a header fails once per file that includes it)."""
        return {(m["path"], m["line"], m["text"]) for line in self.text.splitlines()
                if (m := DIAGNOSTIC.match(line)) and "error" in m["kind"]}


@dataclass
class BuildResult:
    ok: bool
    failures: list = field(default_factory=list)
    steps: int = 0
    log: str = ""

    def failed_lessons(self):
        return {f.lesson for f in self.failures}

    def first_failure(self, lesson=None):
        for failure in self.failures:
            if lesson is None or failure.lesson == lesson:
                return failure
        return None


def build(preset, targets=None, what=None):
    """Build the preset's folder (only `targets` if given), keeping going past failures so that
    one broken lesson does not hide the state of the others."""
    command = ["cmake", "--build", str(build_dir(preset)), "--parallel", str(jobs())]
    if targets:
        command += ["--target", *targets]
    command += ["--", "-k", "0"]
    env = dict(os.environ, NINJA_STATUS="[%f/%t] ")
    env.pop("CLICOLOR_FORCE", None)
    progress = term.Progress(what or f"building {'/'.join(targets) if targets else f'build/{preset}'}")
    try:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, errors="replace", env=env)
    except FileNotFoundError:
        raise ToolMissing("`cmake` is not installed: see the README's set-up line.") from None
    failures = []
    log = []
    current = None
    steps = 0
    try:
        for raw in process.stdout:
            line = ANSI.sub("", raw.rstrip("\n"))
            log.append(line)
            step = STEP.match(line)
            if step:
                current = None
                steps = int(step.group(1))
                detail = step.group(3)
                name = re.search(r"(?:CMakeFiles/([^/]+)\.dir/|executable bin/)(\S+)?", detail)
                if steps > 0:  # [0/N] is CMake re-checking its globs, not a build step
                    progress.update(step.group(1), step.group(2), (name.group(1) or name.group(2)) if name else "")
            elif line.startswith("FAILED: "):
                current = Failure(line[len("FAILED: "):].strip(), "")
                failures.append(current)
            elif line.startswith("ninja: "):
                current = None
            elif current is not None:
                current.text += line + "\n"
    except KeyboardInterrupt:
        process.kill()
        process.wait()
        progress.finish()
        raise
    code = process.wait()
    progress.finish()
    text = "\n".join(log)
    if code != 0 and not failures:
        failures.append(Failure("", text))
    return BuildResult(ok=code == 0, failures=failures, steps=steps, log=text)


def trimmed_error(failure, limit_notes=2):
    """The first error of a failed step, as a few lines: `path:line: error: ...`, the source line
    with its caret, the function it is in, where it was required from; paths from the top of the
    course."""
    lines = failure.text.splitlines()
    first = None
    for i, line in enumerate(lines):
        match = DIAGNOSTIC.match(line)
        if match and "error" in match["kind"]:
            first = i
            break
    if first is None:
        return _other_failure(failure, lines)
    match = DIAGNOSTIC.match(lines[first])
    shown = [f"{relative(match['path'])}:{match['line']}: {match['kind']}: {match['text']}"]
    # The source line and its caret come right after.
    j = first + 1
    while j < len(lines) and SNIPPET.match(lines[j]) and j < first + 3:
        shown.append("  " + lines[j].rstrip())
        j += 1
    # The notes that follow (candidates, "declared here"), briefly.
    notes = 0
    while j < len(lines) and notes < limit_notes:
        note = DIAGNOSTIC.match(lines[j])
        if note and note["kind"] == "note":
            shown.append(f"  note: {relative(note['path'])}:{note['line']}: {note['text'].strip()}")
            notes += 1
        elif not SNIPPET.match(lines[j]):
            break
        j += 1
    # What the compiler was doing: the function it was in, and the line of yours that required it.
    context = None
    required = []
    for line in reversed(lines[:first]):
        found = CONTEXT.match(line)
        req = REQUIRED.match(line)
        if req:
            required.append(req)
        elif found and context is None:
            context = found
            break
        elif DIAGNOSTIC.match(line):
            break
    if context:
        shown.append(term.wrap(context["text"], "  ", "    "))
    mine = [r for r in reversed(required) if relative(r["path"]).startswith("lessons/")]
    if mine:
        shown.append(f"  required from {relative(mine[-1]['path'])}:{mine[-1]['line']}")
    return shown


def _other_failure(failure, lines):
    """A failure without a compiler error: the linker, CMake, or a tool."""
    for line in lines:
        if "undefined reference" in line or "multiple definition" in line:
            return [line.strip()]
    cmake = [i for i, l in enumerate(lines) if "CMake Error" in l]
    if cmake:
        return [l for l in lines[cmake[0]:cmake[0] + 10]]
    useful = [l for l in lines if l.strip() and not l.startswith(("/usr/bin/c++", "/usr/bin/g++", "/usr/bin/clang"))]
    return useful[:10] or [f"{failure.output or 'the build'} failed"]


def total_errors(result, lesson=None):
    found = set()
    for failure in result.failures:
        if lesson is None or failure.lesson == lesson:
            found |= failure.errors()
    return len(found)


def show_failure(result, lesson=None, indent=""):
    """Print the first error of the build (of one lesson's targets if given), trimmed."""
    failure = result.first_failure(lesson) or result.first_failure()
    if failure is None:
        return
    for number, line in enumerate(trimmed_error(failure)):
        if number == 0 and len(indent) + len(line) > term.width():
            # Keep `path:line: error:` whole on its line (editors and terminals open it on a
            # click); the message goes underneath.
            match = re.match(r"^(\S+: (?:fatal error|error):)\s*(.*)$", line)
            if match:
                term.out(indent + match.group(1))
                for piece in term.wrap(match.group(2), "    ").splitlines():
                    term.out(indent + piece)
                continue
        for piece in line.splitlines():
            term.out(indent + piece)
    errors = total_errors(result, lesson)
    if errors > 1:
        term.out(indent + term.dim(f"(the compiler reports {errors} errors; this is the first: fix it "
                                   f"and build again)"))
