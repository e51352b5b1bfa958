"""The runner's test: every verb of ./learn, run as a learner would, on a scratch copy of the course.

    python3 tools/test_learn.py [--keep DIR]

The scratch copy is a `git clone` of this repository (with the runner's files as they are in this
working tree), holding lessons 01 and 02 only, so that a build takes a minute, not ten. One copy
and its builds serve every check, in the order a learner meets them:

  fresh copy        ./learn shows l01.ex1, its file:line and the section to read; list; hints
  lesson 01 stubs   run 01 --finished; bench 01 stops at the unwritten generator
  a compile error   reported as its first error only, trimmed
  ex1 and ex2       solved by copying the solution: done, and l01.ex3 is current
  watch --once      a save that solves ex3 and ex4 moves on to lesson 02; Ctrl-C ends watch
  lesson 01 solved  ./learn points at lesson 02; verify 01 passes; bench 01 measures the generator
  reset             puts back exactly one exercise's stub bodies; refuses what it cannot match
  --help            for every verb; usage errors exit 2

Exits 1 and shows the runner's output for each failed check.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNNER_FILES = ["learn", "tools/course.py"]          # and everything in tools/learn/
KEPT_LESSONS = ("01-", "02-")

failures = []
started = time.monotonic()


def say(text):
    print(f"[{time.monotonic() - started:6.1f}s] {text}", flush=True)


def check(name, condition, output=""):
    if condition:
        say(f"ok    {name}")
    else:
        say(f"FAIL  {name}")
        failures.append(name)
        if output:
            print("      | " + "\n      | ".join(output.rstrip().splitlines()[-60:]), flush=True)
    return condition


class Scratch:
    def __init__(self, folder):
        self.root = Path(folder)

    def learn(self, *args, timeout=1500, stdin=subprocess.DEVNULL):
        began = time.monotonic()
        env = dict(os.environ)
        env.pop("NO_COLOR", None)
        done = subprocess.run([str(self.root / "learn"), *args], cwd=self.root, stdin=stdin,
                              capture_output=True, text=True, timeout=timeout, env=env)
        say(f"      ./learn {' '.join(args)} -> {done.returncode} ({time.monotonic() - began:.1f} s)")
        return done.returncode, done.stdout + done.stderr

    def path(self, relative):
        return self.root / relative

    def read(self, relative):
        return self.path(relative).read_text()

    def write(self, relative, text):
        self.path(relative).write_text(text)

    def copy_solution(self, lesson, name):
        shutil.copyfile(self.path(f"solutions/{lesson}/aio/{name}"), self.path(f"lessons/{lesson}/aio/{name}"))

    def course(self):
        """The scratch copy's course model (tools/course.py of the copy)."""
        sys.path.insert(0, str(self.root / "tools"))
        try:
            import importlib
            import course
            importlib.reload(course)
            return course
        finally:
            sys.path.pop(0)


def make_scratch(folder):
    say(f"scratch copy in {folder}")
    subprocess.run(["git", "clone", "-q", str(ROOT), str(folder)], check=True)
    for name in RUNNER_FILES:
        shutil.copyfile(ROOT / name, folder / name)
    shutil.copymode(ROOT / "learn", folder / "learn")
    target = folder / "tools" / "learn"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "tools" / "learn", target, ignore=shutil.ignore_patterns("__pycache__"))
    for lesson in (folder / "lessons").iterdir():
        if lesson.is_dir() and not lesson.name.startswith(KEPT_LESSONS):
            shutil.rmtree(lesson)
    scratch = Scratch(folder)
    prepare_chapters(scratch)
    return scratch


HINT1 = "The iterator and the promise meet in the handle: think of what resume() runs."
HINT2 = "Resume the handle, then ask the promise to rethrow; begin() does the same once, first."


