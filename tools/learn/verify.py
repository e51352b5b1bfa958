"""`./learn verify NN`: a whole lesson, the way its author checks it, on the learner's code.

  1. the exercises track (build/learn): the lesson's targets, then every test of the lesson: its
     exercises (lNN.exK), the demo against its asyncio mirror (lNN.mirror*), the lesson's claims
     about CPython (lNN.cpython), and any other (lNN.stress);
  2. the same tests built under AddressSanitizer and UndefinedBehaviorSanitizer (build/learn-asan,
     the learn-asan preset; only the lesson's targets are built), once step 1 passes.
A table at the end says what passed where.
"""
import re

from . import build as builds
from . import progress
from . import show
from . import term
from . import testrun

KIND_ORDER = ("exercise", "mirror", "cpython", "other")


def kind(name):
    if re.match(r"^l\d\d\.ex\d+$", name):
        return "exercise"
    if ".mirror" in name:
        return "mirror"
    if name.endswith(".cpython"):
        return "cpython"
    return "other"


def ordered(names):
    def key(name):
        number = re.search(r"\.ex(\d+)$", name)
        return KIND_ORDER.index(kind(name)), int(number.group(1)) if number else 0, name
    return sorted(names, key=key)


def run_preset(lesson, preset, skip=()):
    """Build the lesson's targets in build/<preset> and run its tests: (BuildResult, {name: Result}),
    or (None, {}) when the folder cannot be configured."""
    if not builds.configure(preset):
        return None, {}
    targets = progress.lesson_targets(lesson)
    result = builds.build(preset, targets, f"building lesson {lesson.nn} ({preset})")
    if not result.ok:
        return result, {}
    tests = testrun.listed(preset)
    wanted = [t for name, t in tests.items() if name.startswith(f"l{lesson.nn}.") and kind(name) not in skip]
    term.out(term.dim(f"running {len(wanted)} tests of lesson {lesson.nn} ({preset})..."))
    return result, testrun.run_all(wanted)


def report_failures(results, preset):
    for name in ordered(results):
        outcome = results[name]
        if outcome.passed or outcome.status == "skipped":
            continue
        term.out()
        term.out(term.bad(f"{name} {outcome.status}") + term.dim(f" ({preset})"))
        show.show_check(outcome, label="")


def verify(lesson):
    term.out(term.bold(f"lesson {lesson.nn} · {progress.lesson_title(lesson)}: verify"))
    columns = {}
    notes = []
    build, results = run_preset(lesson, "learn")
    if build is None:
        return 1
    if not build.ok:
        term.out(term.bad("The lesson does not compile on the exercises track; the first error:"))
        builds.show_failure(build, lesson.nn, indent="  ")
        return 1
    columns["learn"] = results
    report_failures(results, "learn")
    plain_ok = all(r.passed or r.status == "skipped" for r in results.values())
    if plain_ok:
        asan_build, asan_results = run_preset(lesson, "learn-asan", skip=("cpython",))
        if asan_build is None:
            return 1
        if not asan_build.ok:
            term.out(term.bad("The lesson does not compile under the sanitizers; the first error:"))
            builds.show_failure(asan_build, lesson.nn, indent="  ")
            return 1
        columns["learn-asan"] = asan_results
        report_failures(asan_results, "learn-asan")
        notes.append("learn-asan: your code under AddressSanitizer + UndefinedBehaviorSanitizer "
                     "(cpython claims do not depend on it)")
    else:
        notes.append("learn-asan: not run; fix the failures above first")
    return table(lesson, columns, notes)


def table(lesson, columns, notes):
    names = ordered({n for results in columns.values() for n in results})
    presets = ["learn", "learn-asan"]
    term.out()
    header = f"  {'test':<24}" + "".join(f"{p:<14}" for p in presets)
    term.out(term.bold(header.rstrip()))
    everything = True
    for name in names:
        cells = []
        for preset in presets:
            outcome = columns.get(preset, {}).get(name)
            if outcome is None:
                text, paint = "-", term.dim
            elif outcome.passed:
                text, paint = "passed", term.good
            elif outcome.status == "skipped":
                text, paint = "skipped", term.dim
            else:
                text, paint = outcome.status, term.bad
                everything = False
            cells.append(paint(f"{text:<14}" if preset != presets[-1] else text))
        term.out(f"  {name:<24}" + "".join(cells))
    for note in notes:
        term.out(term.dim(term.wrap(note, "  ", "    ")))
    term.out()
    if not names:
        term.out(term.bad(f"lesson {lesson.nn} has no tests in build/learn"))
        return 1
    if everything and "learn-asan" in columns:
        term.out(term.good(f"Lesson {lesson.nn} passes everything, under the sanitizers too."))
        term.out(f"Measure it: ./learn bench {lesson.nn}")
        return 0
    term.out(term.bad(f"Lesson {lesson.nn} is not there yet.") + " Run ./learn to see the first exercise to fix.")
    return 1
