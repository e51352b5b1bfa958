"""The classroom kit: instructor notes, discussion questions and quizzes per lesson, and the schedules.

Where each piece lives (one folder per lesson, named like the lesson's folder):

  teach/lessons/NN-topic/notes.md     instructor notes, in four sections:
                                        ## Demo live                 what to run in front of the class
                                        ## Where learners get stuck  two or three "- **...**" items
                                        ## When short of time        what to cut
                                        ## Discussion                one or two numbered questions
  teach/lessons/NN-topic/quiz.md      three to five questions, each "### QK. title"; a question that
                                      asks what a program prints has the program and its answer:
                                        <!-- quiz: quiz/q1_name.py -->
                                        ```python
                                        ...the program, copied in by `kit.py update`...
                                        ```
                                        ...
                                        <!-- answer: quiz/q1_name.py -->
                                        ```text
                                        ...what the program prints, written by `kit.py update`...
                                        ```
  teach/lessons/NN-topic/quiz/*.py    the quiz programs: plain asyncio, run on the virtual clock
                                      (tools/virtual_asyncio.py), so sleeps take no time and the
                                      output is the same as on the real clock
  teach/lessons/NN-topic/quiz/*.cpp   quiz programs in C++ on the finished aio: a namespace
                                      quiz_NN_<file name> with a main_coro(); all of them are built
                                      into one program, bin/kit_quiz (book/CMakeLists.txt), and run
                                      as `kit_quiz NN/<file name>` with AIO_CLOCK=virtual
  teach/schedules.toml                the shape of the one-day workshop and the ten-session course
  teach/schedules.md                  the schedules, written by `kit.py update` from the cards'
                                      "## Minutes" tables (tools/course.py reads them)

    kit.py check [--bin DIR] [--lesson NN] [--all-versions] [--require-all]
        fail when a quiz's program or answer is not what the program is and prints, when notes
        or a quiz lack a part, or when teach/schedules.md is stale. Every lesson that has a chapter
        and a kit folder is checked; a lesson without a kit folder is a warning (an error with
        --require-all). --all-versions also runs every quiz program under each python3.12 and
        python3.13 on the PATH and fails if one prints something else. --bin is the folder of a
        solutions-track build with kit_quiz in it (built with -DAIO_AUTHOR_CHECKS=ON); without it
        the C++ programs' answer keys are not checked, and a warning says so.
    kit.py update [--bin DIR] [--lesson NN]   rewrite the quiz blocks from the programs, and the schedules
    kit.py schedule                   print the schedules

Python 3.11 or newer, standard library only.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402

ROOT = course.ROOT
TEACH = ROOT / "teach"
KIT = TEACH / "lessons"
VIRTUAL = ROOT / "tools" / "virtual_asyncio.py"
MARKER = re.compile(r"^<!-- (quiz|answer): (\S+) -->\s*$")
NOTE_SECTIONS = ["Demo live", "Where learners get stuck", "When short of time", "Discussion"]
RUN_DEMO = re.compile(r"\./learn run (\d\d)((?: [a-z_]+)?)")
TIMEOUT = 20
BIN = None          # --bin: where kit_quiz is
NOT_RUN = []        # C++ programs whose answers could not be checked (no --bin)


# ---------------------------------------------------------------------------------------------
# quizzes

def run_program(program, python=None):
    """What a quiz program prints on stdout, run on the virtual clock; None for a C++ program when
    kit_quiz is not at hand."""
    if program.suffix == ".cpp":
        return run_cpp(program)
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([python or sys.executable, str(VIRTUAL), str(program)], capture_output=True,
                          text=True, timeout=TIMEOUT, env=env, cwd=program.parent)
    if done.returncode != 0:
        raise SystemExit(f"{program.relative_to(ROOT)} failed with exit code {done.returncode}:\n{done.stderr}")
    return done.stdout.rstrip("\n")


def run_cpp(program):
    exe = Path(BIN) / "kit_quiz" if BIN else None
    if exe is None or not exe.exists():
        NOT_RUN.append(program)
        return None
    name = f"{program.parent.parent.name[:2]}/{program.stem}"
    done = subprocess.run([str(exe), name], capture_output=True, text=True, timeout=TIMEOUT,
                          env=dict(os.environ, AIO_CLOCK="virtual"))
    if done.returncode != 0:
        raise SystemExit(f"kit_quiz {name} failed with exit code {done.returncode}:\n{done.stderr}")
    return done.stdout.rstrip("\n")


def marked_blocks(text):
    """Yields (kind, spec, first, last): the content lines of each marked fenced block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = MARKER.match(lines[i])
        if match:
            if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
                raise SystemExit(f"line {i + 1}: a quiz or answer marker must be followed by a fenced block")
            end = i + 2
            while end < len(lines) and lines[end].rstrip() != "```":
                end += 1
            yield match.group(1), match.group(2), i + 2, end
            i = end
        i += 1


