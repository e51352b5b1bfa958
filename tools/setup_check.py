#!/usr/bin/env python3
"""Is this machine ready for the course? The first ten minutes of a class: `python3 tools/setup_check.py`.

It looks for what the course needs, and says what to install when something is missing:

  needed     a C++20 compiler (GCC 12 or Clang 14, or newer) that compiles and runs a coroutine,
             CMake 3.25 or newer, Ninja, Catch2, Google Benchmark, Python 3.11 or newer
  optional   cmark-gfm, Graphviz and Pygments (the book's HTML and its pictures), Chromium (the
             check of the book site), the other of GCC and Clang

Catch2 and Google Benchmark are looked for the way the course's build does: a tiny CMake project
calls find_package for each. Exits 0 when everything needed is there, 1 otherwise. Runs on any
Python 3 (it has to, to say that the Python is too old); standard library only.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

APT = "sudo apt-get install -y"
COROUTINE = r"""
#include <coroutine>
#include <cstdio>
struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
Task hello() { std::puts("coroutines work"); co_return; }
int main() { hello(); }
"""
FIND_PACKAGES = """
cmake_minimum_required(VERSION 3.16)
project(setup_check LANGUAGES CXX)
find_package(Catch2 QUIET CONFIG)
message(STATUS "catch2=${Catch2_FOUND} ${Catch2_VERSION}")
find_package(benchmark QUIET CONFIG)
message(STATUS "benchmark=${benchmark_FOUND} ${benchmark_VERSION}")
"""


def run(command, **options):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=120, **options)
    except (OSError, subprocess.TimeoutExpired):
        return None


def version_of(command, pattern):
    done = run(command)
    if done is None or done.returncode != 0:
        return None
    match = re.search(pattern, done.stdout + done.stderr)
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


def text(version):
    return ".".join(str(part) for part in version) if version else "not found"


class Report:
    def __init__(self):
        self.rows = []
        self.install = []
        self.failed = False

    def add(self, needed, name, ok, found, package, advice=""):
        self.rows.append((("ok" if ok else ("MISSING" if needed else "missing")), name, found, advice))
        if not ok:
            if package and package not in self.install:
                self.install.append(package)
            if needed:
                self.failed = True

    def show(self):
        width = max(len(name) for _, name, _, _ in self.rows)
        for state, name, found, advice in self.rows:
            line = f"  {state:<8} {name:<{width}}  {found}"
            print(line + (f"  ({advice})" if advice else ""))
        print()
        if self.install:
            print("To install what is missing on Debian 12 or Ubuntu 24.04:")
            print(f"  {APT} {' '.join(self.install)}")
            print()
        if self.failed:
            print("Not ready: install what is MISSING above, then run this again.")
        else:
            print("Ready: run ./learn (the first build takes about three minutes on two cores).")


def compiler(report, name, command, minimum, package, needed):
    version = version_of([command, "-dumpfullversion"] if name == "GCC" else [command, "--version"],
                         r"(\d+\.\d+(?:\.\d+)?)")
    if version is None:
        report.add(needed, name, False, "not found", package)
        return False
    if version[0] < minimum:
        report.add(needed, name, False, text(version), package, f"{minimum} or newer is needed")
        return False
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "check.cpp")
        program = os.path.join(folder, "check")
        with open(source, "w") as out:
            out.write(COROUTINE)
        built = run([command, "-std=c++20", source, "-o", program])
        works = built is not None and built.returncode == 0
        ran = run([program]) if works else None
        works = works and ran is not None and "coroutines work" in ran.stdout
    report.add(needed, name, works, text(version) + (", C++20 coroutines compile and run" if works else ""),
               package, "" if works else "it cannot compile a C++20 coroutine")
    return works


def main():
    report = Report()
    print("Checking what the course needs...\n")

    ok = sys.version_info >= (3, 11)
    report.add(True, "Python", ok, sys.version.split()[0], "python3",
               "" if ok else "3.11 or newer is needed for ./learn and the asyncio programs")

    gcc = compiler(report, "GCC", "g++", 12, "g++", needed=False)
    clang = compiler(report, "Clang", "clang++", 14, "clang", needed=False)
    if not (gcc or clang):
        report.add(True, "a C++20 compiler", False, "neither GCC 12+ nor Clang 14+ works", "g++")

    cmake_version = version_of(["cmake", "--version"], r"cmake version (\d+\.\d+(?:\.\d+)?)")
    ok = cmake_version is not None and cmake_version >= (3, 25)
    report.add(True, "CMake", ok, text(cmake_version), "cmake",
               "" if ok or cmake_version is None else "3.25 or newer is needed for the presets")

    ninja = version_of(["ninja", "--version"], r"(\d+\.\d+(?:\.\d+)?)")
    report.add(True, "Ninja", ninja is not None, text(ninja), "ninja-build")

    if cmake_version is not None:
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "CMakeLists.txt"), "w") as out:
                out.write(FIND_PACKAGES)
            done = run(["cmake", "-S", folder, "-B", os.path.join(folder, "build")])
            output = done.stdout if done else ""
        for key, name, package in (("catch2", "Catch2", "catch2"), ("benchmark", "Google Benchmark", "libbenchmark-dev")):
            match = re.search(key + r"=(\S+) ?(\S*)", output)
            found = bool(match) and match.group(1) in ("1", "TRUE", "ON", "YES")
            advice = "" if found else "without it the build downloads it from GitHub, which a classroom network may not allow"
            report.add(True, name, found, match.group(2) if found and match.group(2) else
                       ("found" if found else "not found"), package, advice)
    else:
        report.add(True, "Catch2", False, "not checked: CMake is missing", "catch2")
        report.add(True, "Google Benchmark", False, "not checked: CMake is missing", "libbenchmark-dev")

    for name, command, package, use in (("cmark-gfm", "cmark-gfm", "cmark-gfm", "the book's HTML"),
                                        ("Graphviz", "dot", "graphviz", "the book's pictures"),
                                        ("Chromium", "chromium", "chromium", "the book site's browser check")):
        path = shutil.which(command)
        report.add(False, name, path is not None, path or "not found", package, "" if path else "optional: " + use)
    try:
        import pygments
        report.add(False, "Pygments", True, pygments.__version__, "python3-pygments")
    except ImportError:
        report.add(False, "Pygments", False, "not found", "python3-pygments", "optional: highlighting in the book site")

    report.show()
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
