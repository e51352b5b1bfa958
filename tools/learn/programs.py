"""`./learn run` and `./learn bench`: a lesson's demo and benchmark, each built alone.

  run NN [demo]        build/learn/bin/lNN_demo[_name], built from your code
  run NN --finished    build/default/bin/lNN_demo, built from solutions/: works before you have
                       written anything (configures build/default if needed, builds that target)
  bench NN             build/learn-release/bin/bench_NN-topic, your code optimised (-O2)
"""
import os
import subprocess
import sys

import course

from . import build as builds
from . import term

ROOT = course.ROOT
DEBUG_WARNING = "***WARNING*** Library was built as DEBUG"


def demos(lesson):
    """The lesson's demo names: demo, demo_blocking, ..."""
    return sorted(p.stem for p in lesson.path.glob("demo*.cpp"))


def choose_demo(lesson, name):
    """The demo's stem for a name given as `blocking`, `demo_blocking` or nothing; None if unknown."""
    names = demos(lesson)
    if not name:
        return "demo" if "demo" in names else (names[0] if names else None)
    for candidate in (name, f"demo_{name}", name.replace(f"l{lesson.nn}_", "")):
        if candidate in names:
            return candidate
    return None


def stream(command, env=None, keep=None, skip=None):
    """Run a program, printing its output as it comes (stderr with it); (exit code, output)."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, errors="replace", bufsize=1)
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if skip and skip(line):
                continue
            sys.stdout.write(line)
            sys.stdout.flush()
    except KeyboardInterrupt:
        process.kill()
        process.wait()
        raise
    return process.wait(), "".join(lines)


def finished_command(lesson, name):
    return " ".join(["./learn run", lesson.nn] + ([name] if name else []) + ["--finished"])


def run_demo(lesson, name, finished=False, virtual=False, mirror=False, extra=()):
    stem = choose_demo(lesson, name)
    if stem is None:
        available = ", ".join(d.replace("demo_", "") for d in demos(lesson)) or "none"
        term.out(term.bad("error: ") + f"lesson {lesson.nn} has no demo '{name}' (its demos: {available})")
        return 2
    target = f"l{lesson.nn}_{stem}"
    preset = "default" if finished else "learn"
    if not builds.configure(preset):
        return 1
    whose = "the finished code, from solutions/" if finished else "your code"
    result = builds.build(preset, [target], f"building {target} ({whose})")
    if not result.ok:
        term.out(term.bad(f"{target} does not compile; the first error:"))
        builds.show_failure(result, indent="  ")
        if not finished:
            term.out(f"The finished demo runs without your code: {finished_command(lesson, name)}")
        return 1
    env = dict(os.environ)
    if virtual:
        env["AIO_CLOCK"] = "virtual"
    program = builds.build_dir(preset) / "bin" / target
    clock = " on the virtual clock" if virtual else ""
    term.out(term.dim(f"$ {'AIO_CLOCK=virtual ' if virtual else ''}{builds.relative(program)}{clock}"))
    code, output = stream([str(program), *extra], env=env)
    if code != 0:
        term.out()
        if "is not written yet" in output:
            term.out(term.note("The demo stopped at an exercise you have not written yet."))
            term.out(f"Run the finished one: {finished_command(lesson, name)}")
            term.out("Or find the exercise: ./learn")
        else:
            term.out(term.bad(f"{target} exited with code {code}."))
        return 1
    if mirror:
        return run_mirror(lesson, stem, output, virtual)
    return 0


def run_mirror(lesson, stem, demo_output, virtual):
    sys.path.insert(0, str(ROOT / "tools"))
    from output_lines import diff, same_output
    script = lesson.path / (stem.replace("demo", "mirror", 1) + ".py")
    if not script.exists():
        term.out(term.note(f"{stem} has no mirror ({builds.relative(script)} does not exist)."))
        return 0
    command = [sys.executable, str(script)]
    if virtual:
        command = [sys.executable, str(ROOT / "tools" / "virtual_asyncio.py"), str(script)]
    term.out()
    term.out(term.dim(f"$ python3 {builds.relative(script)}" + (" on the virtual clock" if virtual else "")))
    code, output = stream(command)
    term.out()
    if code != 0:
        term.out(term.bad(f"the mirror exited with code {code}"))
        return 1
    if same_output(output, demo_output):
        term.out(term.good("The demo and its mirror print the same lines."))
        return 0
    term.out(term.note("The demo and its mirror print different lines:"))
    sys.stdout.write(diff(output, demo_output, script.name, stem))
    if not virtual:
        term.out(term.dim("On the real clock timings can differ; --virtual compares them as the test does."))
    return 1


def bench(lesson, quick=False, extra=()):
    source = ROOT / "benchmarks" / f"{lesson.name}.cpp"
    if not source.exists():
        term.out(term.bad("error: ") + f"lesson {lesson.nn} has no benchmark (benchmarks/{lesson.name}.cpp)")
        return 2
    unfinished = [e.id for e in lesson.exercises if e.todos]
    if unfinished:
        term.out(term.note(term.wrap(
            f"Not written yet: {', '.join(unfinished)}. The benchmark runs your code, so it stops "
            f"with NotImplemented where it reaches one of them. Finish the lesson first (./learn), "
            f"or measure the finished code: cmake --workflow --preset release.")))
    preset = "learn-release"
    if not builds.configure(preset):
        return 1
    target = f"bench_{lesson.name}"
    result = builds.build(preset, [target], f"building {target} (your code, -O2)")
    if not result.ok:
        term.out(term.bad(f"{target} does not compile; the first error:"))
        builds.show_failure(result, indent="  ")
        return 1
    program = builds.build_dir(preset) / "bin" / target
    arguments = list(extra)
    env = dict(os.environ)
    if quick:
        arguments.append("--benchmark_min_time=0.01")
        env["AIO_BENCH_SMOKE"] = "1"
    term.out(term.dim(f"$ {builds.relative(program)} {' '.join(arguments)}".rstrip()))
    explained = []

    def skip(line):
        if DEBUG_WARNING in line:
            if not explained:
                term.out(term.dim("note: DEBUG is Debian's build of the library; your code is -O2: timings hold."))
                explained.append(True)
            return True
        return False

    code, output = stream([str(program), *arguments], env=env, skip=skip)
    if code != 0:
        term.out()
        if "is not written yet" in output:
            term.out(term.note("The benchmark reached an exercise you have not written yet: ./learn shows it."))
        else:
            term.out(term.bad(f"{target} exited with code {code}."))
        return 1
    return 0
