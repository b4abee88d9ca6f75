"""Helpers for tests/browser/test_hostile_content.py: the corpora cut into form-sized batches,
a Chromium context whose every page records script that runs, and a plain-HTTP poster.

The watch: ``alert``, ``confirm``, ``prompt`` and ``print`` are replaced before any page script
runs (``add_init_script``) by functions that record each call into ``window.__hostileCalls``,
and a ``securitypolicyviolation`` listener records what the Content-Security-Policy blocked
into ``window.__cspViolations``. Both also tell Python at once through an exposed function, so
a call made just before a navigation is not lost with its page. Real dialogs are recorded as
well (a payload could reach the browser's own ``alert`` through a fresh frame).
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.stress import harness

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
XSS_PAYLOADS = CORPORA / "xss-payloads.txt"
BLNS = CORPORA / "blns.json"

WATCH_SCRIPT = """
(() => {
  const calls = [];
  const violations = [];
  Object.defineProperty(window, "__hostileCalls", {value: calls});
  Object.defineProperty(window, "__cspViolations", {value: violations});
  const tell = (kind, detail) => {
    try { if (typeof window.__hostileSeen === "function") window.__hostileSeen(kind, detail); }
    catch (error) {}
  };
  const answers = {alert: undefined, confirm: false, prompt: null, print: undefined};
  for (const name of Object.keys(answers)) {
    const hook = function (...args) {
      const call = {name, args: args.slice(0, 2).map(String), url: location.href};
      calls.push(call);
      tell("call", call);
      return answers[name];
    };
    Object.defineProperty(window, name, {value: hook, writable: false, configurable: false});
  }
  document.addEventListener("securitypolicyviolation", (event) => {
    const seen = {
      directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI,
      sample: event.sample,
      url: location.href,
    };
    violations.push(seen);
    tell("violation", seen);
  }, true);
})();
"""


def corpus_vectors() -> list[str]:
    """Every non-blank line of the XSS list and every non-blank string of the BLNS."""
    lines = XSS_PAYLOADS.read_text(encoding="utf-8").split("\n")
    strings = json.loads(BLNS.read_text(encoding="utf-8"))
    return [vector for vector in [*lines, *strings] if vector.strip()]


def one_line(text: str) -> str:
    """What a one-line field keeps of ``text`` (whitespace runs become one space)."""
    return " ".join(text.split())


def pack(vectors: list[str], limit: int, separator: str = " ", single_line: bool = True):
    """Vectors joined into batches of at most ``limit`` characters, in order; a vector longer
    than ``limit`` cannot be sent in that field and is left out (returned second)."""
    batches, left_out, current = [], [], ""
    for vector in vectors:
        vector = one_line(vector) if single_line else vector
        if len(vector) > limit:
            left_out.append(vector)
        elif not current:
            current = vector
        elif len(current) + len(separator) + len(vector) <= limit:
            current += separator + vector
        else:
            batches.append(current)
            current = vector
    if current:
        batches.append(current)
    return batches, left_out


@dataclass
class Watch:
    """What every page of one or more contexts reported: hook calls, CSP violations, dialogs."""

    calls: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)
    visited: int = 0

    def attach(self, context) -> None:
        context.add_init_script(WATCH_SCRIPT)
        context.expose_function("__hostileSeen", self._seen)
        context.on("page", self._watch_page)

    def _seen(self, kind, detail):
        (self.calls if kind == "call" else self.violations).append(detail)

    def _watch_page(self, page) -> None:
        def record_dialog(dialog):
            self.dialogs.append({"type": dialog.type, "message": dialog.message, "url": page.url})
            dialog.dismiss()

        page.on("dialog", record_dialog)

    @property
    def script_violations(self) -> list:
        return [v for v in self.violations if is_script_directive(v["directive"])]

    def check_page(self, page) -> None:
        """Also read the page's own arrays (what the hooks saw, should a call not arrive)."""
        seen = page.evaluate(
            "[Array.from(window.__hostileCalls), Array.from(window.__cspViolations)]"
        )
        for call in seen[0]:
            if call not in self.calls:
                self.calls.append(call)
        for violation in seen[1]:
            if violation not in self.violations:
                self.violations.append(violation)
        self.visited += 1


def is_script_directive(directive: str) -> bool:
    return (directive or "").startswith(("script-src", "default-src"))


def new_watched_context(browser, watch: Watch, timeout_ms: int = 15_000):
    context = browser.new_context()
    context.set_default_timeout(timeout_ms)
    watch.attach(context)
    return context


INTERSTITIAL = "Before you post"


class Poster(harness.Browser):
    """A member sending the real forms over HTTP: the CSRF token is read from the form page
    once per session (Flask-WTF's token is per session), the crisis and privacy steps are
    answered with "Post it", as a person who means to post would."""

    def __init__(self, base_url: str):
        super().__init__(base_url)
        self.csrf = ""

    def read_token(self, path: str) -> None:
        self.csrf = self.token(path)

    def send(self, path: str, data: dict) -> harness.Answer:
        answer = self.request(path, {**data, "csrf_token": self.csrf})
        if answer.status == 200 and INTERSTITIAL in answer.text:
            answer = self.request(
                path,
                {
                    **data,
                    "csrf_token": self.csrf,
                    "crisis_choice": "post",
                    "privacy_choice": "post",
                },
            )
        return answer


THREAD_PATH = re.compile(r"/t/(\d+)")


def thread_id_from(answer) -> int:
    assert answer.status == 302, (answer.status, answer.text[:2000])
    return int(THREAD_PATH.search(answer.headers["Location"]).group(1))
