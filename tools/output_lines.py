"""Comparing program output, shared by compare_output.py and book.py.

Lines are compared exactly, with one exception: a line that starts with "~ " reports a measurement
(a duration on the real clock, a memory peak, ...). Such lines are compared with every number
replaced by "#", so the wording must match but the figures may differ from run to run.
"""
import difflib
import re

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def normalise(line):
    line = line.rstrip()
    if line.startswith("~ "):
        return _NUMBER.sub("#", line)
    return line


def same_output(expected, actual):
    return [normalise(l) for l in expected.splitlines()] == [normalise(l) for l in actual.splitlines()]


def diff(expected, actual, expected_name, actual_name):
    return "".join(difflib.unified_diff(
        [l + "\n" for l in expected.splitlines()], [l + "\n" for l in actual.splitlines()],
        fromfile=expected_name, tofile=actual_name))
