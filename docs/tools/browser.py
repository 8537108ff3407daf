"""Open a page in headless Chromium (Debian's `chromium`, `make chromium` installs it) and report what
a reader would see: images that failed to load, internal links that lead nowhere, console errors and
uncaught exceptions; and save a full-page screenshot.

Chromium is driven through its DevTools protocol (a WebSocket, via websocket-client), so nothing is
downloaded at run time.

    python docs/tools/browser.py reports/index.html --screenshot reports/screenshot.png
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
    "--window-size=1280,1000",
]
# Inspect every image and link in the page, from inside the page.
INSPECT = """(() => ({
  images: Array.from(document.images).map(i => ({src: i.src.slice(0, 60), complete: i.complete,
                                                   width: i.naturalWidth, alt: i.alt})),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
  ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
  height: document.documentElement.scrollHeight,
  title: document.title,
}))()"""


@dataclass
class PageCheck:
    title: str = ""
    images: list[dict] = field(default_factory=list)
    broken_images: list[dict] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    links_checked: int = 0
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"image did not load: {i['alt'] or i['src']}" for i in self.broken_images]
            + [f"link leads nowhere: {link}" for link in self.broken_links]
            + [f"console error: {e}" for e in self.console_errors]
        )


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError("no chromium on PATH: run `make chromium` (apt-get install chromium)")


class DevTools:
    """A minimal DevTools protocol session on one page target."""

    def __init__(self, url: str) -> None:
        import websocket

        self.socket = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def call(self, method: str, **params: object) -> dict:
        call_id = next(self.ids)
        self.socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 60.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.events:
                if message.get("method") == event:
                    return message
            self.events.append(json.loads(self.socket.recv()))
        raise TimeoutError(f"no {event} within {timeout} s")

    def close(self) -> None:
        self.socket.close()


def _devtools_url(process: subprocess.Popen, timeout: float = 60.0) -> str:
    """Chromium prints `DevTools listening on ws://...` on stderr once it is ready."""
    assert process.stderr is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            break
        match = re.search(r"DevTools listening on (ws://\S+)", line)
        if match:
            return match.group(1)
    raise RuntimeError("chromium did not start its DevTools server")


def _page_target(browser_ws: str) -> str:
    """The WebSocket URL of the first page target (from the HTTP endpoint beside the browser's)."""
    import urllib.request

    host = urllib.parse.urlsplit(browser_ws).netloc
    with urllib.request.urlopen(f"http://{host}/json/list", timeout=30) as response:
        targets = json.load(response)
    return next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")


def _console_errors(events: list[dict]) -> list[str]:
    errors = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(
                " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            )
        elif method == "Runtime.exceptionThrown":
            errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            errors.append(f"{params['entry'].get('text')} ({params['entry'].get('url', '')})")
    return errors


def _broken_links(page: Path, links: list[str], ids: set[str]) -> list[str]:
    broken = []
    for link in links:
        parts = urllib.parse.urlsplit(link)
        if parts.scheme or parts.netloc:  # external: an offline page should have none to check
            continue
        if parts.path:
            target = (page.parent / urllib.parse.unquote(parts.path)).resolve()
            if not target.exists():
                broken.append(link)
                continue
            if parts.fragment and target != page.resolve():
                continue  # fragments of other files are not followed
        if parts.fragment and not parts.path and parts.fragment not in ids:
            broken.append(link)
    return broken


def check_page(page: Path, screenshot: Path | None = None) -> PageCheck:
    """Load `page` (a local HTML file) in headless Chromium and check what it shows."""
    page = page.resolve()
    with tempfile.TemporaryDirectory(prefix="regpen-chromium-") as profile:
        process = subprocess.Popen(
            [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            tools = DevTools(_page_target(_devtools_url(process)))
            try:
                for domain in ("Page", "Runtime", "Log"):
                    tools.call(f"{domain}.enable")
                tools.call("Page.navigate", url=page.as_uri())
                tools.wait_for("Page.loadEventFired")
                found = tools.call("Runtime.evaluate", expression=INSPECT, returnByValue=True)["result"][
                    "value"
                ]
                if screenshot is not None:
                    shot = tools.call(
                        "Page.captureScreenshot", format="png", captureBeyondViewport=True,
                        clip={"x": 0, "y": 0, "width": 1280, "height": found["height"], "scale": 1},
                    )  # fmt: skip
                    screenshot.parent.mkdir(parents=True, exist_ok=True)
                    screenshot.write_bytes(base64.b64decode(shot["data"]))
                events = list(tools.events)
            finally:
                tools.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    return PageCheck(
        title=found["title"],
        images=found["images"],
        broken_images=[i for i in found["images"] if not i["complete"] or i["width"] <= 0],
        broken_links=_broken_links(page, found["links"], set(found["ids"])),
        links_checked=len(found["links"]),
        console_errors=_console_errors(events),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("page", type=Path, help="the HTML file to open")
    parser.add_argument("--screenshot", type=Path, help="save a full-page PNG screenshot here")
    options = parser.parse_args(argv)
    result = check_page(options.page, options.screenshot)
    print(f"{result.title}: {len(result.images)} images, {result.links_checked} links")
    for problem in result.problems():
        print(f"  {problem}")
    return 1 if result.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