def prepare_chapters(scratch):
    """Chapter 01 gets a known section for l01.ex1 if it has none, so the hints can be checked;
    chapter 02 loses its exercise sections, so the fallback for an unwritten section is checked."""
    chapter = scratch.path("book/01-generators.md")
    text = chapter.read_text()
    if not re.search(r"^### l01\.ex1\b", text, re.M):
        text += ("\n## The exercises, as sections\n\n### l01.ex1: drive the body one value at a time\n\n"
                 "Write `Generator::begin()` and `iterator::operator++()`.\n"
                 "Read first: [Step 2: the iterator and `begin()`](#step-2-the-iterator-and-begin)\n\n"
                 f"<details>\n<summary>Hint 1: the concept</summary>\n\n{HINT1}\n\n</details>\n\n"
                 f"<details>\n<summary>Hint 2: the plan</summary>\n\n{HINT2}\n\n</details>\n")
        chapter.write_text(text)
    chapter2 = scratch.path("book/02-iterator-protocol.md")
    lines = chapter2.read_text().splitlines()
    kept, skipping = [], False
    for line in lines:
        if re.match(r"^### l02\.ex\d+", line):
            skipping = True
        elif skipping and re.match(r"^#{2,3} ", line):
            skipping = False
        if not skipping:
            kept.append(line)
    chapter2.write_text("\n".join(kept) + "\n")


def words(text):
    return " ".join(re.sub(r"[`*]", "", text).split())


def headline(out):
    """The line that names the current exercise (after any build progress)."""
    return next((l for l in out.splitlines() if re.match(r"^l\d\d\.ex\d+\b", l)), "")


def todo_line(scratch, path, exercise_id):
    for number, line in enumerate(scratch.read(path).splitlines(), 1):
        if f'AIO_TODO("{exercise_id}"' in line:
            return number
    return None


def test_fresh(s):
    code, out = s.learn()
    stub = "lessons/01-generators/aio/generator.hpp"
    line = todo_line(s, stub, "l01.ex1")
    check("fresh copy: ./learn exits 1 and names l01.ex1", code == 1 and "l01.ex1" in out, out)
    check("fresh copy: the file to edit as a clickable path:line", f"{stub}:{line}" in out, out)
    check("fresh copy: the functions to edit", "Generator::begin()" in out and "operator++()" in out, out)
    check("fresh copy: the section to read (from Read first:)",
          "book/01-generators.md#step-2-the-iterator-and-begin" in out, out)
    check("fresh copy: the failing check is the NotImplemented message, short",
          "l01.ex1 is not written yet" in out and "-------" not in out and len(out.splitlines()) < 40, out)
    check("fresh copy: no compiler output, only the progress line",
          "/usr/bin/" not in out and "Building CXX" not in out, out)


def test_list(s, expect_current, expect_done=()):
    code, out = s.learn("list")
    course = s.course()
    ok = code == 0
    for lesson in course.lessons():
        for exercise in lesson.exercises:
            row = next((l for l in out.splitlines() if f" {exercise.id} " in l), "")
            wanted = "current" if exercise.id == expect_current else \
                     "done" if exercise.id in expect_done else "not started"
            ok &= wanted in row and (exercise.minutes is None or f"{exercise.minutes} min" in row)
        ok &= f"{lesson.card_minutes()} min" in out
    total = sum(l.card_minutes() or 0 for l in course.lessons())
    ok &= f"{total} min" in out and f"{len(expect_done)} of " in out
    check(f"list: states (current {expect_current}), minutes per exercise and lesson, total", ok, out)


