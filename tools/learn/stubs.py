"""Where an exercise is written: the stub as the course shipped it, and the learner's copy of it.

The shipped stub comes from git: the newest commit in which the file still holds
`AIO_TODO("lNN.exK"`. Each function whose body holds that AIO_TODO is a place the learner writes;
cxx.py finds the same function in the learner's file by its signature. That gives the `path:line`
that `./learn` shows (the AIO_TODO's line while it is there, the body's first line once the
learner has written it), and the bodies that `./learn reset` puts back.
"""
import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache

import course

from . import cxx

ROOT = course.ROOT


def marker(exercise_id):
    return re.compile(r'AIO_TODO\(\s*"' + re.escape(exercise_id) + '"')


def todo_hint(text, exercise_id):
    """The hint of the first AIO_TODO of the exercise in a header (its string literals joined)."""
    call = re.search(r'AIO_TODO\(\s*"' + re.escape(exercise_id) + r'"\s*,((?:\s*"(?:[^"\\]|\\.)*")+)\s*\)',
                     text)
    if not call:
        return None
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', call.group(1))).replace('\\"', '"')


def exercise_hint(exercise):
    """The short hint of the exercise's AIO_TODO: from the learner's file while it is there, else
    from the shipped stub."""
    for path, _ in exercise.todos:
        hint = todo_hint((ROOT / path).read_text(errors="replace"), exercise.id)
        if hint:
            return hint
    for stub in shipped_functions(exercise):
        hint = todo_hint(stub.text, exercise.id)
        if hint:
            return hint
    return None


def _git(*args):
    try:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return done.stdout if done.returncode == 0 else None


@lru_cache(maxsize=None)
def _history(path):
    """The commits that changed a file, newest first (at most 300), or None without git."""
    out = _git("log", "--format=%H", "-n", "300", "--", path)
    return None if out is None else out.split()


@lru_cache(maxsize=None)
def _show(commit, path):
    return _git("show", f"{commit}:{path}")


def has_history():
    return _git("rev-parse", "--verify", "-q", "HEAD") is not None


def pristine(path, exercise_id):
    """(commit, text) of the newest committed version of `path` that still holds the exercise's
    AIO_TODO, or None."""
    history = _history(path)
    if not history:
        return None
    found = marker(exercise_id)
    for commit in history:
        text = _show(commit, path)
        if text is not None and found.search(text):
            return commit, text
    return None


@lru_cache(maxsize=None)
def committed_markers():
    """{exercise id: number of AIO_TODOs} in the lessons' headers as last committed (one git
    call for the whole course); empty without git."""
    out = _git("grep", "-h", "-o", "-E", r'AIO_TODO\(\s*"l[0-9]+\.ex[0-9]+"', "HEAD", "--", "lessons/")
    counts = {}
    for line in (out or "").splitlines():
        found = re.search(r'"(l\d+\.ex\d+)"', line)
        if found:
            counts[found.group(1)] = counts.get(found.group(1), 0) + 1
    return counts


@lru_cache(maxsize=None)
def _tracked(folder):
    listed = _git("ls-files", "--", folder)
    return tuple(p for p in (listed or "").split() if p.endswith(".hpp"))


def stub_paths(lesson):
    """The lesson's exercise headers (relative paths): those on disk and those git knows."""
    paths = {str(p.relative_to(ROOT)) for p in lesson.stubs()}
    paths.update(_tracked(f"lessons/{lesson.name}/aio/"))
    return sorted(paths)


@dataclass
class Spot:
    """One function the learner writes for an exercise."""
    path: str              # relative to the repository
    function: str          # Generator::iterator::operator++()
    line: int = None       # in the learner's file; None when it cannot be found there
    written: bool = False  # the AIO_TODO is gone from its body
    problem: str = None    # why the function was not found in the learner's file

    def where(self):
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass
class Stub:
    """One function of the shipped stub that holds the exercise's AIO_TODO."""
    path: str
    text: str              # the whole shipped file
    block: cxx.Block       # the function in it


def shipped_functions(exercise):
    """The functions of the shipped stubs that hold the exercise's AIO_TODO, in file order.
    Empty when git has no history to take them from."""
    found = []
    for path in stub_paths(exercise.lesson):
        version = pristine(path, exercise.id)
        if version is None:
            continue
        text = version[1]
        try:
            blocks = cxx.blocks(text)
        except cxx.ShapeError:
            continue
        seen = set()
        for match in marker(exercise.id).finditer(text):
            function = cxx.enclosing_function(blocks, match.start())
            if function is not None and function.open not in seen:
                seen.add(function.open)
                found.append(Stub(path, text, function))
    return found


def _read(path):
    file = ROOT / path
    return file.read_text(errors="replace") if file.exists() else None


