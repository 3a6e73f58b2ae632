"""What the crawl checks on each page it opens (tests/e2e/test_crawl.py).

- **status**: the document and every same-origin request it makes answer < 400.
- **overflow**: at 390 px nothing scrolls sideways
  (``document.scrollingElement.scrollWidth <= clientWidth``).
- **script** (untranslated text):
  - zh-hans: the visible text (``document.body.innerText``; form fields' values are not part of
    it) has no Latin word outside ``LATIN_ALLOWED`` (product names, units, codes, file
    formats) or written in capitals (acronyms and codes: CECA, PUE, EMC). Words with digits (IDs, numbers), e-mail addresses and URLs are data.
  - en: the interface chrome has no Han character. Content that editors enter (page titles and
    bodies, program and level names, questions, people's names) is Chinese *data* in this
    site and stays Chinese in English; the chrome is what we and Wagtail render around it:
    ``CHROME_SELECTOR`` (header, navigation, footer, labels, buttons, legends, table headings,
    messages, help text). Data strings the page shows inside chrome (a breadcrumb with a page
    title, a select's program name) are removed first: ``world.data_strings`` (every page
    title, program/level name, person's name, … from the database).
- **axe**: axe-core (package.json, node_modules/axe-core) finds no violation of impact
  serious or critical.
"""

import re
from pathlib import Path

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Latin words allowed in Chinese text: product and standard names, units, codes, formats.
LATIN_ALLOWED = {
    "ceca", "miit", "pdf", "csv", "xlsx", "zip", "id", "url", "qr", "api", "pwa", "wagtail", "django",
    "email", "e-mail", "ok", "gb", "kb", "mb", "px", "cny", "h", "min", "s", "x", "pm", "am", "https",
    "http", "www", "android", "ios", "windows", "chrome", "chromium", "safari", "edge", "wifi", "wi-fi",
    "utc", "cst", "english", "jpeg", "jpg", "png", "webp", "esc", "tab", "enter", "shift", "ctrl", "alt", "iso", "onnx", "wasm", "cpu", "gpu", "ip", "vpn", "it", "faq", "co2",
}

# Run before the Latin check: strings that are data or machine text, not words.
_DATA_RE = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+"  # e-mail
    r"|https?://\S+|/\S+/"  # URLs and paths
    r"|\b\w*\d\w*\b"  # anything with a digit: IDs, numbers, codes like E2E-1
)
_ACRONYM_RE = re.compile(r"[A-Z]{2,6}s?")
_LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

CHROME_SELECTOR = ", ".join([
    # Not h2/h3, summary or dt: in this site those are mostly editors' content (FAQ questions,
    # lesson section headings); the page's h1 is checked (its title is a data string).
    "header", "nav", "footer", "label", "button", "legend", "th", "caption",
    ".messages", "[role=alert]", "[role=status]", ".help", ".help-text", ".w-field__help",
    ".w-field__label", ".w-tabs__tab", ".w-dropdown", ".w-header__title", "h1",
])

CHROME_TEXT_JS = """(selector) => {
  const seen = new Set();
  const texts = [];
  for (const el of document.querySelectorAll(selector)) {
    // Skip elements inside another chrome element already taken, and hidden ones.
    let parent = el.parentElement, nested = false;
    while (parent) { if (seen.has(parent)) { nested = true; break; } parent = parent.parentElement; }
    seen.add(el);
    if (nested || !el.getClientRects().length) continue;
    texts.push(el.innerText);
  }
  for (const el of document.querySelectorAll("input[type=submit], input[type=button]")) {
    if (el.getClientRects().length) texts.push(el.value);
  }
  for (const el of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
    if (el.getClientRects().length) texts.push(el.placeholder);
  }
  return texts.join("\\n");
}"""

OVERFLOW_JS = """() => {
  const root = document.scrollingElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  // Name the widest elements sticking out, to say what to fix.
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > root.clientWidth + 1 && r.width > 0) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.classList.length ? "." + [...el.classList].join(".") : "");
      out.push(name + " right=" + Math.round(r.right));
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, elements: out.slice(0, 5)};
}"""

AXE_RUN_JS = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 160))}));
}"""


def latin_words(text: str, data_words=frozenset()) -> list[str]:
    """Latin words in Chinese text that are neither allowed nor data (``data_words``: user
    names and other Latin data of the database, lower case)."""
    text = _DATA_RE.sub(" ", text)
    found = []
    for word in _LATIN_WORD_RE.findall(text):
        if word.lower() in data_words:
            continue
        if _ACRONYM_RE.fullmatch(word):  # CECA, PUE, EMC: codes and technical acronyms
            continue
        if word.lower().strip("'’-") not in LATIN_ALLOWED and len(word) > 1:
            found.append(word)
    return found


def han_runs(text: str, data_strings) -> list[str]:
    """Han characters in English chrome text once the data strings are taken out."""
    for data in data_strings:
        if data in text:
            text = text.replace(data, " ")
    return _HAN_RE.findall(text)


def overflow(page):
    return page.evaluate(OVERFLOW_JS)


def axe_violations(page):
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    return page.evaluate(AXE_RUN_JS)


VISIBLE_TEXT_JS = """() => {
  // Form contents are data, not interface: hide select lists (time zones, pages), text areas and
  // rich-text editors while reading the text, then show them again.
  const style = document.createElement("style");
  style.textContent = "select, textarea, [contenteditable=true], .Draftail-Editor { display: none !important; }";
  document.head.appendChild(style);
  try { return document.body.innerText; } finally { style.remove(); }
}"""


def visible_text(page) -> str:
    return page.evaluate(VISIBLE_TEXT_JS)


def chrome_text(page) -> str:
    return page.evaluate(CHROME_TEXT_JS, CHROME_SELECTOR)
