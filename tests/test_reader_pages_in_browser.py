"""
The reader's pages in a real browser (Debian's Chromium, against the production-like gunicorn):
no accessibility violation for axe-core, a reading column of 65–75 characters, no sideways
scroll and a header of at most 80 px on a 390 px phone, the shipped fonts and nothing fetched
from another host. Desktop (1440 px) and phone (390 px) screenshots of each page are kept in
tests/screenshots/ (git-ignored; PLUME_SCREENSHOTS sets another folder) for a reviewer to look at.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .page_set import make_site
from .servers import collected_static, gunicorn_server  # noqa: F401 - fixtures used below
from .test_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("PLUME_SCREENSHOTS", ROOT / "tests" / "screenshots"))
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOT_PAGES = ("home", "post", "author", "search")

pytestmark = [
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

# Characters per line of the longest paragraph of the article (not the first: its drop cap
# shortens lines): every character's box, grouped by line; the paragraph's last line left out.
CHARS_PER_LINE_JS = """() => {
  const paragraphs = [...document.querySelectorAll('.prose p:not(:first-child)')];
  const p = paragraphs.sort((a, b) => b.textContent.length - a.textContent.length)[0];
  const lines = new Map();
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      const top = Math.round(rect.top);
      lines.set(top, (lines.get(top) || 0) + 1);
    }
  }
  const counts = [...lines.values()].slice(0, -1);
  return counts.reduce((a, b) => a + b, 0) / counts.length;
}"""


AXE_JS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(
  v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')})`
)"""


def in_chromium(scenario):
    """Run `scenario(browser)` in a thread of its own (see tests/test_browser.py for why)."""

    def run():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return scenario(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def visit_all(browser, base_url, pages, *, viewport, scheme, shots):
    context = browser.new_context(viewport=viewport, color_scheme=scheme, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    foreign, seen = [], {}
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((base_url, "data:")) else None)
    try:
        for name, url in pages.items():
            page.goto(base_url + url)
            page.wait_for_load_state("networkidle")
            page.evaluate("document.fonts.ready")
            seen[name] = {
                "status": page.evaluate("document.readyState") and True,
                "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
                "header": page.evaluate(
                    "document.querySelector('.site-header').getBoundingClientRect().height"
                ),
                "serif": page.evaluate("document.fonts.check('16px \"Source Serif 4\"')"),
                "fonts_loaded": page.evaluate(
                    "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
                ),
                "lang": page.evaluate("document.documentElement.lang"),
            }
            if name == "post":
                seen[name]["chars_per_line"] = page.evaluate(CHARS_PER_LINE_JS)
            if name in shots:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=SCREENSHOTS / f"{name}-{viewport['width']}-{scheme}.png", full_page=True)
    finally:
        context.close()
    return seen, foreign


def axe_violations(browser, base_url, pages, *, viewport, scheme):
    # axe is injected as an inline script: this context alone sets the site's CSP aside.
    context = browser.new_context(viewport=viewport, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    found = {}
    try:
        for name, url in pages.items():
            page.goto(base_url + url)
            page.wait_for_load_state("networkidle")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(AXE_JS)
            if violations:
                found[name] = violations
    finally:
        context.close()
    return found


@pytest.fixture
def site(gunicorn_server):  # noqa: F811
    return gunicorn_server, make_site()


def test_the_pages_read_well_on_a_desktop_and_a_phone_with_the_shipped_fonts(site):
    base_url, pages = site

    def scenario(browser):
        return {
            "desktop": visit_all(
                browser, base_url, pages, viewport=DESKTOP, scheme="light", shots=SCREENSHOT_PAGES
            ),
            "phone": visit_all(
                browser, base_url, pages, viewport=PHONE, scheme="light", shots=SCREENSHOT_PAGES
            ),
            "phone-dark": visit_all(
                browser, base_url, {"post": pages["post"]}, viewport=PHONE, scheme="dark", shots=("post",)
            ),
        }

    seen = in_chromium(scenario)
    desktop, desktop_foreign = seen["desktop"]
    phone, phone_foreign = seen["phone"]
    assert desktop_foreign == phone_foreign == []  # fonts, images and styles all come from the site
    assert 65 <= desktop["post"]["chars_per_line"] <= 75, desktop["post"]["chars_per_line"]
    assert 35 <= phone["post"]["chars_per_line"] <= 50, phone["post"]["chars_per_line"]
    for name, facts in phone.items():
        assert facts["scroll_width"] <= PHONE["width"], (name, facts["scroll_width"])
        assert facts["header"] <= 80, (name, facts["header"])
        assert facts["lang"] == "fr"  # an English browser, a French blog
    for name, facts in desktop.items():
        assert facts["scroll_width"] <= DESKTOP["width"], name
        assert facts["serif"] and "Source Serif 4" in facts["fonts_loaded"], (name, facts["fonts_loaded"])
    for name in SCREENSHOT_PAGES:
        assert (SCREENSHOTS / f"{name}-1440-light.png").stat().st_size > 10_000
        assert (SCREENSHOTS / f"{name}-390-light.png").stat().st_size > 10_000


@pytest.mark.skipif(not AXE.exists(), reason="no axe-core (npm ci --ignore-scripts, as `make test` does)")
def test_axe_finds_no_accessibility_violation_on_any_public_page_type(site):
    base_url, pages = site

    def scenario(browser):
        return {
            "desktop, light": axe_violations(browser, base_url, pages, viewport=DESKTOP, scheme="light"),
            "phone, dark": axe_violations(browser, base_url, pages, viewport=PHONE, scheme="dark"),
        }

    assert in_chromium(scenario) == {"desktop, light": {}, "phone, dark": {}}
