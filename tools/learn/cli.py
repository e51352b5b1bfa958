"""The verbs of ./learn and their options. Exit codes: 0 success (everything done), 1 something
to fix (an exercise fails, a build breaks), 2 a command line that cannot be understood."""
import argparse
import os
from pathlib import Path
import re
import subprocess
import sys
import textwrap

import course

from . import build as builds
from . import hints
from . import programs
from . import progress
from . import show
from . import stubs
from . import term
from . import verify as verifying
from . import watch as watching

VERBS = [
    ("(none)", "build, test, and show the first unfinished exercise"),
    ("watch", "the same, then again on every save (Ctrl-C to stop)"),
    ("list", "every exercise: done, current, started..., with minutes"),
    ("hint", "hint 1 for the current exercise; hint 2 when asked again"),
    ("verify", "a whole lesson: tests, mirror, CPython claims, sanitizers"),
    ("reset", "put one exercise's stub back, after asking"),
    ("run", "a lesson's demo on your code (--finished: the finished one)"),
    ("bench", "a lesson's benchmark on your code, optimised"),
    ("doctor", "is this machine ready? what to install if not"),
]

OVERVIEW = """\
The course's runner: it builds your code (lessons/NN-topic/aio/), runs the
tests, and tells you what to do next.

usage: ./learn [VERB] [OPTIONS]        (./learn VERB --help explains one verb)

{verbs}

Builds: build/learn (your code), build/learn-asan (under the sanitizers),
build/learn-release (optimised), build/default (the finished code). Jobs:
CMAKE_BUILD_PARALLEL_LEVEL, else one per core. No colour with NO_COLOR set.
Exit codes: 0 all done, 1 something to fix, 2 a command line not understood.
"""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.stderr.write("  ./learn --help lists the verbs; ./learn VERB --help explains one.\n")
        raise SystemExit(2)


def overview():
    lines = [f"  {'./learn' if verb == '(none)' else './learn ' + verb:<16} {text}" for verb, text in VERBS]
    return OVERVIEW.format(verbs="\n".join(lines))


