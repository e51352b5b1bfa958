"""Checks the book site in a real browser: `python3 tools/site_check.py --site DIR [--chapter 07]`.

1. Every link and picture of every page leads to a file of the site, and every `#anchor` of a
   link between pages names a heading of its target (no browser needed).
2. Headless Chromium loads one chapter with a search in its address (`?search=...`), lets its
   scripts run, and hands back the page as it then stands (--dump-dom). The check finds in it:
   the sidebar with a link to every chapter, the current chapter marked; code coloured by
   Pygments; previous and next links; the chapter's pictures; and search results that lead to
   pages of the site. A script error in the browser's log fails the check too.
3. Chromium takes a screenshot of the same page (DIR/screenshot.png), for a person to look at.

With --render it builds the site into --site first (tools/book_site.py); without --site, that
folder is build/book. Needs Chromium
(Debian: chromium); exits 77 with a message when it is not installed, so that CTest can skip.
"""
import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import book_site  # noqa: E402

ROOT = book_site.ROOT
LINK = re.compile(r'(?:href|src)="([^"]*)"')
SEARCH = "cancel timeout"


def browser():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def chromium(exe, args, url):
    with tempfile.TemporaryDirectory() as profile:
        command = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                   "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0",
                   f"--user-data-dir={profile}", "--window-size=1280,900", *args, url]
        return subprocess.run(command, capture_output=True, text=True, timeout=90)


def check_links(site):
    problems = []
    ids = {}
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        ids[page.resolve()] = set(re.findall(r' id="([^"]+)"', page.read_text()))
    for page in pages:
        text = page.read_text()
        for target in LINK.findall(text):
            if re.match(r"^[a-z]+:", target) or target.startswith("#") or not target:
                continue
            path, _, fragment = unquote(target).partition("#")
            path = path.split("?")[0]
            resolved = (page.parent / path).resolve()
            if not resolved.exists():
                problems.append(f"{page.relative_to(site)}: {target} leads nowhere")
            elif fragment and resolved.suffix == ".html" and fragment not in ids.get(resolved, set()):
                problems.append(f"{page.relative_to(site)}: {target}: no heading #{fragment} there")
    return len(pages), problems


def check_page(dom, chapter, site):
    """What a reader must see on the chapter's page, once its scripts have run."""
    problems = []
    sidebar = re.search(r'<nav id="sidebar".*?</nav>', dom, re.S)
    if not sidebar:
        return ["no sidebar (<nav id=\"sidebar\">)"]
    chapters = sorted(p.stem for p in book_site.BOOK.glob("[0-9][0-9]-*.md"))
    missing = [c for c in chapters if f'href="{c}.html"' not in sidebar.group(0)]
    if missing:
        problems.append(f"the sidebar has no link to {', '.join(missing)}")
    if not re.search(rf'href="{re.escape(chapter)}.html" class="active"', sidebar.group(0)):
        problems.append(f"the sidebar does not mark {chapter} as the current page")
    coloured = re.findall(r'<pre class="highlight"[^>]*><code[^>]*>(.*?)</code></pre>', dom, re.S)
    tokens = sum(len(re.findall(r'<span class="(?:k|kt|n|nf|s|s2|mi|c1|o|p)">', block)) for block in coloured)
    if not coloured or tokens < 20:
        problems.append(f"code is not highlighted ({len(coloured)} blocks, {tokens} coloured tokens)")
    if not re.search(r'<a class="prev" rel="prev" href="[^"]+">', dom) or \
            not re.search(r'<a class="next" rel="next" href="[^"]+">', dom):
        problems.append("no previous/next links")
    pictures = re.findall(r'<img src="([^"]+\.svg)"', dom)
    if not pictures:
        problems.append("no picture shown in the page")
    for picture in pictures:
        if not (site / picture).exists():
            problems.append(f"the picture {picture} is not in the site")
    results = re.findall(r'<li class="search-result"><a href="([^"]+)">', dom)
    if len(results) < 3:
        problems.append(f"a search for '{SEARCH}' shows {len(results)} results")
    for href in results:
        if not (site / href.split("#")[0]).resolve().exists():
            problems.append(f"the search result {href} leads nowhere")
    return problems, len(chapters), tokens, len(pictures), len(results)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", help="the built site (default build/book)")
    parser.add_argument("--render", action="store_true", help="build the site into --site first")
    parser.add_argument("--chapter", default="07", help="the chapter to load (NN), default 07")
    args = parser.parse_args()
    exe = browser()
    if exe is None:
        print("skipped: Chromium is not installed (apt-get install chromium)")
        return 77
    if not shutil.which("cmark-gfm"):
        print("skipped: cmark-gfm is not installed (apt-get install cmark-gfm)")
        return 77
    site = Path(args.site or ROOT / "build" / "book")
    if args.render or not args.site:
        book_site.render(site)
    site = site.resolve()
    found = sorted(site.glob(f"{args.chapter}-*.html"))
    if not found:
        print(f"no chapter {args.chapter} in {site}")
        return 1
    chapter = found[0].stem

    pages, problems = check_links(site)
    print(f"links: {pages} pages, {len(problems)} broken")

    url = found[0].as_uri() + "?search=" + SEARCH.replace(" ", "%20")
    done = chromium(exe, ["--dump-dom"], url)
    if done.returncode != 0 or "<html" not in done.stdout:
        print(f"Chromium could not load {url}:\n{done.stderr[-2000:]}")
        return 1
    errors = [l for l in done.stderr.splitlines() if "Uncaught" in l or "CONSOLE" in l and "rror" in l]
    problems += [f"browser: {l.strip()}" for l in errors]
    result = check_page(done.stdout, chapter, site)
    page_problems, chapters, tokens, pictures, results = result
    problems += page_problems
    print(f"{chapter}.html in Chromium: sidebar of {chapters} chapters, {tokens} coloured tokens, "
          f"{pictures} pictures, {results} search results for '{SEARCH}'")

    shot = site / "screenshot.png"
    taken = chromium(exe, [f"--screenshot={shot}"], url)
    if taken.returncode != 0 or not shot.exists() or shot.stat().st_size < 20000:
        problems.append(f"no screenshot, or an empty one ({shot})")
    else:
        print(f"screenshot: {shot} ({shot.stat().st_size // 1024} KB)")

    for problem in problems:
        print(f"error: {problem}")
    if problems:
        print(f"{len(problems)} problem(s) in the book site")
        return 1
    print("the book site passes its browser check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
