"""The exported reading view, opened in a real headless Chromium: highlights render, and markup
inside an article's text (a script, an image with an onerror handler, a javascript: link) is
shown as text and never runs. A control page with the same markup unescaped proves that the
browser here does run such markup, so the checks can fail."""
import shutil
import subprocess

import pytest

from analysis import corpus
from analysis.framing import markers
from analysis.presentation import reading

pytestmark = pytest.mark.browser

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
#: Seconds of virtual time Chromium gives the page to run scripts and fire onerror handlers.
VIRTUAL_TIME_MS = 3000

SCRIPT = ("<script>document.title='pwned';"
          "document.body.insertAdjacentHTML('beforeend','<p id=\"pwned-script\">ran</p>')</script>")
IMAGE = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
LINK = "<a href=\"javascript:document.title='pwned-link'\">read more</a>"
# A short paraphrased article quoting hostile markup, with words the lexicon marks.
ARTICLE = (f"Markup posted about Karabakh\n\n"
           f"Officials said the offensive in Nagorno-Karabakh was over. A post quoted {SCRIPT} in full.\n\n"
           f"Another showed {IMAGE} and a link {LINK} to readers in Stepanakert.\n")


def _chromium() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _dump_dom(page, tmp_path) -> str:
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium binary found (install the Debian package 'chromium')")
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", f"--virtual-time-budget={VIRTUAL_TIME_MS}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "</html>" in result.stdout, result.stderr[-2000:]
    return result.stdout


def _ran(dom: str) -> list[str]:
    # Element-level traces only: quoted markup shown as text serialises as "&lt;p id=…".
    signs = {"script": '<p id="pwned-script">', "title": "<title>pwned", "onerror": 'data-pwned="img"'}
    return [name for name, sign in signs.items() if sign in dom]


@pytest.fixture(scope="module")
def article():
    doc = corpus.parse_article(ARTICLE, "hostile", {"outlet": "Test outlet", "title": "Hostile <b>title</b>"})
    hits = markers.match_document(doc)
    assert len(hits) >= 3
    return doc, hits


def test_the_control_page_runs_its_markup(tmp_path):
    page = tmp_path / "control.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>safe</title></head><body><p>x</p>{SCRIPT}{IMAGE}</body></html>",
                    encoding="utf-8")
    assert set(_ran(_dump_dom(page, tmp_path))) == {"script", "title", "onerror"}


def test_exported_reading_view_renders_highlights_and_runs_nothing(tmp_path, article):
    doc, hits = article
    page = reading.view(doc, hits).write("hostile", tmp_path)
    dom = _dump_dom(page, tmp_path)
    assert _ran(dom) == []
    assert dom.count("<mark ") == len(hits)
    assert "<script" not in dom and "<img" not in dom and "<a " not in dom
    assert "&lt;script&gt;document.title='pwned'" in dom  # the quoted markup is shown as text
    assert "<title>hostile: Hostile &lt;b&gt;title&lt;/b&gt;</title>" in dom


def test_escaping_alone_keeps_scripts_from_running(tmp_path, article):
    """The same fragment in a page without the Content-Security-Policy: escaping is enough."""
    doc, hits = article
    page = tmp_path / "bare.html"
    page.write_text("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>safe</title></head><body>"
                    + reading.fragment(doc, hits) + "</body></html>", encoding="utf-8")
    dom = _dump_dom(page, tmp_path)
    assert _ran(dom) == []
    assert dom.count("<mark ") == len(hits)
    assert "<script" not in dom and "<img" not in dom and "<a " not in dom
