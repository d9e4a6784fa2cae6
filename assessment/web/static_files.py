"""Static files: fingerprinted, precompressed copies (Flask-Static-Digest) served by WhiteNoise.

The build step ``flask --app wsgi digest compile`` (make run, CI, the README's production steps) writes next to
each file under static/ a copy named after the md5 of its content (``css/app-<md5>.css``), gzip twins of both,
and ``static/cache_manifest.json``. Templates link every static file through ``static_url_for``, which takes
the fingerprinted name from that manifest, so a changed file is a new address: WhiteNoise can let browsers keep
those for good (``immutable``) and sends the gzip twin to every browser that accepts it.

Without the build step (a fresh checkout) the pages link the plain names, which browsers check again on every
page, as before; the first request logs how to fix that. In debug mode the plain names are used on purpose, so a
developer's edit to a stylesheet shows on the next reload.
"""
from __future__ import annotations

import re
from wsgiref.headers import Headers

from flask import Flask, url_for
from flask_static_digest import FlaskStaticDigest
from whitenoise import WhiteNoise

from .security import HSTS, SECURITY_HEADERS

FINGERPRINTED = re.compile(r"-[0-9a-f]{32}\.[^/]+$")  # the names Flask-Static-Digest gives its copies
NOT_BUILT = ("Static files are not digested: run `flask --app wsgi digest compile` (the README's build step). "
             "Until then pages link the plain file names, which browsers check again on every page.")


def register_static_files(app: Flask) -> None:
    """``static_url_for`` for the templates, and WhiteNoise in front of the app for everything under /static/."""
    if app.debug:
        app.add_template_global(url_for, "static_url_for")
    else:
        digest = FlaskStaticDigest(app)
        if not digest.manifests.get("static"):
            _log_once_when_serving(app, NOT_BUILT)
    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=app.static_folder,
        prefix=app.static_url_path,
        max_age=0,  # a plain name may change content: the browser asks again (a 304 when unchanged)
        immutable_file_test=lambda _path, url: bool(FINGERPRINTED.search(url)),
        add_headers_function=_security_headers(app),
        autorefresh=app.debug,
    )


def _security_headers(app: Flask):
    """WhiteNoise answers before Flask, so the headers security.py gives every response are added here too."""
    headers = dict(SECURITY_HEADERS)
    if app.config["SESSION_COOKIE_SECURE"]:
        headers["Strict-Transport-Security"] = HSTS

    def add(response_headers: Headers, _path: str, _url: str) -> None:
        for name, value in headers.items():
            response_headers[name] = value

    return add


def _log_once_when_serving(app: Flask, message: str) -> None:
    """Said at the first request rather than at start, so CLI commands (the build step itself) stay quiet."""
    said = False

    @app.before_request
    def say_it() -> None:
        nonlocal said
        if not said:
            said = True
            app.logger.warning(message)
