"""Gzip for text in production: a small WSGI middleware around the app ``forum serve`` runs.

Pages, the stylesheet, scripts, feeds and JSON shrink to a fifth or so. Images, downloads
and anything already encoded pass through untouched. (Behind nginx this is still the place
that compresses: nginx passes a gzipped answer on as it is; see docs/deploy.md.)

BREACH: a compressed page whose length an attacker can watch while their chosen words are
echoed beside a secret (a search box beside a CSRF token) leaks the secret a little at a time.
Pages for signed-in members (``Cache-Control: no-store``, the only ones with a secret worth
having) are therefore compressed only when the browser says the request came from the forum
itself or from the member (``Sec-Fetch-Site: same-origin`` or ``none``), never for a request
another site set off, which is what the attack needs.
"""

import gzip

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/javascript",
    "application/atom+xml",
    "application/xml",
    "image/svg+xml",
)
MIN_SIZE = 500
LEVEL = 6
OWN_REQUESTS = ("same-origin", "none")


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (``gzip;q=0`` refuses it)."""
    for item in (header or "").split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = params.strip().lower()
            return not (quality.startswith("q=") and float(quality[2:] or 0) == 0)
    return False


class GzipMiddleware:
    """Compress compressible answers of at least ``MIN_SIZE`` bytes for clients that accept
    gzip; everything else streams through unchanged."""

    def __init__(self, app, level: int = LEVEL, min_size: int = MIN_SIZE):
        self.app, self.level, self.min_size = app, level, min_size

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "HEAD":
            return self.app(environ, start_response)
        wants_gzip = accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING"))
        answer = {}

        def hold(status, headers, exc_info=None):
            answer.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: answer.setdefault("written", []).append(data)

        body = self.app(environ, hold)
        status, headers = answer["status"], list(answer["headers"])
        if not self._compressible(status, headers) or answer.get("written"):
            start_response(status, headers, answer["exc_info"])
            if answer.get("written"):
                return _prepend(b"".join(answer["written"]), body)
            return body
        headers = _with_vary(headers)
        if not wants_gzip or not self._safe_to_compress(environ, headers):
            start_response(status, headers, answer["exc_info"])
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        if len(data) < self.min_size:
            start_response(status, headers, answer["exc_info"])
            return [data]
        packed = gzip.compress(data, compresslevel=self.level, mtime=0)
        headers = [
            (name, _weak(value) if name.lower() == "etag" else value)
            for name, value in headers
            if name.lower() != "content-length"
        ]
        headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(packed)))]
        start_response(status, headers, answer["exc_info"])
        return [packed]

    @staticmethod
    def _compressible(status: str, headers: list) -> bool:
        code = int(status.split(" ", 1)[0])
        found = {name.lower(): value for name, value in headers}
        kind = found.get("content-type", "").split(";")[0].strip().lower()
        return (
            code not in (204, 206, 304)
            and code >= 200
            and "content-encoding" not in found
            and "no-transform" not in found.get("cache-control", "").lower()
            and kind.startswith(COMPRESSIBLE)
        )

    @staticmethod
    def _safe_to_compress(environ, headers: list) -> bool:
        private = any(
            name.lower() == "cache-control" and "no-store" in value.lower()
            for name, value in headers
        )
        return not private or environ.get("HTTP_SEC_FETCH_SITE", "").lower() in OWN_REQUESTS


def _with_vary(headers: list) -> list:
    """``headers`` with Accept-Encoding added to Vary (caches must keep both versions)."""
    for index, (name, value) in enumerate(headers):
        if name.lower() == "vary":
            if "accept-encoding" not in value.lower():
                headers[index] = (name, f"{value}, Accept-Encoding")
            return headers
    return [*headers, ("Vary", "Accept-Encoding")]


def _weak(etag: str) -> str:
    """A compressed body is not byte-for-byte the original: its ETag can only be weak."""
    return etag if etag.startswith("W/") else f"W/{etag}"


def _prepend(data: bytes, body):
    """Data an app wrote through ``write()`` goes out before its returned body."""
    try:
        yield data
        yield from body
    finally:
        if hasattr(body, "close"):
            body.close()
