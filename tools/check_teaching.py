"""Checks that the book teaches without handing out the answers, and that every exercise has its help.

    python3 tools/check_teaching.py [--max-leak 10] [--lesson NN]

For every lesson (see tools/course.py for where each piece lives):
  - answers on the page: for each stub and its solution, the lines only the solution has are the
    exercise's answer. A line counts when it is substantive (12 characters or more once stripped,
    not a comment, with a word of three letters or digits). It is printed when the same stripped
    line appears in the chapter's main text (book/NN-topic.md; the solutions page is exempt). At
    most --max-leak percent of a lesson's answer lines may be printed.
  - every exercise has a section "### lNN.exK: title" in the chapter with a "Read first:" link to
    a heading of the chapter, a "Hint 1" (the concept) and a "Hint 2" (the plan);
  - every exercise has a section "## lNN.exK: title" on the solutions page, with at least one block
    taken from solutions/ through a marker, and the chapter links to that page;
  - every stub's AIO_TODO hint is short (at most 160 characters) and names the chapter section to
    read, as (see 'Section title');
  - from lesson 04 on, the chapter has at least one generated figure;
  - the minutes of each lesson in book/index.md are its card's total (the card is the source);
  - every claim about CPython whose output differs in 3.12 or 3.13 (an `# expect 3.12:` or
    `# expect 3.13:` block in lessons/NN-topic/cpython/) is listed in book/appendix-python-versions.md.
Exits 1 and lists what is missing, else prints one line per lesson.
"""
import argparse
import difflib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402

ROOT = course.ROOT
HINT_LIMIT = 160
TODO_CALL = re.compile(r'AIO_TODO\(\s*"(l\d\d\.ex\d+)"\s*,((?:\s*"(?:[^"\\]|\\.)*")+)\s*\)', re.S)


def substantive(line):
    text = line.strip()
    if len(text) < 12 or text.startswith(("//", "/*", "*", "#")):
        return False
    return bool(re.search(r"[A-Za-z0-9_]{3}", text))


def answer_lines(stub, solution):
    """The substantive lines that the solution has and the stub does not."""
    a = stub.read_text(errors="replace").splitlines()
    b = solution.read_text(errors="replace").splitlines()
    found = []
    for tag, _, _, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "insert"):
            found.extend(line.strip() for line in b[j1:j2] if substantive(line))
    return found


def leak(lesson):
    """(printed, total) answer lines of a lesson."""
    if lesson.chapter is None:
        return 0, 0
    page = {line.strip() for line in lesson.chapter.read_text(errors="replace").splitlines()}
    printed = total = 0
    for stub in lesson.stubs():
        solution = ROOT / "solutions" / lesson.name / "aio" / stub.name
        if solution.exists():
            for line in answer_lines(stub, solution):
                total += 1
                printed += line in page
    return printed, total


def todo_hints(lesson):
    """(stub, exercise id, hint text) for every AIO_TODO in the lesson's stubs."""
    for stub in lesson.stubs():
        text = stub.read_text(errors="replace")
        for match in TODO_CALL.finditer(text):
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(2))
            yield stub, match.group(1), "".join(parts)


def plain(title):
    return re.sub(r"[`*_]", "", title).strip()


