// Offline search: window.SEARCH_INDEX (search-index.js, written when the site is built) holds one
// entry per section of every page: {p: page, a: anchor, t: title, x: text}. A section matches when
// it holds every word of the query; a word in the title counts more. ?search=words searches at once.
(function () {
  const box = document.getElementById("search-box");
  const list = document.getElementById("search-results");
  const root = document.body.dataset.root || ".";
  const index = window.SEARCH_INDEX || [];

  function escape(text) {
    return text.replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));
  }

  function snippet(text, words) {
    const lower = text.toLowerCase();
    const first = words.map(w => lower.indexOf(w)).filter(i => i >= 0).sort((a, b) => a - b)[0] || 0;
    const at = Math.max(0, first - 40);
    const pattern = new RegExp("(" + words.map(w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|") + ")", "ig");
    return (at > 0 ? "..." : "") + escape(text.slice(at, at + 160)).replace(pattern, "<mark>$1</mark>");
  }

  function search(query) {
    const words = query.toLowerCase().split(/\s+/).filter(w => w.length > 1);
    if (!words.length) { list.hidden = true; list.innerHTML = ""; return; }
    const found = [];
    for (const entry of index) {
      const title = entry.t.toLowerCase(), text = entry.x.toLowerCase();
      let score = 0;
      for (const word of words) {
        const inTitle = title.includes(word), inText = text.includes(word);
        if (!inTitle && !inText) { score = 0; break; }
        score += (inTitle ? 10 : 0) + (inText ? 1 : 0);
      }
      if (score) found.push([score, entry]);
    }
    found.sort((a, b) => b[0] - a[0]);
    list.innerHTML = found.slice(0, 20).map(([, e]) =>
      '<li class="search-result"><a href="' + root + "/" + e.p + (e.a ? "#" + e.a : "") + '">' + escape(e.t) +
      '</a><span class="snippet">' + snippet(e.x, words) + "</span></li>").join("") ||
      '<li class="no-result">nothing found</li>';
    list.hidden = false;
  }

  box.addEventListener("input", () => search(box.value));
  const asked = new URLSearchParams(location.search).get("search");
  if (asked) { box.value = asked; search(asked); }
})();