def make_parser():
    parser = Parser(prog="./learn", add_help=False, usage="./learn [VERB] [OPTIONS]")
    parser.add_argument("-h", "--help", action="store_true")
    verbs = parser.add_subparsers(dest="verb", parser_class=Parser)

    def verb(name, summary, description, epilog=None):
        description = "\n\n".join(textwrap.fill(" ".join(part.split()), 78)
                                   for part in description.split("\n\n"))
        return verbs.add_parser(name, prog=f"./learn {name}", help=summary, description=description, epilog=epilog,
                                formatter_class=argparse.RawDescriptionHelpFormatter)

    p = verb("watch", "check again on every save", """\
Does what ./learn does, then watches the files under lessons/. After each save it rebuilds
the current lesson's tests (test_lNN), reruns the current exercise's tests and shows the result;
when they pass it moves on to the next exercise. Ctrl-C stops it.""")
    p.add_argument("--once", action="store_true", help="stop after the first save has been checked")
    p.add_argument("--poll", type=float, default=0.5, metavar="SECONDS",
                   help="how often to look for saves (default 0.5)")

    verb("list", "every exercise's state", """\
Builds your code and runs the exercises' tests, then lists every lesson and exercise as done,
current, started (your code replaced the stub, the tests still fail), not started, or does not
compile; with the minutes from each lesson's card, and the totals.""")

    p = verb("hint", "the chapter's hints, one at a time", """\
Shows the chapter's hints for an exercise (the current one if none is named): hint 1, the
concept, the first time; hint 2, the plan, when asked again; then where its solution is. What
was shown is remembered in build/learn/learn-state.json.""", "example: ./learn hint l01.ex2 --level 2")
    p.add_argument("exercise", nargs="?", help="an exercise id such as l01.ex2")
    p.add_argument("--level", type=int, choices=(1, 2), help="show this hint (1 or 2)")

    p = verb("verify", "a whole lesson, under the sanitizers too", """\
Checks a whole lesson on your code. First on the exercises track (build/learn):
its exercises (lNN.exK), its demo against the asyncio program it mirrors
(lNN.mirror*), its claims about CPython (lNN.cpython) and any other test of the
lesson. Then, once those pass, the same tests built under AddressSanitizer and
UndefinedBehaviorSanitizer (the learn-asan preset, build/learn-asan; only the
lesson's targets are built). A table at the end says what passed where.""",
             "example: ./learn verify 01")
    p.add_argument("lesson", nargs="?", help="a lesson number such as 01 (default: the current lesson)")

    p = verb("reset", "put one exercise's stub back", """\
Puts back the body of each function that holds the exercise's AIO_TODO, as the course shipped
it (from git history), and only those: the rest of the file, your other exercises included,
stays as it is. Asks first; a copy of each changed file is kept in build/learn/reset-backup/.
It refuses, and changes nothing, when a function cannot be matched safely.""",
             "example: ./learn reset l01.ex3")
    p.add_argument("exercise", help="an exercise id such as l01.ex3")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask")

    p = verb("run", "a lesson's demo", """\
Builds and runs a lesson's demo: your code (build/learn/bin/lNN_demo), or with --finished the
finished code (build/default/bin/lNN_demo, built from solutions/, so it runs before you have
written anything). Arguments after -- go to the demo.""",
             "examples:\n  ./learn run 01\n  ./learn run 04 blocking --virtual\n  ./learn run 06 --finished --mirror")
    p.add_argument("lesson", help="a lesson number such as 01")
    p.add_argument("demo", nargs="?", help="which demo: demo (default), or the part after demo_, e.g. blocking")
    p.add_argument("--finished", action="store_true", help="run the finished demo, built from solutions/")
    p.add_argument("--virtual", action="store_true", help="on the virtual clock (AIO_CLOCK=virtual): sleeps take no time")
    p.add_argument("--mirror", action="store_true", help="then run the asyncio program it mirrors and compare")

    p = verb("bench", "a lesson's benchmark on your code", """\
Builds the lesson's benchmark (bench_NN-topic) from your code, optimised (-O2, the learn-release
preset, build/learn-release), and runs it. Arguments after -- go to the benchmark program, e.g.
-- --benchmark_filter=generator.""", "example: ./learn bench 01 --quick")
    p.add_argument("lesson", help="a lesson number such as 01")
    p.add_argument("--quick", action="store_true",
                   help="a short run: --benchmark_min_time=0.01 and the smaller sizes only")

    verb("doctor", "is this machine ready for the course?", """\
Checks what the course needs (a C++20 compiler that builds coroutines, CMake 3.25+, Ninja,
Catch2, Google Benchmark, Python 3.11+) and what some lessons use (cmark-gfm, Graphviz,
Chromium, Pygments), and prints the one apt-get line that installs what is missing. The same as
python3 tools/setup_check.py: the first ten minutes of a class.""")
    return parser


def split_passthrough(argv):
    if "--" in argv:
        at = argv.index("--")
        return argv[:at], argv[at + 1:]
    return argv, []


def exercise_or_error(text):
    wanted = (text or "").strip().lower()
    match = re.fullmatch(r"l?(\d{1,2})\.(?:ex)?(\d+)", wanted)
    if match:
        wanted = f"l{int(match.group(1)):02d}.ex{int(match.group(2))}"
    exercise = course.find_exercise(wanted)
    if exercise is None:
        sys.stderr.write(f"./learn: error: no exercise '{text}'. Exercise ids look like l01.ex2; "
                         f"./learn list shows them all.\n")
        raise SystemExit(2)
    return exercise


def lesson_or_error(text):
    wanted = re.sub(r"^l", "", (text or "").strip().lower())
    lesson = progress.find_lesson(wanted)
    if lesson is None or not lesson.exercises:
        known = " ".join(l.nn for l in progress.lessons())
        sys.stderr.write(f"./learn: error: no lesson '{text}'. Lessons: {known}\n")
        raise SystemExit(2)
    return lesson


def current_exercise():
    """The current exercise as the last look at the course left it, or a fresh look."""
    remembered = progress.load_memory().get("current")
    if remembered:
        exercise = course.find_exercise(remembered)
        if exercise is not None:
            return exercise
    survey = progress.survey()
    if not survey.ok:
        return None
    now = survey.current
    return now.exercise if now else None


def cmd_doctor():
    setup_check = Path(__file__).resolve().parent.parent / "setup_check.py"
    return subprocess.call([sys.executable, str(setup_check)])