def check_lesson(lesson, max_leak):
    problems = []
    where = lesson.chapter.relative_to(ROOT) if lesson.chapter else f"book/{lesson.name}.md"
    if lesson.chapter is None:
        return [f"{lesson.name}: no chapter book/{lesson.nn}-*.md"], ""
    text = lesson.chapter.read_text()
    anchors = course.headings(text)
    titles = {plain(title) for title in anchors.values()}

    printed, total = leak(lesson)
    percent = 100 * printed / total if total else 0
    if percent > max_leak:
        problems.append(f"{where}: prints {printed} of its exercises' {total} answer lines "
                        f"({percent:.0f}%, at most {max_leak:.0f}% allowed); show the stub, "
                        f"pseudo-code or a picture instead, and move the code to the solutions page")

    sections = lesson.chapter_sections()
    page = lesson.solutions_page
    page_text = page.read_text() if page.exists() else ""
    page_sections = set(re.findall(r"^## (l\d\d\.ex\d+)\b", page_text, re.M))
    if not page.exists():
        problems.append(f"{page.relative_to(ROOT)}: missing (the solutions page of lesson {lesson.nn})")
    elif f"solutions/{lesson.name}.md" not in text:
        problems.append(f"{where}: does not link to solutions/{lesson.name}.md")
    if page.exists() and "<!-- code: solutions/" not in page_text:
        problems.append(f"{page.relative_to(ROOT)}: takes no block from solutions/ through a marker")

    for exercise in lesson.exercises:
        section = sections.get(exercise.id)
        if section is None:
            problems.append(f"{where}: no section '### {exercise.id}: ...' in the exercises")
        else:
            if section["read"] is None:
                problems.append(f"{where}:{section['line']}: {exercise.id} has no 'Read first: [title](#anchor)' line")
            elif section["read"][1] not in anchors:
                problems.append(f"{where}:{section['line']}: {exercise.id} reads '#{section['read'][1]}', "
                                f"which is not a heading of the chapter")
            for hint in ("hint1", "hint2"):
                if not section[hint]:
                    problems.append(f"{where}:{section['line']}: {exercise.id} has no "
                                    f"<details><summary>Hint {hint[-1]}...</summary> block")
        if page.exists() and exercise.id not in page_sections:
            problems.append(f"{page.relative_to(ROOT)}: no section '## {exercise.id}: ...'")
        if not exercise.todos:
            problems.append(f"{exercise.id}: no AIO_TODO(\"{exercise.id}\", ...) in lessons/{lesson.name}/aio/")

    for stub, exercise_id, hint in todo_hints(lesson):
        name = stub.relative_to(ROOT)
        if len(hint) > HINT_LIMIT:
            problems.append(f"{name}: the hint of {exercise_id} has {len(hint)} characters "
                            f"(at most {HINT_LIMIT}: hint 1 and 2 live in the chapter)")
        see = re.search(r"\(see '([^']+)'\)", hint)
        if not see:
            problems.append(f"{name}: the hint of {exercise_id} does not name its section as (see 'Title')")
        elif plain(see.group(1)) not in titles:
            problems.append(f"{name}: the hint of {exercise_id} names '{see.group(1)}', "
                            f"which is not a heading of {where}")

    figures = re.findall(r"^<!-- figure: ", text, re.M)
    if int(lesson.nn) >= 4 and not figures:
        problems.append(f"{where}: no generated figure (<!-- figure: figures/{lesson.nn}-....seq|.dot -->)")

    summary = (f"l{lesson.nn}: {printed} of {total} answer lines printed ({percent:.0f}%), "
               f"{len(lesson.exercises)} exercises, {len(figures)} figure(s)")
    return problems, summary


def index_minutes():
    """{NN: minutes} from the table of book/index.md."""
    index = ROOT / "book" / "index.md"
    found = {}
    for match in re.finditer(r"^\|\s*\[(\d\d) [^\]]*\]\([^)]*\)\s*\|\s*(\d+)\s*\|", index.read_text(), re.M):
        found[match.group(1)] = int(match.group(2))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-leak", type=float, default=10.0)
    parser.add_argument("--lesson", action="append", default=[], help="only lesson NN (repeatable)")
    args = parser.parse_args()
    problems = []
    for lesson in course.lessons():
        if args.lesson and lesson.nn not in args.lesson:
            continue
        found, summary = check_lesson(lesson, args.max_leak)
        print(summary)
        problems.extend(found)
    listed = index_minutes()
    for lesson in course.lessons():
        total = lesson.card_minutes()
        if (not args.lesson or lesson.nn in args.lesson) and listed.get(lesson.nn) != total:
            problems.append(f"book/index.md: lesson {lesson.nn} is listed with {listed.get(lesson.nn)} "
                            f"minutes, its card says {total}")
    appendix = ROOT / "book" / "appendix-python-versions.md"
    appendix_text = appendix.read_text() if appendix.exists() else ""
    for claim in sorted(ROOT.glob("lessons/[0-9][0-9]-*/cpython/*.py")):
        if args.lesson and claim.parent.parent.name[:2] not in args.lesson:
            continue
        if re.search(r"^# expect 3\.1[2-9]:", claim.read_text(), re.M):
            name = str(claim.relative_to(ROOT))
            if name not in appendix_text:
                problems.append(f"book/appendix-python-versions.md: does not list {name}, "
                                f"whose output differs in a newer Python")
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(f"{len(problems)} problem(s): see CONTRIBUTING.md, 'Exercises, hints and solutions'")


if __name__ == "__main__":
    main()
