"""Real-browser fixtures: one Streamlit server per session, Debian chromium via Playwright."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSpinner"],'
      + ' [data-testid="stSkeleton"], [data-stale="true"]');
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    """Streamlit on 127.0.0.1:port, started directly (no shell) so SIGTERM reaches it."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed by the process end
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.read().decode().strip() == "ok":
                    return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("streamlit did not become healthy within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_idle(page, timeout: float = 120_000) -> None:
    """Connected, script not running, no spinner, skeleton or stale element."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    # Polled every animation frame: a 100 ms poll added 50 ms on average to every timing.
    page.wait_for_function(IDLE_JS, timeout=timeout, polling="raf")


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    log = ROOT / "test-artifacts" / "streamlit-browser-tests.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = start_server(port, log=log)
    yield f"http://127.0.0.1:{port}"
    stop_server(proc)


@pytest.fixture(scope="session")
def browser(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_browser(p)
        yield b
        b.close()


@pytest.fixture
def new_page(browser, app_url):
    """A factory of pages, each in its own browser context (= its own Streamlit session).

    Each page records dialogs and every request that leaves the app's own server.
    """
    contexts = []

    def make():
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(ctx)
        page = ctx.new_page()
        # Generous: CI machines are slow and a first visit computes every analysis.
        page.set_default_timeout(120_000)
        page.dialogs = []
        page.foreign_requests = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((app_url, "data:", "blob:", "about:"))
                else page.foreign_requests.append(r.url)
            ),
        )
        return page

    yield make
    for ctx in contexts:
        ctx.close()
