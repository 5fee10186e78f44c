"""Browser tests: Playwright (the PyPI package) driving Debian's chromium (/usr/bin/chromium, never a
downloaded browser) against a real `atdkg serve` process on a free port.

In CI (``$CI`` set) a missing chromium, Playwright or `npm ci` is a failure; locally it skips with the
reason. Screenshots go to test-output/ (gitignored)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from atdkg import server_process
from atdkg.server_process import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("ATDKG_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "test-output"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright; .ci/run does)"
    if not (ROOT / "node_modules" / "cytoscape").is_dir():
        return "node_modules/ is missing (run `npm ci`; .ci/run does)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            if os.environ.get("CI"):
                item.add_marker(pytest.mark.usefixtures("_browser_requirements"))
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def _browser_requirements():
    reason = _missing()
    if reason:
        pytest.fail(f"browser tests cannot run in CI: {reason}")


@pytest.fixture(scope="session")
def server(build_dir, tmp_path_factory):
    """`atdkg serve` on a free 127.0.0.1 port over a copy of the session's build; stopped at teardown."""
    data = tmp_path_factory.mktemp("served") / "data"
    data.mkdir()
    shutil.copytree(build_dir, data / "build")
    with open(tmp_path_factory.mktemp("serve-log") / "serve.log", "w+b") as log:
        try:
            proc, base = server_process.start(free_port(), {"ATDKG_DATA": str(data), "ATDKG_QUERY_TIMEOUT": "20"},
                                              log=log, cwd=ROOT)
        except RuntimeError as e:
            log.seek(0)
            raise RuntimeError(f"{e}: {log.read().decode(errors='replace')[-2000:]}") from None
        yield base
        server_process.stop(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    """A fresh page that records console errors and CSP violations (a test fails on any)."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    # "Failed to load resource" is the favicon's 404; server errors are caught by the response hook
    pg.on("console", lambda m: errors.append(f"console {m.type}: {m.text}")
          if m.type == "error" and "Failed to load resource" not in m.text else None)
    pg.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    pg.errors = errors
    yield pg
    SCREENSHOTS.mkdir(exist_ok=True)
    try:
        pg.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-final.png"), full_page=False)
    except Exception:  # noqa: BLE001 - a screenshot is a by-product
        pass
    context.close()