PREFETCHED = {}     # program -> its output, run ahead of the checks, several at a time


def prefetch(folders):
    programs = set()
    for folder in folders:
        quiz = folder / "quiz.md"
        if quiz.exists():
            programs |= {(folder / spec).resolve() for kind, spec, _, _ in marked_blocks(quiz.read_text())
                         if kind == "answer" and (folder / spec).exists()}
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for program, output in zip(programs, pool.map(run_program, programs)):
            PREFETCHED[program] = output


def fresh_block(kind, program, outputs):
    if kind == "quiz":
        return program.read_text().rstrip("\n")
    if program not in outputs:
        outputs[program] = PREFETCHED[program] if program in PREFETCHED else run_program(program)
    return outputs[program]


def questions(text):
    """[(title, body)] for each "### QK. title" of a quiz."""
    found = []
    parts = re.split(r"^### (Q\d+\..*)$", text, flags=re.M)
    for title, body in zip(parts[1::2], parts[2::2]):
        found.append((title.strip(), body))
    return found


def check_quiz(folder, problems, versions):
    quiz = folder / "quiz.md"
    if not quiz.exists():
        problems.append(f"{quiz.relative_to(ROOT)} is missing")
        return 0
    text = quiz.read_text()
    asked = questions(text)
    if not 3 <= len(asked) <= 5:
        problems.append(f"{quiz.relative_to(ROOT)}: {len(asked)} questions; a quiz has three to five")
    numbers = [int(re.match(r"Q(\d+)", t).group(1)) for t, _ in asked]
    if numbers != list(range(1, len(asked) + 1)):
        problems.append(f"{quiz.relative_to(ROOT)}: questions are numbered {numbers}, not Q1, Q2, ...")
    predicting = 0
    for title, body in asked:
        kinds = {}
        for line in body.splitlines():
            match = MARKER.match(line)
            if match:
                kinds.setdefault(match.group(1), match.group(2))
        if "quiz" in kinds:
            predicting += 1
            if kinds.get("answer") != kinds["quiz"]:
                problems.append(f"{quiz.relative_to(ROOT)}: '{title}' shows {kinds['quiz']} but has no "
                                f"'<!-- answer: {kinds['quiz']} -->' block")
        if "<details>" not in body or "<summary>Answer" not in body:
            problems.append(f"{quiz.relative_to(ROOT)}: '{title}' has no folded answer (<details><summary>Answer)")
    if asked and predicting * 2 <= len(asked):
        problems.append(f"{quiz.relative_to(ROOT)}: most questions must ask what a program prints")
    outputs = {}
    lines = text.split("\n")
    for kind, spec, first, last in marked_blocks(text):
        program = (folder / spec).resolve()
        if not program.exists():
            problems.append(f"{quiz.relative_to(ROOT)}:{first - 1}: {spec} does not exist")
            continue
        in_quiz = "\n".join(lines[first:last])
        fresh = fresh_block(kind, program, outputs)
        if fresh is not None and fresh != in_quiz:
            what = "program" if kind == "quiz" else "answer key"
            problems.append(f"{quiz.relative_to(ROOT)}:{first - 1}: the {what} of {spec} is stale "
                            f"(python3 tools/kit.py update --lesson {folder.name[:2]}"
                            + (" --bin DIR" if program.suffix == ".cpp" else "") + ")")
    for program, expected in outputs.items():
        if program.suffix != ".py":
            continue
        for python in versions:
            other = run_program(program, python)
            if other != expected:
                problems.append(f"{program.relative_to(ROOT)}: {Path(python).name} prints something else:\n"
                                + "\n".join("    " + l for l in other.splitlines()))
    unused = {p.resolve() for p in (folder / "quiz").glob("*.*")} - set(outputs)
    for program in sorted(unused):
        problems.append(f"{program.relative_to(ROOT)} is in no question of quiz.md")
    return len([o for o in outputs.values() if o is not None])


