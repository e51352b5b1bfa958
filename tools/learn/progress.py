"""Where the learner is: every exercise's state, from a build of the exercises track and a run of
its exercise tests (lNN.exK), in course order (lesson, then exercise number).

  done            its tests pass
  started         its tests fail, and the learner has replaced at least one of its AIO_TODOs
  not started     its tests fail on the stub
  does not compile  the lesson's test program does not build
The current exercise is the first one that is not done.
"""
import json
import re
from dataclasses import dataclass

import course

from . import build as builds
from . import stubs
from . import testrun

ROOT = course.ROOT
PRESET = "learn"


@dataclass
class State:
    exercise: course.Exercise
    status: str                  # done, started, not started, broken, unknown
    result: testrun.Result = None

    @property
    def done(self):
        return self.status == "done"

    @property
    def label(self):
        return {"broken": "does not compile", "unknown": "not checked"}.get(self.status, self.status)


def lessons(only=None):
    """The course's lessons that have exercises (only those numbered in `only`, if given)."""
    found = [l for l in course.lessons() if l.exercises]
    if only:
        found = [l for l in found if l.nn in only]
    return found


def find_lesson(nn):
    nn = nn.zfill(2) if nn.isdigit() else nn
    for lesson in course.lessons():
        if lesson.nn == nn or lesson.name == nn:
            return lesson
    return None


def lesson_targets(lesson, tests=True, demos=True):
    """The build targets of a lesson: test_lNN and its demos lNN_demo*."""
    targets = []
    if tests and list(lesson.path.glob("test_*.cpp")):
        targets.append(f"test_l{lesson.nn}")
    if demos:
        targets += sorted(f"l{lesson.nn}_{p.stem}" for p in lesson.path.glob("demo*.cpp"))
    return targets


def title(exercise):
    """A short title: the chapter section's, else the card's minutes row, else the card's table."""
    section = exercise.section()
    if section:
        return re.sub(r"^l\d\d\.ex\d+:?\s*", "", section["title"]).replace("`", "")
    for part, _ in exercise.lesson.minute_rows():
        match = re.match(r"(?:l\d\d\.)?ex(\d+):\s*(.*)$", part)
        if match and int(match.group(1)) == exercise.number:
            return match.group(2).replace("`", "")
    if exercise.lesson.card.exists():
        for line in exercise.lesson.card.read_text(errors="replace").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells and cells[0] == exercise.id and len(cells) >= 4:
                return cells[3].replace("`", "")
    return ""


def lesson_title(lesson):
    if lesson.card.exists():
        first = lesson.card.read_text(errors="replace").splitlines()[0]
        match = re.match(r"#\s*Lesson\s*\d+\s*[·:-]\s*(.*)", first)
        if match:
            return match.group(1).strip()
    return lesson.name[3:].replace("-", " ")


def todo_counts(exercise):
    """(AIO_TODOs of the exercise left in the learner's files, AIO_TODOs in the shipped stubs)."""
    left = len(exercise.todos)
    committed = stubs.committed_markers().get(exercise.id)
    if committed:
        return left, committed
    shipped = stubs.shipped_functions(exercise)   # the learner has committed their work
    return left, len(shipped) if shipped else left


def states(lessons_, results, broken=()):
    """The State of every exercise of the lessons, from test results {name: Result}."""
    found = []
    for lesson in lessons_:
        for exercise in lesson.exercises:
            result = results.get(exercise.id)
            if lesson.nn in broken:
                status = "broken"
            elif result is None:
                status = "unknown"
            elif result.passed:
                status = "done"
            else:
                left, shipped = todo_counts(exercise)
                status = "started" if left < shipped or left == 0 else "not started"
            found.append(State(exercise, status, result))
    return found


def current(found):
    return next((s for s in found if not s.done), None)


@dataclass
class Survey:
    ok: bool                       # the build could be configured (and tests listed)
    build: builds.BuildResult = None
    tests: dict = None
    states: list = None

    @property
    def current(self):
        return current(self.states or [])


def survey(only=None, targets=None, what=None):
    """Configure if needed, build (everything, or `targets`), run the exercise tests of the
    lessons (all, or those numbered in `only`) and return where the learner is."""
    if not builds.configure(PRESET):
        return Survey(ok=False)
    chosen = lessons(only)
    for attempt in (1, 2):
        result = builds.build(PRESET, targets, what or "building the exercises track")
        # A lesson whose test program does not build has no state to trust; a failure that is no
        # lesson's own (the test framework, CMake) takes every lesson down with it.
        broken = {f.lesson for f in result.failures if f.lesson is None or (f.target or "").startswith("test_l")}
        if None in broken:
            broken = {l.nn for l in chosen}
        tests = testrun.listed(PRESET)
        unknown = [e.id for l in chosen if l.nn not in broken for e in l.exercises if e.id not in tests]
        # A lesson (or an exercise tag) that the build folder does not know yet: configure again.
        if not unknown or attempt == 2 or not builds.configure(PRESET, again=True):
            break
    wanted = [tests[e.id] for l in chosen if l.nn not in broken for e in l.exercises if e.id in tests]
    results = testrun.run_all(wanted)
    found = states(chosen, results, broken)
    remember(found, complete=not only)
    return Survey(ok=True, build=result, tests=tests, states=found)


# The runner's memory, in build/learn (never in the source tree): hints shown, the last current
# exercise.
def state_file():
    return builds.build_dir(PRESET) / "learn-state.json"


def load_memory():
    try:
        return json.loads(state_file().read_text())
    except (OSError, ValueError):
        return {}


def save_memory(memory):
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(memory, indent=1, sort_keys=True) + "\n")


def remember(found, complete=True):
    """Keep which exercises were done and, after a look at the whole course, the current one."""
    memory = load_memory()
    seen = {s.exercise.id for s in found}
    done = {e for e in memory.get("done", []) if e not in seen} | {s.exercise.id for s in found if s.done}
    memory["done"] = sorted(done)
    if complete:
        now = current(found)
        memory["current"] = now.exercise.id if now else None
    save_memory(memory)
