"""The book as a website that works offline: `python3 tools/book_site.py --out DIR` (or `book.py html`).

What goes in, and where it lands (paths are the repository's, with `book/` dropped):

  book/*.md, book/solutions/*.md       the chapters, their solutions pages, the index, the appendix
  lessons/NN-topic/README.md           the lesson cards          -> lessons/NN-topic/README.html
  teach/**/*.md                        the classroom kit         -> teach/...
  any other file a page links to       a highlighted page of it  -> path + ".html" (sources, programs)
  book/*.svg, book/figures/*.svg|png   the pictures and plots, shown inline where the pages put them

Every page gets the sidebar (the chapters in order; under the current lesson its card, solutions
page and kit), previous/next links along the reading order, anchors on its headings that match
GitHub's (so links such as `#step-2-registering` work), code highlighted at build time with
Pygments, and a search box. The search reads `search-index.js`, written here: one entry per
section of every page. No network is used, ever; the site works from `file://`.

Needs cmark-gfm; Pygments (Debian: python3-pygments) for the colours, without which code stays plain.
The page template, the style sheet and the search script are in book/assets/.
"""
import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402

ROOT = course.ROOT
BOOK = ROOT / "book"
ASSETS = BOOK / "assets"
CODE_BLOCK = re.compile(r'<pre><code(?: class="language-([\w+-]+)")?>(.*?)</code></pre>', re.S)
HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
LINK = re.compile(r'(href|src)="([^"#:]*)(#[^"]*)?"')
LEXERS = {"cpp": "cpp", "c++": "cpp", "python": "python", "py": "python", "sh": "bash", "bash": "bash",
          "text": "text", "markdown": "markdown", "cmake": "cmake", "json": "json", "toml": "toml",
          "console": "console", "diff": "diff"}
EXTENSIONS = {".py": "python", ".hpp": "cpp", ".cpp": "cpp", ".h": "cpp", ".txt": "text", ".cmake": "cmake",
              ".json": "json", ".toml": "toml", ".seq": "text", ".dot": "text"}


# ---------------------------------------------------------------------------------------------
# what the site holds, in reading order

class Page:
    def __init__(self, source, title, lesson=None, in_chain=True):
        self.source = source                      # a Path in the repository
        self.title = title
        self.lesson = lesson                      # "07" for the pages that belong to a lesson
        self.in_chain = in_chain                  # on the previous/next path

    @property
    def target(self):
        return site_path(self.source)


def site_path(source):
    """Where a repository file lands in the site, relative to its root."""
    relative = source.resolve().relative_to(ROOT)
    if relative.parts[0] == "book":
        relative = Path(*relative.parts[1:])
    if relative.suffix == ".md":
        return relative.with_suffix(".html")
    if relative.suffix in (".svg", ".png", ".css", ".js"):
        return relative
    return relative.with_name(relative.name + ".html")


def first_heading(path):
    for line in path.read_text().splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def pages():
    """Every page, in reading order: the chain first, then the pages only the sidebar reaches."""
    found = [Page(BOOK / "index.md", "Contents")]
    chapters = sorted(p for p in BOOK.glob("[0-9][0-9]-*.md"))
    lessons = {l.nn: l for l in course.lessons()}
    for chapter in chapters:
        nn = chapter.name[:2]
        found.append(Page(chapter, first_heading(chapter), lesson=nn))
        solutions = BOOK / "solutions" / chapter.name
        if solutions.exists():
            found.append(Page(solutions, f"{nn} Solutions", lesson=nn))
    for name, title in (("appendix-python-versions.md", None), ("glossary.md", "Glossary")):
        if (BOOK / name).exists():
            found.append(Page(BOOK / name, title or first_heading(BOOK / name)))
    teach = ROOT / "teach"
    for name, title in (("README.md", "Teaching the course"), ("schedules.md", "Schedules"),
                        ("grading.md", "Grading guidance")):
        if (teach / name).exists():
            found.append(Page(teach / name, title))
    for nn, lesson in sorted(lessons.items()):
        if lesson.card.exists():
            found.append(Page(lesson.card, f"{nn} Lesson card", lesson=nn, in_chain=False))
        for name, title in (("notes.md", "Instructor notes"), ("quiz.md", "Quiz")):
            kit = teach / "lessons" / lesson.name / name
            if kit.exists():
                found.append(Page(kit, f"{nn} {title}", lesson=nn, in_chain=False))
    return found