def update_quiz(folder):
    quiz = folder / "quiz.md"
    if not quiz.exists():
        return
    text = quiz.read_text()
    lines = text.split("\n")
    outputs = {}
    for kind, spec, first, last in reversed(list(marked_blocks(text))):
        fresh = fresh_block(kind, (folder / spec).resolve(), outputs)
        if fresh is not None:
            lines[first:last] = fresh.split("\n")
    quiz.write_text("\n".join(lines))


# ---------------------------------------------------------------------------------------------
# notes

def sections(text):
    found = {}
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    for title, body in zip(parts[1::2], parts[2::2]):
        found[title.strip()] = body.strip()
    return found


def check_links(path, text, problems):
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" in target:
            continue
        if not (path.parent / target).exists():
            problems.append(f"{path.relative_to(ROOT)}: the link {target} leads nowhere")


def check_commands(path, text, problems):
    for nn, name in RUN_DEMO.findall(text):
        matches = list((ROOT / "lessons").glob(f"{nn}-*"))
        name = name.strip()
        if name in ("", "mirror"):
            demo = "demo.cpp"
        else:
            demo = f"demo_{name}.cpp"
        if not matches or not (matches[0] / demo).exists():
            problems.append(f"{path.relative_to(ROOT)}: './learn run {nn} {name}' names no demo")
    if re.search(r"ctest[^\n`]*\s-L\s", text):
        problems.append(f"{path.relative_to(ROOT)}: use ctest -R, never -L, in teaching text")


def check_notes(folder, problems):
    notes = folder / "notes.md"
    if not notes.exists():
        problems.append(f"{notes.relative_to(ROOT)} is missing")
        return
    text = notes.read_text()
    found = sections(text)
    for name in NOTE_SECTIONS:
        if not found.get(name):
            problems.append(f"{notes.relative_to(ROOT)}: no '## {name}' section, or it is empty")
    stuck = re.findall(r"^- \*\*", found.get("Where learners get stuck", ""), re.M)
    if not 2 <= len(stuck) <= 4:
        problems.append(f"{notes.relative_to(ROOT)}: 'Where learners get stuck' has {len(stuck)} items "
                        f"('- **...**'); give two or three")
    asked = re.findall(r"^\d+\. ", found.get("Discussion", ""), re.M)
    if not 1 <= len(asked) <= 2:
        problems.append(f"{notes.relative_to(ROOT)}: 'Discussion' has {len(asked)} numbered questions; give one or two")


# ---------------------------------------------------------------------------------------------
# schedules

def lesson_minutes():
    """{NN: (name, title, total minutes, [(part, minutes)])} from the cards."""
    found = {}
    for lesson in course.lessons():
        total = lesson.card_minutes()
        if total is None:
            continue
        source = lesson.chapter or lesson.card
        title = source.read_text().splitlines()[0].lstrip("# ")
        title = title[3:] if title[:2] == lesson.nn else title.split(": ", 1)[-1]
        found[lesson.nn] = (lesson.name, title, total, lesson.minute_rows())
    return found


