"""What protects every request: security headers, the login rate limit, trusted proxies and safe redirects.

CSRF protection is Flask-WTF's CSRFProtect (extensions.py), on for every POST.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, render_template, request, url_for
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
HSTS = "max-age=31536000"  # one year; no includeSubDomains: other sites of the Pemda may still be plain HTTP
TOO_MANY_REQUESTS = "Terlalu banyak permintaan. Coba lagi dalam beberapa menit."
LARGEST_ID = 2**31 - 1  # PostgreSQL's integer; SQLite overflows past 2**63 - 1


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` in URLs up to LARGEST_ID: a huge number matches no route (404) instead of failing in the database."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = LARGEST_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def register_security(app: Flask) -> None:
    """Called before the blueprints are registered: their routes take the bounded int converter."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.config["RATELIMIT_STORAGE_URI"] = rate_limit_storage_uri(app.config)
    limiter.init_app(app)
    app.before_request(refuse_nul_characters)
    app.after_request(add_security_headers)
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    if app.config["TRUSTED_PROXIES"]:
        # The client address (for the rate limit) and the scheme; never X-Forwarded-Host, which a proxy may pass on.
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def rate_limit_storage_uri(config) -> str:
    """An explicit RATELIMIT_STORAGE_URI, else the Redis of REDIS_URL, else memory (one count per process)."""
    return config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://"


def allow_same_origin_framing(response: Response) -> Response:
    """For a file our own pages show in an <iframe> (the evidence preview); every other page stays unframeable."""
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'")
    return response


def add_security_headers(response: Response) -> Response:
    """Every response, pages, files and errors alike; a view may set its own value first."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


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
