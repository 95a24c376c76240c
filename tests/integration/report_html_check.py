#!/usr/bin/env python3
"""Opens an HTML file in headless Chromium and prints what a person's browser would see.

    report_html_check.py PAGE.html SCREENSHOT.png

Drives Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: requests on fd 3,
replies and events on fd 4, each a JSON text ended by a NUL byte), with python3's standard
library only. Prints one JSON object on stdout:

    {"console_errors": [...],   # uncaught exceptions, console.error/assert, Log errors (CSP...)
     "requests": [...],         # every URL the page asked for besides the page itself
     "bars": {"copy": n, ...},  # svg#timeline rect.bar elements by data-kind
     "totals": {"total-tables": n, ...},  # data-value of each #total-* and #exit-code element
     "title": "..."}

and saves a full-page PNG screenshot. Exits 2 when Chromium cannot be driven (not a verdict on
the page: the caller fails the test either way).
"""
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 60  # seconds for the whole check


class Browser:
    def __init__(self, profile):
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if not exe:
            raise RuntimeError("chromium is not installed (scripts/deps.sh installs it)")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Chromium expects its pipe ends as fds 3 (read) and 4 (write). In the child, move both
        # out of the way first (either may already be 3 or 4), then into place, inheritable.
        def child_fds():
            r, w = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(r, 3)
            os.dup2(w, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)
        self.proc = subprocess.Popen(
            [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + profile, "about:blank"],
            close_fds=False, preexec_fn=child_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.deadline = time.monotonic() + TIMEOUT

    def _read_message(self):
        while b"\0" not in self.buf:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("chromium did not answer in time")
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed its pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method):
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        while True:
            e = self._read_message()
            if e.get("method") == method:
                return e
            self.events.append(e)

    def close(self):
        try:
            self.call("Browser.close")
        except RuntimeError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


PROBE = """JSON.stringify((function () {
  var bars = {};
  document.querySelectorAll('svg#timeline rect.bar').forEach(function (r) {
    var k = r.getAttribute('data-kind');
    bars[k] = (bars[k] || 0) + 1;
  });
  var totals = {};
  document.querySelectorAll('[id^="total-"], #exit-code').forEach(function (e) {
    totals[e.id] = Number(e.getAttribute('data-value'));
  });
  return {bars: bars, totals: totals, title: document.title,
          height: document.documentElement.scrollHeight};
})())"""


def observe(page, shot):
    page_url = "file://" + os.path.abspath(page)
    with tempfile.TemporaryDirectory() as profile:
        b = Browser(profile)
        try:
            target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Runtime", "Log", "Network", "Page"):
                b.call(domain + ".enable", session=s)
            b.call("Emulation.setDeviceMetricsOverride",
                   {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                   session=s)
            b.call("Page.navigate", {"url": page_url}, session=s)
            b.wait_for("Page.loadEventFired")
            probe = json.loads(b.call("Runtime.evaluate", {"expression": PROBE,
                                                           "returnByValue": True},
                                      session=s)["result"]["value"])
            b.call("Emulation.setDeviceMetricsOverride",
                   {"width": 1200, "height": min(int(probe["height"]), 16000),
                    "deviceScaleFactor": 1, "mobile": False}, session=s)
            png = b.call("Page.captureScreenshot", {"format": "png"}, session=s)["data"]
            with open(shot, "wb") as f:
                f.write(base64.b64decode(png))
            events = list(b.events)
        finally:
            b.close()
    errors, requests = [], []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.exceptionThrown":
            errors.append(p["exceptionDetails"].get("exception", {}).get("description")
                          or p["exceptionDetails"].get("text"))
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            errors.append(" ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
        elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
            errors.append(p["entry"].get("text"))
        elif m == "Network.requestWillBeSent" and p["request"]["url"] != page_url:
            requests.append(p["request"]["url"])
    return {"console_errors": errors, "requests": requests, "bars": probe["bars"],
            "totals": probe["totals"], "title": probe["title"]}


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        print(json.dumps(observe(sys.argv[1], sys.argv[2])))
    except (RuntimeError, OSError, KeyError, ValueError) as e:
        print(f"report_html_check: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