def clock(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def split_lesson(rows, limit):
    """The card's rows cut into blocks of at most about `limit` minutes, at row boundaries."""
    blocks, current, used = [], [], 0
    for part, minutes in rows:
        if current and used + minutes > limit:
            blocks.append(current)
            current, used = [], 0
        current.append((part, minutes))
        used += minutes
    if current:
        blocks.append(current)
    return blocks


def timetable(plan, lessons, start, block_limit, short_break, long_break, long_after):
    """Rows (start, minutes, what) for a day: the plan's items, lessons cut into blocks with a
    break between blocks; the long break comes at the first block boundary after `long_after`."""
    rows, now, long_taken = [], start, False
    pending_break = False
    for item in plan:
        if isinstance(item, tuple):          # (minutes, label): setup, build, wrap-up
            minutes, label = item
            if pending_break:
                now = add_break(rows, now, short_break, long_break, long_after, long_taken)
                long_taken = long_taken or now - start > long_after
                pending_break = False
            rows.append((clock(now), minutes, label))
            now += minutes
            continue
        name, title, total, parts = lessons[item]
        blocks = split_lesson(parts, block_limit)
        for index, block in enumerate(blocks):
            if pending_break:
                taken_before = long_taken
                now = add_break(rows, now, short_break, long_break, long_after, long_taken)
                long_taken = taken_before or rows[-1][2] == "lunch"
            minutes = sum(m for _, m in block)
            label = f"lesson {item}: {title}" + (f" (part {index + 1} of {len(blocks)})" if len(blocks) > 1 else "")
            rows.append((clock(now), minutes, label))
            now += minutes
            pending_break = True
    return rows, now


def add_break(rows, now, short_break, long_break, long_after, long_taken):
    if not long_taken and now >= long_after:
        rows.append((clock(now), long_break, "lunch"))
        return now + long_break
    rows.append((clock(now), short_break, "break"))
    return now + short_break


def balanced_sessions(items, count):
    """Cuts an ordered list of (key, minutes) into `count` consecutive sessions so that the longest
    session is as short as it can be (the order of the lessons is kept)."""
    count = min(count, len(items))
    prefix = [0]
    for _, minutes in items:
        prefix.append(prefix[-1] + minutes)
    n = len(items)
    best = [[None] * (count + 1) for _ in range(n + 1)]
    cut = [[0] * (count + 1) for _ in range(n + 1)]
    best[0][0] = 0
    for i in range(1, n + 1):
        for k in range(1, min(i, count) + 1):
            for j in range(k - 1, i):
                if best[j][k - 1] is None:
                    continue
                cost = max(best[j][k - 1], prefix[i] - prefix[j])
                if best[i][k] is None or cost < best[i][k]:
                    best[i][k], cut[i][k] = cost, j
    sessions, i = [], n
    for k in range(count, 0, -1):
        j = cut[i][k]
        sessions.append(items[j:i])
        i = j
    return list(reversed(sessions))


def schedules_text():
    config = tomllib.loads((TEACH / "schedules.toml").read_text())
    lessons = lesson_minutes()
    out = ["# Schedules", "",
           "Written by `python3 tools/kit.py update` from `teach/schedules.toml` and the minutes tables of",
           "the lesson cards (`lessons/NN-topic/README.md`): change those, not this page. A lesson's",
           "minutes are for a learner who reads the chapter and does every exercise; a class that has",
           "read the chapters beforehand needs less. A cold build of the course takes about"
           f" {config['build']['cold_minutes']} minutes on",
           "two cores; later builds only rebuild what changed.", ""]

    day = config["workshop"]
    missing = [nn for nn in day["lessons"] if nn not in lessons]
    if missing:
        raise SystemExit(f"teach/schedules.toml: the workshop names lessons without a card: {missing}")
    start = int(day["start"][:2]) * 60 + int(day["start"][3:])
    plan = [(day["setup_minutes"], "setup check: `python3 tools/setup_check.py`, fix what it names"),
            (config["build"]["cold_minutes"], "first build: `./learn` (a cold build)")]
    plan += list(day["lessons"])
    plan.append((day["wrap_up_minutes"], "wrap-up: `./learn list`, questions, what to do next at home"))
    rows, end = timetable(plan, lessons, start, day["block_minutes"], day["break_minutes"],
                          day["lunch_minutes"], int(day["lunch_after"][:2]) * 60 + int(day["lunch_after"][3:]))
    out += [f"## {day['title']}", "", day["intro"].strip(), "",
            "| time | minutes | what |", "|---|---|---|"]
    out += [f"| {at} | {minutes} | {what} |" for at, minutes, what in rows]
    out += ["", f"The day ends at {clock(end)}. "
            + " ".join(f"Lesson {nn} ({lessons[nn][2]} minutes):" + f" {lessons[nn][1]}." for nn in day["lessons"]),
            ""]

    course_cfg = config["course"]
    items = [("00", course_cfg["how_to_use_minutes"])] + [(nn, lessons[nn][2]) for nn in sorted(lessons)]
    sessions = balanced_sessions(items, course_cfg["sessions"])
    out += [f"## {course_cfg['title']}", "", course_cfg["intro"].strip(), "",
            "| session | lessons | minutes of lessons | breaks | build | total |", "|---|---|---|---|---|---|"]
    for number, session in enumerate(sessions, 1):
        work = sum(m for _, m in session)
        breaks = course_cfg["break_minutes"] * (work // course_cfg["break_every"])
        build = config["build"]["cold_minutes"] if number == 1 else course_cfg["rebuild_minutes"]
        if number == 1:
            build += course_cfg["setup_minutes"]
        names = ", ".join("00 How to use" if nn == "00" else f"{nn} {lessons[nn][1]}" for nn, _ in session)
        out.append(f"| {number} | {names} | {work} | {breaks} | {build} | {work + breaks + build} |")
    everything = sum(m for _, m in items)
    lengths = [sum(m for _, m in s) for s in sessions]
    out += ["", f"Sessions run from {min(lengths) / 60:.1f} to {max(lengths) / 60:.1f} hours of lessons, breaks and "
            "builds not counted.",
            "", f"All {len(items)} parts make {everything} minutes of lessons, about {everything / 60:.0f} hours. "
            f"The build column of session 1 is the setup check ({course_cfg['setup_minutes']} minutes) and "
            f"a cold build; later sessions start with `git pull` and `./learn`, which rebuilds what changed "
            f"(about {course_cfg['rebuild_minutes']} minutes). A break of {course_cfg['break_minutes']} minutes "
            f"comes after every {course_cfg['break_every']} minutes of work, at the end of a card's row.", ""]
    out += ["### Each lesson's parts", "",
            "The rows of every card, to place the breaks and to see what a lesson's minutes are made of.", ""]
    for nn in sorted(lessons):
        name, title, total, parts = lessons[nn]
        out += [f"**{nn} {title}** ({total} minutes): " + "; ".join(f"{p} ({m})" for p, m in parts), ""]
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------

def kit_folders(only):
    lessons = {l.nn: l for l in course.lessons()}
    folders = sorted(p for p in KIT.glob("[0-9][0-9]-*") if p.is_dir()) if KIT.is_dir() else []
    if only:
        folders = [f for f in folders if f.name[:2] in only]
    return lessons, folders


def check(only, all_versions, require_all):
    problems, warnings = [], []
    lessons, folders = kit_folders(only)
    versions = []
    if all_versions:
        versions = [p for p in (shutil.which(n) for n in ("python3.12", "python3.13")) if p]
        versions += [p for p in os.environ.get("AIO_PYTHONS", "").split(":") if p]
    prefetch(folders)
    for folder in folders:
        lesson = lessons.get(folder.name[:2])
        if lesson is None or lesson.name != folder.name:
            problems.append(f"{folder.relative_to(ROOT)}: no lesson folder lessons/{folder.name}")
            continue
        if lesson.chapter is None:
            warnings.append(f"{folder.relative_to(ROOT)}: lesson {lesson.nn} has no chapter yet; not checked")
            continue
        before = len(problems)
        check_notes(folder, problems)
        programs = check_quiz(folder, problems, versions)
        for path in (folder / "notes.md", folder / "quiz.md"):
            if path.exists():
                check_links(path, path.read_text(), problems)
                check_commands(path, path.read_text(), problems)
        state = "ok" if len(problems) == before else "FAILED"
        print(f"{folder.name}: notes, quiz ({programs} programs run, answer keys compared): {state}")
    for program in NOT_RUN:
        warnings.append(f"{program.relative_to(ROOT)}: its answer key is not checked: build kit_quiz "
                        f"(-DAIO_AUTHOR_CHECKS=ON) and pass --bin")
    kitted = {f.name[:2] for f in folders}
    for nn, lesson in sorted(lessons.items()):
        if (not only or nn in only) and nn not in kitted:
            (problems if require_all else warnings).append(
                f"lesson {lesson.name} has no kit: teach/lessons/{lesson.name}/notes.md and quiz.md")
    if not only and (TEACH / "schedules.toml").exists():
        schedule = TEACH / "schedules.md"
        if not schedule.exists() or schedule.read_text() != schedules_text():
            problems.append("teach/schedules.md is not what the cards and schedules.toml give "
                            "(python3 tools/kit.py update)")
        else:
            print("teach/schedules.md: matches the cards' minutes")
    for text in warnings:
        print(f"warning: {text}")
    for text in problems:
        print(f"error: {text}")
    if problems:
        print(f"{len(problems)} problem(s) in the classroom kit")
        return 1
    print(f"the classroom kit is complete for {len(folders)} lesson(s)")
    return 0


def update(only):
    _, folders = kit_folders(only)
    for folder in folders:
        update_quiz(folder)
    if not only:
        (TEACH / "schedules.md").write_text(schedules_text())
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["check", "update", "schedule"])
    parser.add_argument("--lesson", action="append", default=[], help="only this lesson (NN), repeatable")
    parser.add_argument("--all-versions", action="store_true",
                        help="also run the quiz programs under python3.12 and python3.13 if found")
    parser.add_argument("--require-all", action="store_true", help="a lesson without a kit is an error")
    parser.add_argument("--bin", help="the bin folder of a solutions-track build with kit_quiz in it")
    args = parser.parse_args()
    global BIN
    BIN = args.bin
    if args.command == "check":
        return check(args.lesson, args.all_versions, args.require_all)
    if args.command == "update":
        return update(args.lesson)
    sys.stdout.write(schedules_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