# ---------------------------------------------------------------------------------------------
# turning Markdown into a page

def markdown_to_html(text, cmark):
    return subprocess.run([cmark, "--unsafe", "-e", "table", "-e", "autolink", "-e", "strikethrough"],
                          input=text, capture_output=True, text=True, check=True).stdout


def highlighter():
    """A function (code, language) -> HTML, and the CSS it needs; plain text without Pygments."""
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import get_lexer_by_name
    except ImportError:
        print("note: Pygments is not installed (apt-get install python3-pygments): code is not coloured")
        return (lambda code, language: html.escape(code)), ""
    formatter = HtmlFormatter(nowrap=True)

    def colour(code, language):
        name = LEXERS.get((language or "text").lower(), "text")
        return highlight(code, get_lexer_by_name(name), formatter).rstrip("\n")

    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    return colour, light


def highlight_blocks(body, colour):
    def replace(match):
        language = match.group(1) or "text"
        code = html.unescape(match.group(2))
        return (f'<pre class="highlight" data-language="{language}"><code class="language-{language}">'
                f"{colour(code, language)}</code></pre>")
    return CODE_BLOCK.sub(replace, body)


def plain(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def add_anchors(body):
    """Gives each heading the id GitHub would give it; returns the body and [(level, title, id)]."""
    seen, found = {}, []

    def replace(match):
        level, inner = match.group(1), match.group(2)
        title = plain(inner)
        base = course.anchor(title)
        count = seen.get(base, 0)
        seen[base] = count + 1
        anchor = base if count == 0 else f"{base}-{count}"
        found.append((int(level), title, anchor))
        return (f'<h{level} id="{anchor}">{inner}<a class="anchor" href="#{anchor}" '
                f'aria-label="link to this section">#</a></h{level}>')
    return HEADING.sub(replace, body), found


def rewrite_links(body, page, linked):
    """Links between Markdown files become links between pages; a link to any other file of the
    repository becomes a link to a highlighted page of it (collected in `linked`)."""
    here = page.source.parent
    out_dir = page.target.parent

    def replace(match):
        attribute, target, fragment = match.group(1), match.group(2), match.group(3) or ""
        if not target:
            return match.group(0)
        source = (here / target).resolve()
        try:
            source.relative_to(ROOT)
        except ValueError:
            return match.group(0)
        if not source.exists() or source.is_dir():
            return match.group(0)
        if source.suffix not in (".md", ".svg", ".png"):
            linked.add(source)
        new = os.path.relpath(site_path(source), out_dir)
        return f'{attribute}="{new}{fragment}"'
    return LINK.sub(replace, body)


# ---------------------------------------------------------------------------------------------
# the frame around a page

def sidebar(all_pages, current):
    root = os.path.relpath(".", current.target.parent)
    link = lambda p: html.escape(os.path.relpath(p.target, current.target.parent))  # noqa: E731
    items = []
    by_lesson = {}
    for page in all_pages:
        if page.lesson:
            by_lesson.setdefault(page.lesson, []).append(page)
    group = None
    for page in all_pages:
        if not page.in_chain:
            continue
        if page.lesson and page.title.endswith("Solutions"):
            continue                                   # listed under its chapter
        kind = "For teachers" if page.source.parent.name == "teach" else "The book"
        if kind != group:
            items.append(f'<li class="part">{kind}</li>')
            group = kind
        active = ' class="active"' if page is current else ""
        items.append(f'<li><a href="{link(page)}"{active}>{html.escape(page.title)}</a>')
        if page.lesson and page.lesson == current.lesson:
            extra = [p for p in by_lesson[page.lesson] if p is not page]
            marks = {p: ' class="active"' if p is current else "" for p in extra}
            items.append("<ul>" + "".join(f'<li><a href="{link(p)}"{marks[p]}>{html.escape(p.title[3:])}</a></li>'
                                          for p in extra) + "</ul>")
        items.append("</li>")
    return root, "\n".join(items)


def neighbours(all_pages, current):
    chain = [p for p in all_pages if p.in_chain]
    if current not in chain:
        return None, None
    index = chain.index(current)
    return (chain[index - 1] if index > 0 else None), (chain[index + 1] if index + 1 < len(chain) else None)


def frame(template, all_pages, page, body):
    root, items = sidebar(all_pages, page)
    before, after = neighbours(all_pages, page)
    here = page.target.parent

    def nav(target, rel, text):
        if target is None:
            return "<span></span>"
        href = html.escape(os.path.relpath(target.target, here))
        return f'<a class="{rel}" rel="{rel}" href="{href}">{text}</a>'
    pager = (nav(before, "prev", "&larr; " + html.escape(before.title) if before else "")
             + nav(after, "next", html.escape(after.title) + " &rarr;" if after else ""))
    return (template.replace("{{title}}", html.escape(page.title))
                    .replace("{{root}}", root)
                    .replace("{{sidebar}}", items)
                    .replace("{{pager}}", pager)
                    .replace("{{body}}", body))


# ---------------------------------------------------------------------------------------------

def sections_for_search(page, body, headings):
    """One search entry per heading: the page, the anchor, the title, the words under it."""
    entries = []
    parts = re.split(r'<h[1-6] id="([^"]+)">', body)
    titles = {anchor: title for _, title, anchor in headings}
    lead = plain(parts[0])
    if lead:
        entries.append({"p": str(page.target), "a": "", "t": page.title, "x": lead[:2000]})
    for anchor, content in zip(parts[1::2], parts[2::2]):
        content = re.sub(r"^.*?</h[1-6]>", "", content, count=1, flags=re.S)    # the heading itself
        text = re.sub(r"\s+", " ", plain(content))
        entries.append({"p": str(page.target), "a": anchor, "t": f"{page.title}: {titles.get(anchor, '')}",
                        "x": text[:2000]})
    return entries


def source_page(source, colour):
    language = EXTENSIONS.get(source.suffix, "text")
    code = source.read_text(errors="replace")
    relative = source.relative_to(ROOT)
    return (f"<h1>{html.escape(str(relative))}</h1>\n"
            f'<pre class="highlight" data-language="{language}"><code class="language-{language}">'
            f"{colour(code, language)}</code></pre>\n")


def render(out_dir):
    cmark = shutil.which("cmark-gfm")
    if not cmark:
        raise SystemExit("cmark-gfm is not installed: apt-get install cmark-gfm")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    template = (ASSETS / "page.html").read_text()
    colour, css = highlighter()
    all_pages = pages()
    index, linked = [], set()
    for page in all_pages:
        body = markdown_to_html(page.source.read_text(), cmark)
        body = highlight_blocks(body, colour)
        body, headings = add_anchors(body)
        body = rewrite_links(body, page, linked)
        index += sections_for_search(page, body, headings)
        target = out / page.target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(frame(template, all_pages, page, body))
    for source in sorted(linked):
        page = Page(source, str(source.relative_to(ROOT)), in_chain=False)
        target = out / page.target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(frame(template, all_pages, page, source_page(source, colour)))
    pictures = [p for pattern in ("*.svg", "*.png") for p in (*BOOK.glob(pattern), *BOOK.glob("figures/" + pattern))]
    for picture in pictures:
        target = out / site_path(picture)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(picture, target)
    (out / "assets").mkdir(exist_ok=True)
    for asset in ("site.css", "search.js"):
        shutil.copy(ASSETS / asset, out / "assets" / asset)
    (out / "assets" / "pygments.css").write_text(css)
    (out / "search-index.js").write_text(
        "window.SEARCH_INDEX = " + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + ";\n")
    print(f"wrote {len(all_pages)} pages, {len(linked)} source pages and a search index of "
          f"{len(index)} sections to {out}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "build/book"), help="folder for the site")
    return render(parser.parse_args().out)


if __name__ == "__main__":
    sys.exit(main())