def test_hints(s):
    code1, first = s.learn("hint")
    code2, second = s.learn("hint")
    course = s.course()
    section = course.find_exercise("l01.ex1").section()
    hint1, hint2 = words(section["hint1"]), words(section["hint2"])
    check("hint: hint 1 the first time", code1 == 0 and "hint 1 of 2" in first and
          words(hint1[:60]) in words(first) and words(hint2[:60]) not in words(first), first)
    check("hint: hint 2 when asked again", code2 == 0 and "hint 2 of 2" in second and
          words(hint2[:60]) in words(second), second)
    page = s.path("book/solutions/01-generators.md")
    if page.exists() and re.search(r"^## l01\.ex1\b", page.read_text(), re.M):
        check("hint: after hint 2, the solutions page", "book/solutions/01-generators.md#l01ex1" in second, second)
    code3, again = s.learn("hint", "l01.ex1", "--level", "1")
    check("hint --level 1 shows hint 1 again", code3 == 0 and "hint 1 of 2" in again, again)
    state = s.path("build/learn/learn-state.json")
    check("hint: what was shown is kept in build/learn/, not in the source tree",
          state.exists() and '"l01.ex1": 2' in state.read_text() and
          "learn-state" not in subprocess.run(["git", "status", "--porcelain"], cwd=s.root,
                                              capture_output=True, text=True).stdout, state.read_text() if state.exists() else "")
    code4, fallback = s.learn("hint", "l02.ex1")
    check("hint: a chapter without the exercise's section says so and names the chapter",
          code4 == 0 and "not written yet" in fallback and "book/02-iterator-protocol.md" in fallback, fallback)


def test_run_finished(s):
    code, out = s.learn("run", "01", "--finished", "--virtual")
    built = sorted(p.name for p in s.path("build/default/bin").glob("*")) if s.path("build/default/bin").exists() else []
    check("run 01 --finished: the finished demo runs before any exercise is written",
          code == 0 and "build/default/bin/l01_demo" in out and len(out.splitlines()) > 10, out)
    check("run 01 --finished: only that one target is built in build/default", built == ["l01_demo"], str(built))
    code, out = s.learn("run", "01")
    check("run 01 on the stubs: stops at an unwritten exercise and offers --finished",
          code == 1 and "--finished" in out, out)


def bench_measures_lessons_code(s):
    """True when the learn-release build compiles bench_01-generators with lessons/01 first."""
    commands = s.path("build/learn-release/compile_commands.json")
    if not commands.exists():
        return False
    text = commands.read_text()
    entry = re.search(r'"command": "([^"]*bench_01-generators[^"]*)"', text)
    if not entry:
        return False
    command = entry.group(1)
    mine = command.find("/lessons/01-generators")
    finished = command.find("/solutions/01-generators")
    return 0 <= mine < finished


def test_bench_on_stubs(s):
    code, out = s.learn("bench", "01", "--quick")
    check("bench 01 on the stubs: says first that the lesson is not done",
          out.find("Not written yet: l01.ex1") >= 0 and out.find("Not written yet") < out.find("bench_01"), out)
    if bench_measures_lessons_code(s):
        check("bench 01 on the stubs: stops at the learner's unwritten generator",
              code == 1 and "not written yet" in out.lower(), out)
    else:
        say("note  benchmarks/CMakeLists.txt does not put lessons/01 first yet: the benchmark "
            "builds from solutions/")


def test_compile_error(s):
    s.copy_solution("01-generators", "generator.hpp")
    path = "lessons/01-generators/aio/generator.hpp"
    text = s.read(path)
    broken = text.replace("handle_.promise().rethrow_if_failed();\n      return *this;",
                          "handle_.promise().rethrow_if_failed()\n      return *this;", 1)
    assert broken != text, "the solution's operator++ changed: update this test"
    s.write(path, broken)
    line = next(n for n, l in enumerate(broken.splitlines(), 1) if l.strip() == "return *this;" and
                broken.splitlines()[n - 2].strip().endswith("rethrow_if_failed()"))
    code, out = s.learn()
    errors = [l for l in out.splitlines() if re.search(r":\d+: (?:fatal )?error:", l)]
    check("compile error: ./learn exits 1 and says the lesson does not compile",
          code == 1 and "do not compile" in out, out)
    check("compile error: the first error only, as path:line relative to the course",
          len(errors) == 1 and re.search(rf"{re.escape(path)}:{line - 1}: error:|{re.escape(path)}:{line}: error:",
                                         errors[0]) is not None, out)
    check("compile error: trimmed (no command line, no include chain, a few lines)",
          "/usr/bin/" not in out and "In file included" not in out and str(s.root) not in out
          and len(out.splitlines()) < 40, out)
    s.copy_solution("01-generators", "generator.hpp")


