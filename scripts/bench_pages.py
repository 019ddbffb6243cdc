"""Page benchmark in a real browser: first render of each page, and filter change to idle.

    .venv/bin/python scripts/bench_pages.py [--big 10000] [--repeat 3]

Starts one Streamlit server whose bundled-corpus folder (CHORUS_DATA_DIR) is a temp dir
holding the seed and a generated corpus of `--big` answers (JSONL), warms every page once,
then measures on a warm server:
- first render: a new browser session (empty HTTP cache: Streamlit's and the chart libraries'
  JS are loaded again) opens the page until Streamlit is idle (and, on chart pages, a chart is
  drawn: a plotly chart, or a light Vega-Lite chart);
- page switch: a sidebar click in an open session until the new page is drawn and idle;
- filter rerun: typing an answer range in the sidebar until the new count is shown and idle.
Targets: first render <= 2 s and rerun <= 250 ms on the seed; rerun <= 1.5 s at 10k.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    free_port,
    launch_browser,
    start_server,
    stop_server,
    wait_idle,
)

SEED = ROOT / "data" / "000_dce1674832fde9a1.txt"
PAGES = {"overview": "", "themes": "themes", "estimates": "estimates", "topics": "topics"}
PAGES |= {"responses": "responses", "data": "data"}
CHART_PAGES = {"overview", "themes", "estimates", "topics"}
TIMEOUT = 600_000  # ms: the first visit to a 10k corpus computes every analysis
# A drawn chart: plotly's SVG, or a Vega-Lite chart's marks (SVG, or a canvas past 2,000 marks).
CHART_DRAWN = (
    '[data-testid="stPlotlyChart"] .main-svg, [data-testid="stVegaLiteChart"] svg.marks, '
    '[data-testid="stVegaLiteChart"] canvas'
)


def make_big_corpus(path: Path, n: int, random_state: int = 0) -> None:
    """n answers made of 3-6 paragraphs drawn from the seed answers, labelled by 4 models."""
    from lib.loaders import load_path

    seed = load_path(SEED).corpora[0]
    paragraphs = [p for r in seed.responses for p in r.text.split("\n") if len(p.split()) > 8]
    rng = random.Random(random_state)
    models = ["claude", "gemini", "gpt", "grok"]
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            body = "\n".join(rng.sample(paragraphs, rng.randint(3, 6)))
            row = {"prompt": seed.prompt, "model": models[i % 4], "response": f"({i}) {body}"}
            f.write(json.dumps(row) + "\n")


def _open(browser, url: str, charts: bool) -> float:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("h1", timeout=TIMEOUT)
    if charts:
        page.wait_for_selector(CHART_DRAWN, timeout=TIMEOUT)
    wait_idle(page, timeout=TIMEOUT)
    took = time.perf_counter() - t0
    ctx.close()
    return took


def _nav_times(browser, base: str, query: str, pages: dict[str, str]) -> dict[str, float]:
    """In-app page switches (sidebar clicks) in one session: the browser has its JS loaded."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(f"{base}/data{query}")
    page.wait_for_selector("h1", timeout=TIMEOUT)
    wait_idle(page, timeout=TIMEOUT)
    out = {}
    for name in [*pages, "data"]:
        title = name.capitalize()
        t0 = time.perf_counter()
        page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
        page.wait_for_selector(f'h1:has-text("{title}")', timeout=TIMEOUT)
        if name in CHART_PAGES:
            page.wait_for_selector(CHART_DRAWN, timeout=TIMEOUT)
        wait_idle(page, timeout=TIMEOUT)
        out[name] = time.perf_counter() - t0
    ctx.close()
    return out


def _rerun_times(browser, url: str, ranges: tuple[str, str], repeat: int) -> list[float]:
    """Time from pressing Enter in the "Answers" filter to the new count, idle."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector(".chorus-count", timeout=TIMEOUT)
    wait_idle(page, timeout=TIMEOUT)
    box = page.get_by_test_id("stSidebar").get_by_role("textbox", name="Answers", exact=True)
    times = []
    for i in range(repeat * 2 + 1):
        before = page.locator(".chorus-count").first.inner_text()
        box.fill(ranges[i % 2])
        t0 = time.perf_counter()
        box.press("Enter")
        page.wait_for_function(
            "b => { const e = document.querySelector('.chorus-count'); return e && e.innerText !== b; }",
            arg=before,
            timeout=TIMEOUT,
        )
        wait_idle(page, timeout=TIMEOUT)
        if i:  # the first change warms the filtered views
            times.append(time.perf_counter() - t0)
    ctx.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--big", type=int, default=10_000, help="answers in the large corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated page names")
    parser.add_argument("--skip-seed", action="store_true", help="measure only the large corpus")
    parser.add_argument(
        "--parts",
        default="render,switch,rerun",
        help="comma-separated: render (new session), switch (in-app), rerun (filter change)",
    )
    args = parser.parse_args()
    pages = {name: PAGES[name] for name in args.pages.split(",")}
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="chorus-bench-"))
    shutil.copy(SEED, tmp / SEED.name)
    big = tmp / f"big_{args.big}.jsonl"
    make_big_corpus(big, args.big)
    port = free_port()
    proc = start_server(port, env={"CHORUS_DATA_DIR": str(tmp)}, log=tmp / "server.log")
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = launch_browser(p)
            corpora = [
                ("seed", SEED.name, ("1-8", "")),
                (f"{args.big:,} answers", big.name, (f"1-{args.big // 2}", "")),
            ]
            for label, source, ranges in corpora[1:] if args.skip_seed else corpora:
                query = f"?source={source}"
                print(f"\n== {label} ==", flush=True)
                for name, path in pages.items():  # warm the server: caches filled once
                    t = _open(browser, f"{base}/{path}{query}", name in CHART_PAGES)
                    print(f"  warm-up {name:<10} {t:6.2f} s", flush=True)
                parts = set(args.parts.split(","))
                for name, path in pages.items() if "render" in parts else ():
                    runs = [
                        _open(browser, f"{base}/{path}{query}", name in CHART_PAGES)
                        for _ in range(args.repeat)
                    ]
                    print(
                        f"  first render {name:<10} median {statistics.median(runs):5.2f} s (new browser session)"
                    )
                navs = [
                    _nav_times(browser, base, query, pages)
                    for _ in range(args.repeat if "switch" in parts else 0)
                ]
                for name in pages if "switch" in parts else ():
                    t = statistics.median(n[name] for n in navs)
                    print(
                        f"  page switch  {name:<10} median {t:5.2f} s (sidebar click, same session)"
                    )
                rerun_pages = [n for n in ("overview", "responses") if n in pages]
                for name in rerun_pages if "rerun" in parts else ():
                    times = _rerun_times(
                        browser, f"{base}/{PAGES[name]}{query}", ranges, args.repeat
                    )
                    ms = statistics.median(times) * 1000
                    print(f"  filter rerun {name:<10} median {ms:5.0f} ms  ({len(times)} changes)")
            browser.close()
    finally:
        stop_server(proc)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
