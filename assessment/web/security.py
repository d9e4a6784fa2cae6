"""What protects every request: security headers, caching, the rate limits, trusted proxies, form bodies and safe
redirects.

CSRF protection is Flask-WTF's CSRFProtect (extensions.py), on for every POST.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, render_template, request, session, url_for
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

# Routes choose their own limits and keys (see auth.views.login); nothing is limited by default.
limiter = Limiter(key_func=get_remote_address)

# No inline script anywhere: scripts come from our own static files only. Inline *style* stays allowed
# for the style="width: …%" of progress bars and chart cells.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# An uploaded file opens as a sandboxed document of its own (an opaque origin, no scripts, no forms), never as a
# page of this site. The browser's PDF viewer and image view still work; a sandbox *attribute* on the preview
# <iframe> would make Chromium refuse to show any PDF (checked: ERR_BLOCKED_BY_CLIENT), so it comes from here.
EVIDENCE_POLICY = "sandbox; default-src 'none'"
HSTS = "max-age=31536000"  # one year; no includeSubDomains: other sites of the Pemda may still be plain HTTP
TOO_MANY_REQUESTS = "Terlalu banyak permintaan. Coba lagi dalam beberapa menit."
LARGEST_ID = 2**31 - 1  # PostgreSQL's integer; SQLite overflows past 2**63 - 1
# Every form of the app posts one of these; anything else (JSON above all) is not a form: 400, before any view.
FORM_BODY_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
FILE_ENDPOINTS = frozenset({"static", "bootstrap.static", "favicon"})  # the same for everyone: cacheable


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` in URLs up to LARGEST_ID: a huge number matches no route (404) instead of failing in the database."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = LARGEST_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def register_security(app: Flask) -> None:
    """Called before the blueprints are registered: their routes take the bounded int converter."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.config["RATELIMIT_STORAGE_URI"] = rate_limit_storage_uri(app.config)
    app.before_request(refuse_non_form_bodies)  # first, so a refused body counts towards no limit
    limiter.init_app(app)
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
    app.after_request(forbid_storing_private_answers)
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    if app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, int(app.config["TRUSTED_PROXIES"]),
                                       app.config["TRUSTED_PROXY_ADDRESSES"])


class TrustedProxyFix:
    """Werkzeug's ProxyFix (the client address for the rate limit, and the scheme; never X-Forwarded-Host), but
    only for a request that comes from a trusted proxy's address or a unix socket. A client that reaches gunicorn
    directly keeps its own address, whatever X-Forwarded-For it sends."""

    def __init__(self, app, hops: int, addresses):
        self.direct = app
        self.proxied = ProxyFix(app, x_for=hops, x_proto=hops)
        self.networks = [ipaddress.ip_network(address, strict=False) for address in addresses]

    def __call__(self, environ, start_response):
        return (self.proxied if self.trusted(environ.get("REMOTE_ADDR", "")) else self.direct)(environ, start_response)

    def trusted(self, address: str) -> bool:
        if not address:  # gunicorn on a unix socket: only local processes allowed by its file mode reach it
            return True
        try:
            client = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(client in network for network in self.networks)


def rate_limit_storage_uri(config) -> str:
    """An explicit RATELIMIT_STORAGE_URI, else the Redis of REDIS_URL, else memory (one count per process)."""
    return config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://"


def sandboxed_file(response: Response, framed_by_our_pages: bool) -> Response:
    """An uploaded file: sandboxed, and framed only by our own pages when they preview it (every page else stays
    unframeable)."""
    ancestors = "'self'" if framed_by_our_pages else "'none'"
    response.headers["Content-Security-Policy"] = f"{EVIDENCE_POLICY}; frame-ancestors {ancestors}"
    if framed_by_our_pages:
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def add_security_headers(response: Response) -> Response:
    """Every response, pages, files and errors alike; a view may set its own value first."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def forbid_storing_private_answers(response: Response) -> Response:
    """What a logged-in browser receives (pages, PDFs, files) stays out of every cache, the browser's own included:
    a shared office computer's next user cannot bring it back. Only the static files stay cacheable."""
    if request.endpoint not in FILE_ENDPOINTS and "_user_id" in session and \
            "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "no-store"
    return response


def refuse_non_form_bodies() -> None:
    """A body that is not a form (JSON, XML, text) is refused before any view: Flask-WTF would hand JSON to the
    form as if it were one and fail on a list or a number."""
    if request.mimetype and request.mimetype not in FORM_BODY_TYPES:
        abort(400)


def refuse_nul_characters() -> None:
    """A NUL character has no place in an address, a query or a form, and PostgreSQL refuses one in a query: 400."""
    if "\x00" in request.path:
        abort(400)
    for values in (request.args, request.form):
        if any("\x00" in value for _, value in values.items(multi=True)):
            abort(400)


def safe_next(target: str | None) -> str:
    """Where to go after a step that names its own destination: only a path on this site, else the start page.

    Every redirect to a user-supplied address goes through here. Refused: a scheme or host, '//' or a
    backslash (browsers read '/\\x' as '//x'), and control characters (browsers drop a tab or newline,
    so '/\\t/x' would become '//x').
    """
    if target and target.startswith("/") and target.isprintable():
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and not target.startswith("//") and "\\" not in target:
            return target
    return url_for("selfassessment.home")


def _too_many_requests(error: RateLimitExceeded):
    message = error.description if error.limit.error_message else TOO_MANY_REQUESTS
    page = render_template("errors/error.html", code=429, title="Terlalu banyak percobaan", message=message)
    current_app.logger.warning("Rate limit reached: %s %s from %s", request.method, request.path, request.remote_addr)
    return page, 429
