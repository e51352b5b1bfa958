"""Keeps the book honest: every code block and program output in a chapter comes from the sources.

A chapter marks a block with an HTML comment on the line just before its fence:

    <!-- code: solutions/01-generators/aio/generator.hpp#promise -->
    ```cpp
    ...the lines between `// book:promise` and `// end book:promise` in that file...
    ```

    <!-- output: l01_demo -->
    ```text
    ...what build/<preset>/bin/l01_demo prints (with AIO_CLOCK=virtual)...
    ```

`#name` may be left out to take the whole file. Marker lines in the sources (`// book:x`,
`// end book:x`, `# book:x`, ...) never appear in a snippet. Arguments after the program's name
are passed to it. Output lines that start with "~ " are measurements; see output_lines.py.

    book.py check  --bin DIR     fail, with a diff, if a chapter has drifted from its sources
    book.py update --bin DIR     rewrite the marked blocks from the sources
    (both take --chapter NN to work on one chapter only)
    book.py html   --out DIR     render the book as HTML with cmark-gfm
"""
import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from output_lines import diff, same_output  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
MARKER = re.compile(r"^<!-- (code|output): (.+?) -->\s*$")
SOURCE_MARKER = re.compile(r"^\s*(//|#) (end )?book:[\w-]+\s*$")


def snippet(spec):
    path, _, name = spec.partition("#")
    lines = (ROOT / path).read_text().splitlines()
    if name:
        begin = re.compile(r"^\s*(//|#) book:" + re.escape(name) + r"\s*$")
        end = re.compile(r"^\s*(//|#) end book:" + re.escape(name) + r"\s*$")
        starts = [i for i, l in enumerate(lines) if begin.match(l)]
        ends = [i for i, l in enumerate(lines) if end.match(l)]
        if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
            raise SystemExit(f"{spec}: expected one 'book:{name}' and one 'end book:{name}' marker")
        lines = lines[starts[0] + 1:ends[0]]
    lines = [l for l in lines if not SOURCE_MARKER.match(l)]
    return textwrap.dedent("\n".join(lines)).strip("\n")


def program_output(spec, bin_dir):
    program, *args = spec.split()
    exe = Path(bin_dir) / program
    if not exe.exists():
        raise SystemExit(f"{exe} is not built (build the solutions track first)")
    env = dict(os.environ, AIO_CLOCK="virtual")
    done = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=50, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{program} failed with exit code {done.returncode}:\n{done.stderr}")
    return done.stdout.rstrip("\n")


def blocks(text):
    """Yields (kind, spec, first_line, last_line) for each marked fenced block; the lines are
    the block's content, between its fences."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = MARKER.match(lines[i])
        if match:
            if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
                raise SystemExit(f"line {i + 1}: a marker must be followed by a fenced block")
            end = i + 2
            while end < len(lines) and lines[end].rstrip() != "```":
                end += 1
            yield match.group(1), match.group(2), i + 2, end
            i = end
        i += 1


ONLY = []  # --chapter: restrict check/update to these chapters


def chapters():
    found = sorted(BOOK.glob("*.md"))
    if ONLY:
        found = [c for c in found if any(c.name.startswith(prefix) for prefix in ONLY)]
    return found


def expected_for(kind, spec, bin_dir):
    return snippet(spec) if kind == "code" else program_output(spec, bin_dir)


def check(bin_dir):
    drifted = 0
    for chapter in chapters():
        lines = chapter.read_text().split("\n")
        for kind, spec, first, last in blocks("\n".join(lines)):
            in_book = "\n".join(lines[first:last])
            fresh = expected_for(kind, spec, bin_dir)
            same = same_output(fresh, in_book) if kind == "output" else fresh == in_book
            if not same:
                drifted += 1
                print(f"{chapter.relative_to(ROOT)}: the block from '{spec}' has drifted")
                sys.stdout.write(diff(fresh, in_book, spec, chapter.name))
    if drifted:
        print(f"{drifted} block(s) drifted; run: python3 tools/book.py update --bin {bin_dir}")
        return 1
    print(f"the book matches its sources ({len(chapters())} chapters)")
    return 0


def update(bin_dir):
    for chapter in chapters():
        lines = chapter.read_text().split("\n")
        for kind, spec, first, last in reversed(list(blocks("\n".join(lines)))):
            lines[first:last] = expected_for(kind, spec, bin_dir).split("\n")
        chapter.write_text("\n".join(lines))
    return 0


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ max-width: 52rem; margin: 2rem auto; padding: 0 1rem; font: 16px/1.55 system-ui, sans-serif; color: #222; }}
pre {{ background: #f6f8fa; padding: .8rem; overflow-x: auto; font-size: 14px; line-height: 1.4; }}
code {{ font-family: ui-monospace, monospace; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #ccc; padding: .3rem .6rem; }}
nav {{ border-bottom: 1px solid #ddd; margin-bottom: 1.5rem; padding-bottom: .5rem; }}
img {{ max-width: 100%; }}
</style></head>
<body><nav><a href="index.html">Contents</a></nav>
{body}
</body></html>
"""


def render_html(out_dir):
    cmark = shutil.which("cmark-gfm")
    if not cmark:
        raise SystemExit("cmark-gfm is not installed: apt-get install cmark-gfm")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for chapter in chapters():
        text = chapter.read_text()
        body = subprocess.run([cmark, "--unsafe", "-e", "table", "-e", "autolink", "-e", "strikethrough"],
                              input=text, capture_output=True, text=True, check=True).stdout
        body = re.sub(r'href="([^":]+)\.md(#[^"]*)?"', r'href="\1.html\2"', body)
        title = next((l[2:] for l in text.splitlines() if l.startswith("# ")), chapter.stem)
        (out / (chapter.stem + ".html")).write_text(PAGE.format(title=html.escape(title), body=body))
    for asset in BOOK.glob("*.svg"):
        shutil.copy(asset, out / asset.name)
    print(f"wrote {len(chapters())} pages to {out}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["check", "update", "html"])
    parser.add_argument("--bin", default=str(ROOT / "build/default/bin"), help="folder of the built demos")
    parser.add_argument("--out", default=str(ROOT / "build/book"), help="folder for the HTML")
    parser.add_argument("--chapter", action="append", default=[],
                        help="only the chapters whose file name starts with this (repeatable), e.g. 04")
    args = parser.parse_args()
    ONLY.extend(args.chapter)
    if args.command == "check":
        return check(args.bin)
    if args.command == "update":
        return update(args.bin)
    return render_html(args.out)


if __name__ == "__main__":
    sys.exit(main())