def cmd_show():
    survey = progress.survey()
    if not survey.ok:
        return 1
    now = survey.current
    if now is None:
        show.show_all_done(survey.states)
        return 0
    show.show_current(now, survey.states, survey, hint_level=hints.shown_level(now.exercise.id))
    others = sorted(s.exercise.lesson.nn for s in survey.states
                    if s.status == "broken" and s.exercise.lesson.nn != now.exercise.lesson.nn)
    if others:
        term.out(term.note(f"Also: lesson(s) {', '.join(sorted(set(others)))} do not compile (./learn list)."))
    return 1


def cmd_list():
    survey = progress.survey()
    if not survey.ok:
        return 1
    show.show_list(survey.states, survey)
    return 0


def cmd_hint(args):
    if args.exercise:
        exercise = exercise_or_error(args.exercise)
    else:
        exercise = current_exercise()
        if exercise is None:
            term.out(term.good("Every exercise is done: there is nothing left to hint at."))
            return 0
    return hints.give(exercise, args.level)


def cmd_verify(args):
    if args.lesson:
        lesson = lesson_or_error(args.lesson)
    else:
        exercise = current_exercise()
        if exercise is None:
            term.out("Every exercise is done; name the lesson to verify: ./learn verify NN")
            return 2
        lesson = exercise.lesson
    return verifying.verify(lesson)


def cmd_reset(args):
    exercise = exercise_or_error(args.exercise)
    try:
        changes = stubs.plan_reset(exercise)
    except stubs.ResetRefused as refused:
        term.out(term.bad("reset refused: ") + str(refused))
        term.out("Nothing was changed.")
        return 1
    changing = [c for c in changes if c.before != c.after]
    if not changing:
        term.out(f"{exercise.id} is already the stub: nothing to put back.")
        return 0
    term.out(f"This puts back the stub of {exercise.id}, replacing your code in:")
    for change in changing:
        for function in change.functions:
            term.out(f"  {change.path}  {function}")
    term.out(term.dim(term.wrap("Everything else in those files stays as it is; a copy of each file "
                                "is kept in build/learn/reset-backup/.")))
    if not args.yes:
        if not sys.stdin.isatty():
            term.out(term.bad("Not confirmed: ") + f"run ./learn reset {exercise.id} --yes to do it without asking.")
            return 1
        try:
            answer = input("Put the stub back? [y/N] ").strip().lower()
        except (EOFError, KeyboardInterrupt):
            answer = ""
        if answer not in ("y", "yes"):
            term.out("Nothing was changed.")
            return 1
    backup = builds.build_dir(progress.PRESET) / "reset-backup"
    for change in changing:
        saved = backup / change.path
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(change.before)
        (course.ROOT / change.path).write_text(change.after)
    if not stubs.restored_correctly(exercise, changing):
        term.out(term.bad("The restored file does not match the stub; your version is in ") +
                 builds.relative(backup))
        return 1
    term.out(term.good(f"{exercise.id} is the stub again.") + " ./learn shows it.")
    return 0


def cmd_run(args, extra):
    lesson = lesson_or_error(args.lesson)
    return programs.run_demo(lesson, args.demo, finished=args.finished, virtual=args.virtual,
                             mirror=args.mirror, extra=extra)


def cmd_bench(args, extra):
    lesson = lesson_or_error(args.lesson)
    return programs.bench(lesson, quick=args.quick, extra=extra)


def main(argv):
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (./learn list | head): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv):
    argv, extra = split_passthrough(list(argv))
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.help:
        sys.stdout.write(overview())
        return 0
    if extra and args.verb not in ("run", "bench"):
        parser.error("arguments after -- are for run and bench only")
    try:
        if args.verb is None:
            return cmd_show()
        if args.verb == "watch":
            return watching.watch(poll=args.poll, once=args.once)
        if args.verb == "list":
            return cmd_list()
        if args.verb == "hint":
            return cmd_hint(args)
        if args.verb == "verify":
            return cmd_verify(args)
        if args.verb == "reset":
            return cmd_reset(args)
        if args.verb == "run":
            return cmd_run(args, extra)
        if args.verb == "bench":
            return cmd_bench(args, extra)
        if args.verb == "doctor":
            return cmd_doctor()
    except builds.ToolMissing as missing:
        term.out(term.bad("error: ") + str(missing))
        return 1
    except KeyboardInterrupt:
        term.out()
        term.out(term.dim("stopped."))
        return 130
    parser.error(f"unknown verb {args.verb}")
