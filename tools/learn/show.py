"""What `./learn` and `./learn list` print: the current exercise (what to edit, what to read, what
failed) and the whole course's state."""
import re
import textwrap

import course

from . import build as builds
from . import progress
from . import stubs
from . import term
from . import testrun

ROOT = course.ROOT
LABEL = 7  # width of the labels on the left: "edit", "read", "check"


def chapter_link(lesson, anchor=None):
    if lesson.chapter is None:
        return None
    path = builds.relative(lesson.chapter)
    return f"{path}#{anchor}" if anchor else path


def _plain(title):
    return re.sub(r"[`*_]", "", title).strip()


def reading(exercise):
    """(title, book/NN-topic.md#anchor) of the section to read first, or None. From the
    exercise's "Read first:" line; before the chapter has one, from the stub's "(see 'Title')";
    else the chapter's exercises."""
    lesson = exercise.lesson
    if lesson.chapter is None:
        return None
    section = exercise.section()
    if section and section["read"]:
        title, anchor = section["read"]
        return title, chapter_link(lesson, anchor)
    headings = course.headings(lesson.chapter.read_text(errors="replace"))
    by_title = {_plain(t): a for a, t in headings.items()}
    see = re.search(r"\(see '([^']+)'\)", stubs.exercise_hint(exercise) or "")
    if see and _plain(see.group(1)) in by_title:
        return see.group(1), chapter_link(lesson, by_title[_plain(see.group(1))])
    if "the-exercises" in headings:
        return headings["the-exercises"], chapter_link(lesson, "the-exercises")
    return lesson.chapter.stem, chapter_link(lesson)


def exercise_link(exercise):
    section = exercise.section()
    return chapter_link(exercise.lesson, section["anchor"]) if section else None


def solution_link(exercise):
    page = exercise.lesson.solutions_page
    if not page.exists():
        return None
    for line in page.read_text(errors="replace").splitlines():
        match = re.match(r"^## (" + re.escape(exercise.id) + r"\b.*)$", line)
        if match:
            return f"{builds.relative(page)}#{course.anchor(match.group(1))}"
    return builds.relative(page)


def labelled(label, lines, paint=None):
    """Print lines under a label in the left column; the label only on the first."""
    for number, line in enumerate(lines):
        left = (label if number == 0 else "").ljust(LABEL)
        term.out("  " + (paint(left) if paint else left) + line)


def pair(first, second):
    """One line if both fit, else two."""
    if len(first) + len(second) + 2 + LABEL + 2 <= term.width():
        return [f"{first}  {second}"]
    return [first, "  " + second]


def wrapped(text, extra=0):
    room = term.width() - LABEL - 2 - extra
    return textwrap.wrap(text, width=max(30, room), break_long_words=False, break_on_hyphens=False) or [""]


def headline(state, states):
    exercise = state.exercise
    lesson = exercise.lesson
    in_lesson = [s for s in states if s.exercise.lesson.nn == lesson.nn]
    done = sum(1 for s in in_lesson if s.done)
    minutes = f" · about {exercise.minutes} min" if exercise.minutes else ""
    name = title(exercise)
    term.out(term.bold(exercise.id) + (f"  {name}" if name else ""))
    term.out(term.dim(f"lesson {lesson.nn} · {progress.lesson_title(lesson)} · "
                      f"{done} of {len(in_lesson)} done{minutes}"))


def title(exercise):
    return progress.title(exercise)


def show_current(state, states, survey=None, hint_level=0):
    """The current exercise, as `./learn` shows it."""
    exercise = state.exercise
    headline(state, states)
    term.out()
    where = stubs.spots(exercise)
    lines = []
    for spot in where:
        lines += pair(spot.where(), spot.function)
        if spot.problem:
            lines.append("  " + term.note(f"(not found in your file: {spot.problem})"))
    labelled("edit", lines or [f"lessons/{exercise.lesson.name}/aio/"])
    read = reading(exercise)
    if read:
        labelled("read", pair(read[0], read[1]))
    if state.status == "broken":
        labelled("build", [term.bad("the lesson's tests do not compile; the first error:")])
        builds.show_failure(survey.build, exercise.lesson.nn, indent=" " * (LABEL + 2))
    elif state.result is not None:
        show_check(state.result)
    term.out()
    more = []
    section = exercise.section()
    if section and section.get("hint1"):
        level = min(hint_level + 1, 2)
        more.append(f"./learn hint      hint {level} of 2 ({'the concept' if level == 1 else 'the plan'})")
    else:
        more.append("./learn hint      what the chapter says about it")
    more.append("./learn watch     check again on every save")
    labelled("next", more, term.dim)