def test_two_done(s):
    code, out = s.learn()
    line = todo_line(s, "lessons/01-generators/aio/two_way_generator.hpp", "l01.ex3")
    check("solution of ex1 and ex2 copied: l01.ex3 is current",
          code == 1 and headline(out).startswith("l01.ex3") and
          f"lessons/01-generators/aio/two_way_generator.hpp:{line}" in out, out)


def read_until(process, lines, pattern, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(re.search(pattern, l) for l in lines):
            return True
        if process.poll() is not None:
            time.sleep(0.2)
            return any(re.search(pattern, l) for l in lines)
        time.sleep(0.2)
    return False


def start_watch(s, *args):
    # Ctrl-C in a terminal always reaches the runner. A shell that starts this check in the
    # background (`.ci/run &`) sets SIGINT to "ignore" for everything it starts, and Python then
    # leaves it ignored: give the watcher the terminal's default back.
    process = subprocess.Popen([str(s.root / "learn"), "watch", "--poll", "0.2", *args], cwd=s.root,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    return process, lines, reader


def test_watch(s):
    process, lines, reader = start_watch(s, "--once")
    ready = read_until(process, lines, r"watching lessons/", 600)
    check("watch: shows the current exercise, then watches", ready and any("l01.ex3" in l for l in lines),
          "".join(lines))
    time.sleep(0.5)
    s.copy_solution("01-generators", "two_way_generator.hpp")
    s.copy_solution("01-generators", "lazy.hpp")
    try:
        code = process.wait(timeout=900)
    except subprocess.TimeoutExpired:
        process.kill()
        code = None
    reader.join(5)
    out = "".join(lines)
    check("watch --once: a save rebuilds, reruns, says it passes and moves on to lesson 02",
          code == 1 and "l01.ex3 passes" in out and "Lesson 01 is done" in out and
          re.search(r"^l02\.ex1\b", out, re.M) is not None, out)

    process, lines, reader = start_watch(s)
    ready = read_until(process, lines, r"watching lessons/", 300)
    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        code = None
    reader.join(5)
    out = "".join(lines)
    check("watch: Ctrl-C ends it cleanly", ready and code == 0 and "stopped watching" in out and
          "Traceback" not in out, out)


def test_lesson_01_solved(s):
    code, out = s.learn()
    check("lesson 01 solved: ./learn points at lesson 02", code == 1 and headline(out).startswith("l02.ex1")
          and "lessons/02-iterator-protocol/aio/countdown.hpp:" in out, out)
    test_list(s, "l02.ex1", expect_done=("l01.ex1", "l01.ex2", "l01.ex3", "l01.ex4"))
    code, out = s.learn("verify", "01")
    table = {m.group(1): m.group(2) for m in re.finditer(r"^\s+(l01\.\S+)\s+(\S+\s+\S+)", out, re.M)}
    check("verify 01: passes, with exercises, mirror and the learn-asan build",
          code == 0 and all(table.get(f"l01.ex{n}", "").split() == ["passed", "passed"] for n in range(1, 5))
          and table.get("l01.mirror", "").split() == ["passed", "passed"]
          and s.path("build/learn-asan/bin/test_l01").exists()
          and not s.path("build/learn-asan/bin/test_l02").exists(), out)
    code, out = s.learn("bench", "01", "--quick")
    check("bench 01: measures the learner's generator, optimised",
          code == 0 and "BM_sum_generator" in out and "Not written yet" not in out
          and "***WARNING***" not in out, out)
    if bench_measures_lessons_code(s):
        check("bench 01: built from lessons/01-generators (learn-release)", True)
    if "DEBUG" in out:
        notes = [l for l in out.splitlines() if "Debian's build" in l]
        check("bench 01: Debian's DEBUG warning is explained in one line", len(notes) == 1, out)


def functions_of(s, text, exercise_id):
    """{qualified name: body} of the functions that hold the exercise's AIO_TODO in `text`."""
    sys.path.insert(0, str(s.root / "tools"))
    try:
        from learn import cxx
    finally:
        sys.path.pop(0)
    blocks = cxx.blocks(text)
    found = {}
    for match in re.finditer(r'AIO_TODO\("' + re.escape(exercise_id) + '"', text):
        function = cxx.enclosing_function(blocks, match.start())
        found[function.qualified_name()] = cxx.body(text, function)
    return found


def test_reset(s):
    path = "lessons/01-generators/aio/generator.hpp"
    pristine = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=s.root, capture_output=True,
                              text=True).stdout
    solved = s.read(path)
    code, out = s.learn("reset", "l01.ex1")
    check("reset without --yes and without a terminal: asks, changes nothing",
          code == 1 and "--yes" in out and s.read(path) == solved, out)
    code, out = s.learn("reset", "l01.ex1", "--yes")
    after = s.read(path)
    wanted = functions_of(s, pristine, "l01.ex1")
    restored = functions_of(s, after, "l01.ex1")
    check("reset l01.ex1: each of its functions has the stub's body again",
          code == 0 and len(wanted) == 2 and restored == wanted, out + "\n" + after)
    check("reset l01.ex1: only that exercise (ex2's body stays the learner's)",
          'AIO_TODO("l01.ex2"' not in after and "std::current_exception()" in after, after)
    check("reset l01.ex1: the rest of the file is untouched",
          _changed_only_inside(s, solved, after, pristine, "l01.ex1"), after)
    code, out = s.learn("reset", "l01.ex1", "--yes")
    check("reset again: nothing to put back", code == 0 and "already" in out, out)
    # A file whose braces do not pair cannot be matched safely: refused, unchanged.
    s.copy_solution("01-generators", "two_way_generator.hpp")
    other = "lessons/01-generators/aio/two_way_generator.hpp"
    text = s.read(other)
    last = text.rindex("}")
    mangled = text[:last] + text[last + 1:]
    s.write(other, mangled)
    code, out = s.learn("reset", "l01.ex3", "--yes")
    check("reset refuses a file it cannot match, and changes nothing",
          code == 1 and "refused" in out and s.read(other) == mangled, out)
    s.copy_solution("01-generators", "two_way_generator.hpp")


def _changed_only_inside(s, solved, after, pristine, exercise_id):
    """True when every line that differs between the learner's file and the reset one lies inside
    the bodies of the exercise's functions (or is the AIO_TODO header's include, put back)."""
    import difflib
    sys.path.insert(0, str(s.root / "tools"))
    try:
        from learn import cxx
    finally:
        sys.path.pop(0)
    shipped, mine = cxx.blocks(pristine), cxx.blocks(solved)
    inside = set()
    for match in re.finditer(r'AIO_TODO\("' + re.escape(exercise_id) + '"', pristine):
        same, _ = cxx.find_same(mine, cxx.enclosing_function(shipped, match.start()))
        first, last = cxx.line_of(solved, same.open), cxx.line_of(solved, same.close)
        inside.update(range(first, last + 1))
    before_lines, after_lines = solved.splitlines(), after.splitlines()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before_lines, after_lines,
                                                       autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        added = after_lines[j1:j2]
        if tag == "insert" and all(l.strip() in ("", "#include <aio/not_implemented.hpp>") for l in added):
            continue
        if not set(range(i1 + 1, i2 + 1)) <= inside or (i1 == i2 and i1 not in inside):
            return False
    return True


def test_every_stub_is_found():
    """Over the whole course (no build): each function that holds an AIO_TODO is found again in
    its finished header by its signature, so ./learn can point at it and reset can restore it."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from learn import cxx
    finally:
        sys.path.pop(0)
    problems = []
    count = 0
    for stub in sorted(ROOT.glob("lessons/[0-9][0-9]-*/aio/*.hpp")):
        solution = ROOT / "solutions" / stub.parent.parent.name / "aio" / stub.name
        if not solution.exists():
            continue
        text, finished = stub.read_text(), solution.read_text()
        try:
            mine, theirs = cxx.blocks(text), cxx.blocks(finished)
        except cxx.ShapeError as error:
            problems.append(f"{stub.relative_to(ROOT)}: {error}")
            continue
        for match in re.finditer(r'AIO_TODO\(\s*"(l\d\d\.ex\d+)"', text):
            count += 1
            where = f"{stub.relative_to(ROOT)}:{cxx.line_of(text, match.start())}"
            function = cxx.enclosing_function(mine, match.start())
            if function is None:
                problems.append(f"{where}: {match.group(1)}'s AIO_TODO is in no function")
                continue
            same, how = cxx.find_same(theirs, function)
            if same is None or how != "signature":
                problems.append(f"{where}: {function.qualified_name()} not found in {solution.name} "
                                f"by its signature ({how})")
    check(f"every AIO_TODO's function ({count}) is found in its solution by signature",
          count > 0 and not problems, "\n".join(problems))


def test_help_and_usage(s):
    ok = True
    report = ""
    for verb in ("", "watch", "list", "hint", "verify", "reset", "run", "bench", "doctor"):
        args = [verb, "--help"] if verb else ["--help"]
        done = subprocess.run([str(s.root / "learn"), *args], cwd=s.root, capture_output=True, text=True)
        long_lines = [l for l in done.stdout.splitlines() if len(l) > 80]
        good = done.returncode == 0 and "usage: ./learn" in done.stdout and not long_lines
        ok &= good
        if not good:
            report += f"./learn {' '.join(args)} -> {done.returncode}\n{done.stdout}{done.stderr}\n"
    check("--help works for every verb (80 columns)", ok, report)
    code, out = s.learn("--help")
    check("--help lists every verb", all(f"./learn {v}" in out for v in
                                         ("watch", "list", "hint", "verify", "reset", "run", "bench")), out)
    for args in (["frobnicate"], ["hint", "l99.ex1"], ["run", "77"], ["reset"], ["bench", "x"]):
        code, out = s.learn(*args)
        check(f"usage error exits 2 and says what to do: ./learn {' '.join(args)}",
              code == 2 and ("--help" in out or "./learn list" in out or "Lessons:" in out), out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", metavar="DIR", help="build the scratch copy in DIR and keep it")
    args = parser.parse_args()
    if args.keep:
        folder = Path(args.keep).resolve()
        if folder.exists():
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        temporary = None
    else:
        temporary = tempfile.mkdtemp(prefix="learn-test-")
        folder = Path(temporary) / "course"
    try:
        test_every_stub_is_found()
        s = make_scratch(folder)
        test_help_and_usage(s)
        test_fresh(s)
        test_list(s, "l01.ex1")
        test_hints(s)
        test_run_finished(s)
        test_bench_on_stubs(s)
        test_compile_error(s)
        test_two_done(s)
        test_watch(s)
        test_lesson_01_solved(s)
        test_reset(s)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    total = time.monotonic() - started
    if failures:
        print(f"\n{len(failures)} check(s) of ./learn failed ({total:.0f} s):")
        for name in failures:
            print(f"  {name}")
        sys.exit(1)
    print(f"\nevery check of ./learn passed ({total:.0f} s)")


if __name__ == "__main__":
    main()
