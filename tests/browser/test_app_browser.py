"""What only a real browser shows: pages render and draw charts, URL filters, uploads, safety."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, wait_idle

pytestmark = pytest.mark.browser

PAGES = ["overview", "themes", "estimates", "topics", "responses", "data"]
# The default page lives at the root URL; the others at their url_path.
URLS = {name: ("" if name == "overview" else name) for name in PAGES}
CHART_PAGES = {"overview", "themes", "estimates", "topics"}
# A drawn chart: plotly's SVG, or a light Vega-Lite chart's marks (SVG, or canvas when large).
CHARTS = (
    '[data-testid="stPlotlyChart"] .main-svg, [data-testid="stVegaLiteChart"] svg.marks, '
    '[data-testid="stVegaLiteChart"] canvas'
)
SHOTS = ROOT / "test-artifacts" / "screenshots"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=window.__xss=1>"


def _goto(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("h1", timeout=120_000)
    wait_idle(page)


def _count(page) -> str:
    return page.locator(".chorus-count").first.inner_text(timeout=30_000)


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def _upload(page, app_url: str, path: Path) -> None:
    """Open the Data page and upload a file through its uploader, then wait for the split."""
    _goto(page, f"{app_url}/data")
    page.get_by_role("tab", name=re.compile("Upload a file")).click()
    page.get_by_test_id("stTabs").locator('input[type="file"]').first.set_input_files(str(path))
    page.wait_for_selector(f'text="Open corpus: ⬆️ {path.name}"', timeout=120_000)
    wait_idle(page)


def _open_page(page, title: str) -> None:
    """Navigate inside the app (same session), as a user clicking the sidebar."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    page.wait_for_selector(f'h1:has-text("{title}")', timeout=120_000)
    wait_idle(page)


def _jsonl(tmp_path: Path, name: str, answers: list[str]) -> Path:
    path = tmp_path / name
    rows = [
        {"prompt": "Is this safe?", "response": a, "model": f"m{i % 2}"}
        for i, a in enumerate(answers)
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("url_path", PAGES)
def test_page_renders_and_screenshots(new_page, app_url, url_path):
    page = new_page()
    _goto(page, f"{app_url}/{URLS[url_path]}")
    if url_path in CHART_PAGES:
        page.wait_for_selector(CHARTS, timeout=120_000)
        wait_idle(page)
        assert page.locator(CHARTS).count() >= 1
    _no_exception(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator("h1").first.inner_text().strip() == url_path.capitalize()
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{url_path}.png"
    # Streamlit scrolls inside its own container, so a tall window shows more of the page.
    page.set_viewport_size({"width": 1400, "height": 2200})
    page.wait_for_timeout(300)
    wait_idle(page)
    page.screenshot(path=str(shot))
    if os.environ.get("CHORUS_SCREENSHOTS") == "docs":
        docs = ROOT / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, docs / shot.name)
    # Privacy: the app never makes the browser fetch anything from elsewhere.
    assert page.foreign_requests == []


def test_filter_in_url_is_applied(new_page, app_url):
    page = new_page()
    _goto(page, f"{app_url}/responses?groups=A")
    assert _count(page).startswith("Showing 4 of 16 answers")
    _no_exception(page)
    # The filter survives a page change inside the app and stays in the URL.
    _open_page(page, "Overview")
    assert _count(page).startswith("Showing 4 of 16 answers")
    assert "groups=A" in page.url


def test_upload_through_data_page_is_split_and_shown(new_page, app_url, tmp_path):
    page = new_page()
    path = _jsonl(tmp_path, "three.jsonl", ["First answer.", "Second answer.", "Third answer."])
    _upload(page, app_url, path)
    assert _count(page).startswith("Showing 3 of 3 answers")
    _no_exception(page)
    _open_page(page, "Responses")
    assert _count(page).startswith("Showing 3 of 3 answers")
    assert page.get_by_text("First answer.").first.is_visible()


def test_hostile_answer_is_shown_as_text_and_runs_nothing(new_page, app_url, tmp_path):
    page = new_page()
    hostile = f"Before {XSS_SCRIPT} middle {XSS_IMG} after."
    _upload(page, app_url, _jsonl(tmp_path, "hostile.jsonl", [hostile, "A calm answer."]))
    _open_page(page, "Responses")
    answer = page.locator(".chorus-answer").first
    answer.wait_for(timeout=30_000)
    assert XSS_SCRIPT in answer.inner_text()
    assert XSS_IMG in answer.inner_text()
    assert answer.locator("script, img").count() == 0
    page.wait_for_timeout(500)  # give an injected handler its chance to fire
    assert page.evaluate("() => window.__xss") is None
    assert page.dialogs == []
    _no_exception(page)


def test_hostile_group_names_are_shown_literally_and_fetch_nothing(new_page, app_url, tmp_path):
    """A model label is corpus text too: markdown in it must not render (nor load an image)."""
    page = new_page()
    image, bold = "![x](http://127.0.0.1:9/p.png)", "**bold**"
    path = tmp_path / "groups.jsonl"
    rows = [
        {"prompt": "Q?", "response": f"Answer number {i}.", "model": [image, bold][i % 2]}
        for i in range(4)
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    _upload(page, app_url, path)
    # The Data page's rename labels name both groups.
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text(image, exact=False).count() >= 1
    assert main.get_by_text(bold, exact=False).count() >= 1
    _open_page(page, "Responses")
    line = page.locator('[data-testid="stMarkdownContainer"]', has_text="Answer 1").first
    assert image in line.inner_text()
    assert line.locator("img, strong:has-text('bold')").count() == 0
    page.get_by_text("Compare", exact=True).first.click()
    wait_idle(page)
    second = page.locator('[data-testid="stMarkdownContainer"]', has_text="Answer 2").first
    assert bold in second.inner_text()
    page.wait_for_timeout(500)
    assert not [u for u in page.foreign_requests if ":9/" in u]
    assert page.foreign_requests == []
    _no_exception(page)


def test_two_sessions_do_not_see_each_others_uploads(new_page, app_url, tmp_path):
    alice = new_page()
    _upload(alice, app_url, _jsonl(tmp_path, "secret-alice.jsonl", ["Alice's private note."] * 2))
    leaked_url = alice.url
    assert "secret-alice" in leaked_url  # the bound corpus picker puts its label in the URL
    bob = new_page()
    _goto(bob, app_url + "/")
    assert "secret-alice" not in bob.locator('[data-testid="stSidebar"]').inner_text()
    # Even Alice's own link does not open her upload for Bob: he gets the bundled corpus.
    _goto(bob, leaked_url)
    assert "secret-alice" not in bob.content()
    assert bob.get_by_text("Alice's private note.").count() == 0
    _no_exception(bob)


def test_presenter_link_hides_the_controls(new_page, app_url):
    # A shared link with ?presenter=true opens straight into presenter mode.
    page = new_page()
    _goto(page, f"{app_url}/estimates?presenter=true")
    _no_exception(page)
    assert page.locator('[data-testid="stSidebar"]').is_hidden()
    assert page.get_by_role("button", name="Exit presenter mode").is_visible()
    page.get_by_role("button", name="Exit presenter mode").click()
    page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=60_000)
    wait_idle(page)
