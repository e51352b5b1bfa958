"""The course as data: its lessons, their exercises, and the help the book gives for each.

Everything here is read from the files a learner sees, so it cannot drift from them:

  lessons/NN-topic/                 a lesson; NN orders the course
  lessons/NN-topic/test_*.cpp       every [lNN][exK] tag is an exercise
  lessons/NN-topic/aio/*.hpp        AIO_TODO("lNN.exK", "...") marks the bodies to write
  lessons/NN-topic/README.md        the card; its minutes table has a row per exercise ("| ex1: ...")
  book/NN-topic.md                  the chapter; "### lNN.exK: title" opens an exercise's section,
                                    with a "Read first:" link, and two <details> blocks whose
                                    summaries start "Hint 1" and "Hint 2"
  book/solutions/NN-topic.md        the solutions page; "## lNN.exK: title" per exercise

Used by tools/check_teaching.py (CI), by ./learn, and by anything else that needs the course's
shape. Python 3's standard library only.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODO = re.compile(r'AIO_TODO\(\s*"(l\d\d\.ex\d+)"')
TAG = re.compile(r"\[(l\d\d)\]\[(ex\d+)\]")


@dataclass
class Exercise:
    id: str                      # "l01.ex1"
    lesson: "Lesson"
    number: int                  # 1
    todos: list = field(default_factory=list)   # [(path relative to ROOT, line)] in the stub headers

    @property
    def tag(self):
        return f"[{self.id[:3]}][{self.id[4:]}]"

    @property
    def minutes(self):
        return self.lesson.exercise_minutes().get(self.number)

    def section(self):
        """The exercise's section of the chapter: a dict with title, anchor, read (title, anchor
        of the section to read first), hint1, hint2; or None when the chapter has none."""
        return self.lesson.chapter_sections().get(self.id)


@dataclass
class Lesson:
    nn: str                      # "01"
    name: str                    # "01-generators"
    exercises: list = field(default_factory=list)

    @property
    def path(self):
        return ROOT / "lessons" / self.name

    @property
    def tag(self):
        return f"l{self.nn}"

    @property
    def card(self):
        return self.path / "README.md"

    @property
    def chapter(self):
        found = sorted(p for p in (ROOT / "book").glob(f"{self.nn}-*.md"))
        return found[0] if found else None

    @property
    def solutions_page(self):
        return ROOT / "book" / "solutions" / f"{self.name}.md"

    def stubs(self):
        folder = self.path / "aio"
        return sorted(folder.glob("*.hpp")) if folder.is_dir() else []

    def card_minutes(self):
        """The card's total minutes, or None."""
        if not self.card.exists():
            return None
        match = re.search(r"^\|\s*\*\*total\*\*\s*\|\s*\*\*(\d+)\*\*", self.card.read_text(), re.M)
        return int(match.group(1)) if match else None

    def minute_rows(self):
        """The card's minutes table as [(part, minutes)], without the total."""
        if not self.card.exists():
            return []
        rows = []
        in_table = False
        for line in self.card.read_text().splitlines():
            if line.startswith("## "):
                in_table = line.strip() == "## Minutes"
                continue
            match = re.match(r"^\|\s*(.+?)\s*\|\s*(\d+)\s*\|\s*$", line)
            if in_table and match and "total" not in match.group(1):
                rows.append((match.group(1), int(match.group(2))))
        return rows

    def exercise_minutes(self):
        minutes = {}
        for part, value in self.minute_rows():
            match = re.match(r"(?:l\d\d\.)?ex(\d+)\b", part)
            if match:
                minutes[int(match.group(1))] = value
        return minutes

    def chapter_sections(self):
        if self.chapter is None:
            return {}
        return exercise_sections(self.chapter.read_text())


def anchor(title):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", title).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def headings(text):
    """{anchor: title} for every Markdown heading outside fenced blocks."""
    found = {}
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"^#{1,6} ", line):
            title = line.lstrip("#").strip()
            found.setdefault(anchor(title), title)
    return found


DETAILS = re.compile(r"<details>\s*<summary>\s*(Hint [12])[^<]*</summary>(.*?)</details>", re.S)
READ = re.compile(r"^Read first:\s*\[([^\]]+)\]\(#([^)]+)\)", re.M)


def exercise_sections(text):
    """{exercise id: section} for every "### lNN.exK: title" in a chapter."""
    sections = {}
    lines = text.splitlines()
    starts = [(i, m) for i, l in enumerate(lines) if (m := re.match(r"^### (l\d\d\.ex\d+):?\s*(.*)$", l))]
    for index, (i, match) in enumerate(starts):
        end = len(lines)
        for j in range(i + 1, len(lines)):
            if re.match(r"^#{1,3} ", lines[j]):
                end = j
                break
        body = "\n".join(lines[i + 1:end])
        hints = {name: content.strip() for name, content in DETAILS.findall(body)}
        read = READ.search(body)
        title = lines[i][4:].strip()
        sections[match.group(1)] = {
            "title": title,
            "anchor": anchor(title),
            "line": i + 1,
            "read": (read.group(1), read.group(2)) if read else None,
            "hint1": hints.get("Hint 1"),
            "hint2": hints.get("Hint 2"),
        }
    return sections


def lessons():
    """Every lesson, in course order, with its exercises in order."""
    found = []
    for folder in sorted((ROOT / "lessons").glob("[0-9][0-9]-*")):
        if not folder.is_dir():
            continue
        lesson = Lesson(nn=folder.name[:2], name=folder.name)
        numbers = set()
        for test in sorted(folder.glob("test_*.cpp")):
            for tag, ex in TAG.findall(test.read_text(errors="replace")):
                if tag == lesson.tag:
                    numbers.add(int(ex[2:]))
        by_number = {n: Exercise(id=f"{lesson.tag}.ex{n}", lesson=lesson, number=n) for n in sorted(numbers)}
        for stub in lesson.stubs():
            for lineno, line in enumerate(stub.read_text(errors="replace").splitlines(), 1):
                for ex_id in TODO.findall(line):
                    number = int(ex_id.split(".ex")[1])
                    if ex_id.startswith(lesson.tag) and number in by_number:
                        by_number[number].todos.append((str(stub.relative_to(ROOT)), lineno))
        lesson.exercises = list(by_number.values())
        found.append(lesson)
    return found


def find_exercise(exercise_id):
    for lesson in lessons():
        for exercise in lesson.exercises:
            if exercise.id == exercise_id:
                return exercise
    return None
