"""`./learn hint`: the chapter's graded hints, one level at a time.

Hint 1 names the concept, hint 2 the plan; both live in the exercise's section of the chapter
(CONTRIBUTING.md, "Exercises, hints and solutions"). The level already shown is remembered per
exercise in build/learn/learn-state.json; after hint 2 the runner points to the solutions page.
"""
from . import progress
from . import show
from . import stubs
from . import term

NAMES = {1: "the concept", 2: "the plan"}


def shown_level(exercise_id):
    return progress.load_memory().get("hints", {}).get(exercise_id, 0)


def record(exercise_id, level):
    memory = progress.load_memory()
    hints = memory.setdefault("hints", {})
    hints[exercise_id] = max(hints.get(exercise_id, 0), level)
    progress.save_memory(memory)


def give(exercise, level=None):
    """Print a hint for the exercise: `level` if given, else the next one not shown yet."""
    section = exercise.section()
    name = show.title(exercise)
    term.out(term.bold(exercise.id) + (f"  {name}" if name else ""))
    if not section or not (section.get("hint1") or section.get("hint2")):
        return _not_written(exercise)
    if level is None:
        level = min(shown_level(exercise.id) + 1, 2)
    text = section.get(f"hint{level}")
    if not text:
        term.out(term.note(f"The chapter has no hint {level} for {exercise.id} yet."))
        return 0
    term.out(term.dim(f"hint {level} of 2: {NAMES[level]}"))
    term.out()
    term.out(term.markdown(text))
    term.out()
    record(exercise.id, level)
    task = show.exercise_link(exercise)
    if level == 1:
        term.out(term.wrap("Still stuck? Ask again for hint 2, the plan: "
                           f"./learn hint {exercise.id}"))
    else:
        link = show.solution_link(exercise)
        if link:
            term.out(term.wrap(f"That was the last hint. The answer, with why it is written that way: {link}"))
            term.out(term.dim("(try once more before you look: the tests tell you a lot)"))
    if task:
        term.out(term.dim(term.wrap(f"The exercise in the chapter: {task}")))
    return 0


def _not_written(exercise):
    """The chapter has no section with hints for the exercise yet: say so, and give what exists."""
    lesson = exercise.lesson
    chapter = show.chapter_link(lesson) or f"book/{lesson.name}.md"
    term.out(term.note(term.wrap(f"The hints for {exercise.id} are not written yet: {chapter} has no "
                                 f"section '### {exercise.id}: ...'.")))
    term.out()
    hint = stubs.exercise_hint(exercise)
    if hint:
        term.out("The stub's own hint:")
        term.out(term.wrap(hint, "  "))
        term.out()
    read = show.reading(exercise)
    if read:
        term.out(term.wrap(f"Read: {read[0]} ({read[1]})"))
    link = show.solution_link(exercise)
    if link:
        term.out(term.wrap(f"The answer, when you want to compare: {link}"))
    return 0