def show_check(result, label="check"):
    lines = []
    summary = testrun.summary(result)
    if result.status == "timeout":
        lines.append(term.bad("a test case never ends:"))
    elif result.status == "crashed":
        lines.append(term.bad("the test program crashed:"))
    elif result.cases and result.failed_cases:
        first = f"{result.failed_cases} of {result.cases} test cases fail; the first:"
        lines.append(term.bad(first) if result.failed_cases == result.cases else term.note(first))
    for number, line in enumerate(summary):
        for part_number, part in enumerate(line.splitlines() or [""]):
            indent = "" if number == 0 and part_number == 0 else "  "
            for piece in wrapped(part, len(indent)):
                lines.append(indent + piece)
    labelled(label, lines[:14])


def planned_lessons():
    """The README's lessons whose state is "planned", as numbers."""
    readme = ROOT / "README.md"
    if not readme.exists():
        return []
    return re.findall(r"^\|\s*(\d\d)\s*\|.*\|\s*planned\s*\|\s*$", readme.read_text(errors="replace"), re.M)


def show_all_done(states):
    lessons = sorted({s.exercise.lesson.nn for s in states})
    term.out(term.good(f"Every exercise is done: {len(states)} exercises in lessons "
                       f"{lessons[0]}-{lessons[-1]}, all passing."))
    term.out()
    term.out("What next:")
    for line in ("./learn verify NN   a lesson again, with its mirror, under the sanitizers",
                 "./learn bench NN    a lesson's benchmark on your code, optimised",
                 "Your runtime against CPython's asyncio, side by side:",
                 "  cmake --preset learn-release",
                 "  cmake --build --preset learn-release --target bench_workloads",
                 "  python3 benchmarks/compare.py --bin build/learn-release/bin/bench_workloads"):
        term.out("  " + line)
    planned = planned_lessons()
    if planned:
        term.out()
        term.out(term.wrap(f"Lessons {planned[0]}-{planned[-1]} are planned (see the README's table); "
                           f"when they arrive, `git pull` and run ./learn again."))


def show_list(states, survey=None):
    """Every lesson and exercise with its state and minutes, and the totals."""
    now = progress.current(states)
    total_minutes = 0
    done_count = sum(1 for s in states if s.done)
    by_lesson = {}
    for state in states:
        by_lesson.setdefault(state.exercise.lesson.nn, []).append(state)
    for nn, group in by_lesson.items():
        lesson = group[0].exercise.lesson
        minutes = lesson.card_minutes()
        total_minutes += minutes or 0
        done = sum(1 for s in group if s.done)
        head = f"{nn}  {progress.lesson_title(lesson)}"
        right = f"{done}/{len(group)} done  {minutes or '?':>4} min"
        term.out(term.bold(head.ljust(term.width() - len(right) - 1)) + " " + right)
        for state in group:
            exercise = state.exercise
            status = "current" if now is not None and state is now else state.label
            paint = {"done": term.good, "current": lambda t: term.paint(t, "cyan", "bold"),
                     "does not compile": term.bad, "started": term.note}.get(status, term.dim)
            mark = {"done": "+", "current": ">"}.get(status, " ")
            name = title(exercise)
            minutes_text = f"{exercise.minutes} min" if exercise.minutes else ""
            room = term.width() - 38
            if len(name) > room:
                name = name[:room - 3] + "..."
            term.out(f"  {mark} {exercise.id:<8} {name:<{room}} " + paint(f"{status:<16}") + f" {minutes_text:>7}")
        term.out()
    hours, minutes = divmod(total_minutes, 60)
    term.out(term.bold(f"{done_count} of {len(states)} exercises done") +
             f"; the lessons' cards add up to {total_minutes} min (about {hours} h {minutes:02d} min).")
    if now is not None:
        term.out(f"Current: {now.exercise.id}. Run ./learn to see it.")