def spots(exercise):
    """Where the learner writes the exercise: one Spot per function, in file order."""
    shipped = shipped_functions(exercise)
    if not shipped:
        return _spots_from_todos(exercise)
    result = []
    for stub in shipped:
        name = stub.block.qualified_name() + "()"
        text = _read(stub.path)
        if text is None:
            result.append(Spot(stub.path, name, problem="the file is missing"))
            continue
        try:
            mine = cxx.blocks(text)
        except cxx.ShapeError as error:
            result.append(Spot(stub.path, name, problem=f"its braces do not pair ({error})"))
            continue
        same, how = cxx.find_same(mine, stub.block)
        if same is None:
            result.append(Spot(stub.path, name, problem=how))
            continue
        inside = cxx.body(text, same)
        todo = marker(exercise.id).search(inside)
        if todo:
            line = cxx.line_of(text, same.open + 1 + todo.start())
        else:
            line = cxx.first_body_line(text, same)
        result.append(Spot(stub.path, name, line=line, written=todo is None))
    return result


def _spots_from_todos(exercise):
    """Without git: the AIO_TODOs still in the learner's files, named by their functions."""
    result = []
    for path, line in exercise.todos:
        text = _read(path) or ""
        name = "?"
        try:
            lines = text.splitlines(keepends=True)
            offset = sum(len(l) for l in lines[:line - 1])
            function = cxx.enclosing_function(cxx.blocks(text), offset + 1)
            if function is not None:
                name = function.qualified_name() + "()"
        except cxx.ShapeError:
            pass
        result.append(Spot(path, name, line=line))
    return result


class ResetRefused(Exception):
    """The learner's file cannot be matched safely to the shipped stub: nothing was changed."""


@dataclass
class Change:
    path: str
    functions: list          # qualified names restored
    before: str              # the learner's file
    after: str               # the file with the stub's bodies back


def plan_reset(exercise):
    """The changes that put the exercise's stub bodies back, one per file; nothing is written.
    ResetRefused when the shipped stub or a function in the learner's file cannot be found."""
    if not has_history():
        raise ResetRefused("reset takes the shipped stub from git, and this folder has no git "
                           "history. Clone the course with git to use it.")
    shipped = shipped_functions(exercise)
    if not shipped:
        raise ResetRefused(f"no commit holds a stub with AIO_TODO(\"{exercise.id}\", ...) in "
                           f"lessons/{exercise.lesson.name}/aio/")
    by_path = {}
    for stub in shipped:
        by_path.setdefault(stub.path, []).append(stub)
    changes = []
    for path, stubs in by_path.items():
        text = _read(path)
        if text is None:
            raise ResetRefused(f"{path} is missing. Restore the whole file with: git checkout -- {path}")
        try:
            mine = cxx.blocks(text)
        except cxx.ShapeError as error:
            raise ResetRefused(f"{path}: {error}, so the function bodies cannot be found safely. "
                               f"Fix the braces, or restore the whole file (all its exercises) "
                               f"with: git checkout -- {path}") from None
        edits = []
        for stub in stubs:
            same, how = cxx.find_same(mine, stub.block)
            if same is None:
                raise ResetRefused(f"{path}: {how}, so it cannot be restored safely. Restore the "
                                   f"whole file (all its exercises) with: git checkout -- {path}")
            edits.append((same, cxx.body(stub.text, stub.block), stub.block.qualified_name() + "()"))
        if len({e[0].open for e in edits}) != len(edits):
            raise ResetRefused(f"{path}: two of the stub's functions match the same function here")
        after = text
        for same, shipped_body, _ in sorted(edits, key=lambda e: e[0].open, reverse=True):
            after = after[:same.open + 1] + shipped_body + after[same.close:]
        changes.append(Change(path, [e[2] for e in edits], text, _with_todo_include(after)))
    return changes


INCLUDE = "#include <aio/not_implemented.hpp>"


def _with_todo_include(text):
    """AIO_TODO needs its header: put the include back (before the first #include) if it is gone."""
    if "AIO_TODO(" not in cxx.mask(text) or re.search(r"^\s*#\s*include\s*<aio/not_implemented\.hpp>", text, re.M):
        return text
    first = re.search(r"^#\s*include\b.*$", text, re.M)
    if first is None:
        pragma = re.search(r"^#pragma once.*$", text, re.M)
        at = pragma.end() + 1 if pragma else 0
        return text[:at] + INCLUDE + "\n" + text[at:]
    return text[:first.start()] + INCLUDE + "\n\n" + text[first.start():]


def restored_correctly(exercise, changes):
    """True when each restored function's body is now exactly the shipped one."""
    for change in changes:
        blocks = cxx.blocks(change.after)
        for stub in shipped_functions(exercise):
            if stub.path != change.path:
                continue
            same, _ = cxx.find_same(blocks, stub.block)
            if same is None or cxx.body(change.after, same) != cxx.body(stub.text, stub.block):
                return False
    return True
