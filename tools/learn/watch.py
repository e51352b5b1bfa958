"""`./learn watch`: check again on every save.

It polls the modification times of the files under lessons/ (no extra package, any editor, any
file system). After a save it rebuilds only the current lesson's test program (test_lNN) and
reruns the current exercise's tests. When they pass it says so, finds the next exercise, and
keeps going; Ctrl-C ends it.
"""
import os
import sys
import time

import course

from . import build as builds
from . import progress
from . import show
from . import term
from . import testrun

ROOT = course.ROOT
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".orig")


def snapshot():
    """{path: (mtime, size)} of every file under lessons/ that an editor's save can touch."""
    found = {}
    for folder, dirs, files in os.walk(ROOT / "lessons"):
        dirs[:] = [d for d in dirs if not d.startswith((".", "__"))]
        for name in files:
            if name.startswith((".", "#")) or name.endswith(IGNORED_SUFFIXES) or name == "4913":
                continue
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            found[path] = (info.st_mtime_ns, info.st_size)
    return found


def changed(before, after):
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))


def clear():
    if sys.stdout.isatty():
        sys.stdout.write("\033[2J\033[H")
        sys.stdout.flush()


def waiting():
    term.out(term.dim("watching lessons/ for saves · Ctrl-C to stop"))


class Watcher:
    def __init__(self, poll):
        self.poll = poll
        self.states = []
        self.survey = None

    def start(self):
        """The same as `./learn`. False when there is nothing to watch for."""
        self.survey = progress.survey()
        if not self.survey.ok:
            return False
        self.states = self.survey.states
        return self.show()

    def show(self):
        now = progress.current(self.states)
        if now is None:
            show.show_all_done(self.states)
            return False
        show.show_current(now, self.states, self.survey, hint_level=_hint_level(now))
        term.out()
        waiting()
        return True

    def _replace(self, new_states):
        by_id = {s.exercise.id: s for s in new_states}
        self.states = [by_id.get(s.exercise.id, s) for s in self.states]
        progress.remember(self.states)

    def on_change(self, paths):
        """Rebuild the current lesson, rerun the current exercise; move on when it passes.
        Returns True while there is an exercise left."""
        clear()
        names = ", ".join(builds.relative(p) for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
        term.out(term.dim(f"saved: {names}"))
        now = progress.current(self.states)
        lesson = now.exercise.lesson
        result = builds.build(progress.PRESET, [f"test_l{lesson.nn}"], f"building test_l{lesson.nn}")
        self.survey.build = result
        if not result.ok:
            self._replace([progress.State(e, "broken") for e in lesson.exercises])
            return self.show()
        tests = testrun.listed(progress.PRESET)
        test = tests.get(now.exercise.id)
        if test is None:
            term.out(term.bad(f"no test {now.exercise.id} in build/learn: run ./learn once"))
            return True
        outcome = testrun.run(test)
        self._replace([s for s in progress.states([lesson], {now.exercise.id: outcome})
                       if s.exercise.id == now.exercise.id])
        if not outcome.passed:
            return self.show()
        term.out(term.good(f"{now.exercise.id} passes."))
        term.out()
        return self.advance(lesson)

    def advance(self, lesson):
        """Find the next unfinished exercise, from this lesson on, building each lesson's tests."""
        for next_lesson in [l for l in progress.lessons() if l.nn >= lesson.nn]:
            if next_lesson.nn != lesson.nn:
                result = builds.build(progress.PRESET, [f"test_l{next_lesson.nn}"],
                                      f"building test_l{next_lesson.nn}")
                self.survey.build = result
                if not result.ok:
                    self._replace([progress.State(e, "broken") for e in next_lesson.exercises])
                    return self.show()
            tests = testrun.listed(progress.PRESET)
            wanted = [tests[e.id] for e in next_lesson.exercises if e.id in tests]
            self._replace(progress.states([next_lesson], testrun.run_all(wanted)))
            if any(not s.done for s in self.states if s.exercise.lesson.nn == next_lesson.nn):
                return self.show()
            term.out(term.good(f"Lesson {next_lesson.nn} is done.") +
                     f" Check it whole: ./learn verify {next_lesson.nn}")
            term.out()
        return self.show()


def _hint_level(state):
    return progress.load_memory().get("hints", {}).get(state.exercise.id, 0)


def watch(poll=0.5, once=False):
    """Run until Ctrl-C (or, with once, until the first save has been handled)."""
    watcher = Watcher(poll)
    try:
        before = snapshot()  # a save made during the first build counts too
        if not watcher.start():
            return 0 if watcher.survey and watcher.survey.ok else 1
        while True:
            time.sleep(poll)
            after = snapshot()
            paths = changed(before, after)
            if not paths:
                continue
            # Editors often write a file in several steps: wait until it is quiet.
            while True:
                time.sleep(min(poll, 0.3))
                settled = snapshot()
                if settled == after:
                    break
                after = settled
            paths = changed(before, after)
            before = after
            left = watcher.on_change(paths)
            if not left:
                return 0
            if once:
                now = progress.current(watcher.states)
                return 0 if now is None else 1
    except KeyboardInterrupt:
        term.out()
        term.out(term.dim("stopped watching."))
        return 0
