"""The terminal: colour only on a terminal and without NO_COLOR, text for 80 columns, one
progress line that rewrites itself."""
import os
import shutil
import sys
import textwrap

WIDTH = 80


def colourful():
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34",
          "cyan": "36"}


def paint(text, *styles):
    if not styles or not colourful():
        return text
    codes = ";".join(_CODES[s] for s in styles)
    return f"\033[{codes}m{text}\033[0m"


def bold(text):
    return paint(text, "bold")


def good(text):
    return paint(text, "green", "bold")


def bad(text):
    return paint(text, "red", "bold")


def note(text):
    return paint(text, "yellow")


def dim(text):
    return paint(text, "dim")


def out(text=""):
    print(text, flush=True)


def width():
    """The longest line to print: one short of the terminal's width (80 at most), since a line
    that fills the last column makes some terminals wrap."""
    return max(40, min(WIDTH, shutil.get_terminal_size((WIDTH, 24)).columns) - 1)


def wrap(text, indent="", subsequent=None):
    """Wrap one paragraph to the terminal, keeping long words (paths, ids) whole."""
    return textwrap.fill(text, width=width(), initial_indent=indent,
                         subsequent_indent=indent if subsequent is None else subsequent,
                         break_long_words=False, break_on_hyphens=False)


def markdown(text, indent="  "):
    """Markdown from the book, reflowed for the terminal: paragraphs and list items wrapped,
    code blocks, tables and headings kept as they are."""
    lines = text.strip("\n").splitlines()
    result = []
    paragraph = []
    fenced = False

    def flush():
        if paragraph:
            first = paragraph[0]
            bullet = ""
            stripped = first.lstrip()
            for mark in ("- ", "* ", "+ "):
                if stripped.startswith(mark):
                    bullet = mark
            if not bullet and stripped[:3].rstrip(". ").isdigit() and ". " in stripped[:4]:
                bullet = stripped[:stripped.index(". ") + 2]
            joined = " ".join(l.strip() for l in paragraph)
            if bullet:
                result.append(wrap(joined[len(bullet):], indent + bullet, indent + " " * len(bullet)))
            else:
                result.append(wrap(joined, indent))
            paragraph.clear()

    for line in lines:
        if line.lstrip().startswith("```"):
            flush()
            fenced = not fenced
            result.append(indent + line)
        elif fenced or line.startswith(("    ", "|", "#", "<")):
            flush()
            result.append(indent + line if line.strip() else "")
        elif not line.strip():
            flush()
            result.append("")
        elif line.lstrip().startswith(("- ", "* ", "+ ")) or (line.lstrip()[:1].isdigit() and ". " in line[:5]):
            flush()
            paragraph.append(line)
        else:
            paragraph.append(line)
    flush()
    return "\n".join(result)


class Progress:
    """One line that shows where a build is: rewritten in place on a terminal; elsewhere only its
    first and last states are printed, so a log stays short."""

    def __init__(self, what):
        self.what = what
        self.tty = sys.stdout.isatty()
        self.shown = False
        self.last = ""

    def update(self, done, total, detail=""):
        text = f"{self.what} [{done}/{total}] {detail}"
        if self.tty:
            text = text[:width() - 1]
            sys.stdout.write("\r\033[K" + dim(text))
            sys.stdout.flush()
            self.shown = True
        elif not self.shown:
            out(f"{self.what}...")
            self.shown = True
        self.last = text

    def finish(self, summary=None):
        if self.tty and self.shown:
            sys.stdout.write("\r\033[K")
            sys.stdout.flush()
        if summary and (self.shown or not self.tty):
            out(dim(summary))
