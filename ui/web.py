"""What the app serves beside Streamlit's own routes (`st.App` in streamlit_app.py): the sign-in route
that sets the session cookie, /health, and at server start the setup token of a fresh installation.

The sign-in form is a plain HTML form (ui.sign_in_form) posted to SIGN_IN_PATH: a Streamlit script
cannot set an HttpOnly cookie, a route can. The cookie holds a random token of a server-side session
(incubator.accounts.sessions); it is HttpOnly (no script reads it), SameSite=Strict (no other site's
page sends it) and Secure when the app is served over HTTPS."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import logging
import os
import re
import threading
from contextlib import asynccontextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlencode, urlsplit

import duckdb
import streamlit
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from incubator.accounts import authentication, sessions, setup
from incubator.core import db, i18n
from incubator.core.errors import AccountLocked, DomainError, SignInDelayed, SignInFailed, report_unexpected
from ui import accessibility
from ui.navigation import PAGES

SIGN_IN_PATH = "/account/sign-in"
HEALTH_PATH = "/health"
SIGN_IN_PAGE = "sign_in"  # the url path of app_pages/accounts/sign_in.py
LANG_COOKIE = "versnelling_lang"
# Form fields. Not "lang" or "action": a field named like a property of <form> is removed by the
# HTML sanitiser that st.html uses (DOM clobbering).
USERNAME_FIELD, PASSWORD_FIELD, NEXT_FIELD, LANG_FIELD = "username", "password", "next", "ui_lang"
# Far more than a user name and a password; a larger body is refused before it is parsed.
_LONGEST_FORM = 4096
# The query parameter the sign-in page reads after a failed attempt, and its values.
OUTCOME = "sign_in"
FAILED, WAIT, LOCKED, UNEXPECTED = "failed", "wait", "locked", "unexpected"

_log = logging.getLogger("versnelling")
_PAGE_PATHS = frozenset(PurePosixPath(entry.path).stem for entry in PAGES)


def database_path() -> str:
    return os.environ.get("INCUBATOR_DB", db.DEFAULT_DB_PATH)


# The routes' own connection to the database file. In one process DuckDB shares one database between
# connections to the same file, so this and the scripts' connection (ui._connection) see the same data;
# every request takes its own cursor in a worker thread.
_connection_lock = threading.Lock()
_connections: dict[str, duckdb.DuckDBPyConnection] = {}


def _cursor() -> duckdb.DuckDBPyConnection:
    path = database_path()
    with _connection_lock:
        if path not in _connections:
            _connections[path] = db.connect(path)
        return _connections[path].cursor()


def client_address(host: str | None) -> str | None:
    """The client's address as the throttle counts it; None for this machine (as st.context.ip_address)."""
    return None if host in (None, "127.0.0.1", "::1") else host


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path of this app (a page and its query), never another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    first = parts.path.strip("/").split("/")[0]
    if first not in _PAGE_PATHS or first == SIGN_IN_PAGE:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _same_origin(request: Request) -> bool:
    """A browser names the page a form was sent from (Origin, or Sec-Fetch-Site); refuse other sites',
    so that nobody signs a visitor in to an account of theirs. A client that sends neither is no browser."""
    origin = request.headers.get("origin")
    if origin is not None:
        return urlsplit(origin).netloc == request.headers.get("host")
    return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")


def _back_to_sign_in(outcome: str, next_path: str, **values: object) -> RedirectResponse:
    query = {OUTCOME: outcome, **{k: str(v) for k, v in values.items()}}
    if next_path != "/":
        query["next"] = next_path
    return RedirectResponse(f"/{SIGN_IN_PAGE}?{urlencode(query, quote_via=quote)}", status_code=303)


def _check_and_start(username: str, password: str, address: str | None) -> str:
    cur = _cursor()
    try:
        now = dt.datetime.now()
        signed_in = authentication.sign_in(cur, username, password, address=address, now=now)
        return sessions.start_session(cur, signed_in.actor, now=now, failed_before=signed_in.failed_before)
    finally:
        cur.close()


async def sign_in_route(request: Request) -> Response:
    """POST SIGN_IN_PATH: check the user name and password (throttled per name and address), start a
    session, set its cookie and go to the page asked for; on failure back to the sign-in page, which
    says why."""
    if not _same_origin(request):
        return PlainTextResponse("Forbidden", status_code=403)
    if int(request.headers.get("content-length") or 0) > _LONGEST_FORM:
        return PlainTextResponse("Request too large", status_code=413)
    form = await request.form(max_files=0, max_fields=8)
    field = lambda name: str(form.get(name) or "")[:_LONGEST_FORM]  # noqa: E731 - a form field as text
    next_path = safe_next(field(NEXT_FIELD))
    try:
        token = await run_in_threadpool(
            _check_and_start, field(USERNAME_FIELD), field(PASSWORD_FIELD),
            client_address(request.client.host if request.client else None))
    except SignInDelayed as exc:
        response = _back_to_sign_in(WAIT, next_path, seconds=exc.seconds)
    except AccountLocked as exc:
        response = _back_to_sign_in(LOCKED, next_path, minutes=exc.params["minutes"])
    except SignInFailed:
        response = _back_to_sign_in(FAILED, next_path)
    except Exception as exc:  # noqa: BLE001 - a database error included: logged without its message
        response = _back_to_sign_in(UNEXPECTED, next_path, reference=report_unexpected(exc, _log))
    else:
        response = RedirectResponse(next_path, status_code=303)
        response.set_cookie(
            sessions.COOKIE_NAME, token, max_age=sessions.SESSION_ABSOLUTE_HOURS * 3600, path="/",
            httponly=True, samesite="strict", secure=request.url.scheme == "https")
    language = field(LANG_FIELD)
    if language in i18n.LANGUAGES:  # the language the person was reading stays after the page loads anew
        response.set_cookie(LANG_COOKIE, language, max_age=365 * 24 * 3600, path="/", httponly=True,
                            samesite="strict", secure=request.url.scheme == "https")
    return response


def _database_answers() -> bool:
    cur = _cursor()
    try:
        return cur.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] > 0
    finally:
        cur.close()


async def document_language_route(_request: Request) -> Response:
    """GET the script that sets the document's lang and dir (ui.accessibility), from this server so that
    the Content-Security-Policy lets it run."""
    return Response(accessibility.DOCUMENT_LANGUAGE_JS, media_type="text/javascript",
                    headers={"cache-control": "max-age=3600"})


async def health_route(_request: Request) -> Response:
    """GET /health for a deployment's checks: 200 when the database answers, 503 when it does not."""
    try:
        ok = await run_in_threadpool(_database_answers)
    except Exception as exc:  # noqa: BLE001 - a health check reports, it does not fail
        report_unexpected(exc, _log)
        ok = False
    return JSONResponse({"status": "ok" if ok else "database unavailable"}, status_code=200 if ok else 503)


def _inline_script_hashes() -> str:
    """The sha256 sources of the inline scripts in Streamlit's own index.html (one line today), so that
    the policy lets exactly those run and no other inline script."""
    index = Path(streamlit.__file__).parent / "static" / "index.html"
    scripts = re.findall(r"<script>(.*?)</script>", index.read_text(encoding="utf-8"), flags=re.S)
    return " ".join("'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
                    for s in scripts)


# What the browser may load: only this server's own files. A name or a note that slips through as
# Markdown or HTML still cannot make the browser fetch an outside image (which tells another server the
# reader's address and the time), run a script or post a form elsewhere. Streamlit's styles are inline.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    f"script-src 'self' {_inline_script_hashes()}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    "connect-src 'self'",
    # data: for the take-home plan's preview, a page we write ourselves with every typed text escaped;
    # a data: frame has no origin of its own and keeps this policy, so it loads nothing from outside either.
    "frame-src 'self' data:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
))
_SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # "no-referrer" would make a form's Origin "null"
)


class SecurityHeaders:
    """ASGI middleware (st.App's `middleware`): every HTTP answer, Streamlit's pages and files
    included, carries the Content-Security-Policy and two headers that keep addresses private."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [header for header in _SECURITY_HEADERS if header[0] not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


MIDDLEWARE = [Middleware(SecurityHeaders)]

ROUTES = [
    Route(SIGN_IN_PATH, sign_in_route, methods=["POST"]),
    Route(HEALTH_PATH, health_route, methods=["GET"]),
    Route(accessibility.DOCUMENT_LANGUAGE_PATH, document_language_route, methods=["GET"]),
]


def issue_setup_token() -> None:
    """At start, on a fresh installation: print the setup token for the first administrator and write
    it to the file beside the database (mode 0600)."""
    token_file = setup.token_file_for(database_path())
    # A connection of its own, closed again: until a page or a sign-in needs the database, the server
    # holds no lock on the file, so that `python -m incubator ...` can still use it.
    con = db.connect(database_path())
    try:
        token = setup.issue_setup_token(con.cursor(), token_file)
    finally:
        con.close()
    if token is not None:
        print(f"\n  No administrator yet. Setup token for the first administrator: {token}\n"
              f"  (also in {token_file}, readable only by this account)\n", flush=True)


@asynccontextmanager
async def lifespan(_app):
    try:
        await run_in_threadpool(issue_setup_token)
    except DomainError as exc:  # the database file is held by another process: the pages say so
        _log.warning("no setup token issued: %s", exc.english())
    yield


def sign_in_form(*, labels: dict[str, str], next_path: str, lang: str, direction: str) -> str:
    """The sign-in form as HTML for st.html: posted to SIGN_IN_PATH by the browser itself, so that the
    answer can set the cookie (and password managers recognise it). `labels` are translated texts."""
    esc = html.escape
    return f"""
<form class="sign-in-form" method="post" action="{SIGN_IN_PATH}" dir="{direction}" lang="{esc(lang.replace('_', '-'))}">
  <label for="sign-in-username">{esc(labels["username"])}</label>
  <input id="sign-in-username" name="{USERNAME_FIELD}" type="text" autocomplete="username" autocapitalize="none"
         spellcheck="false" required maxlength="200">
  <label for="sign-in-password">{esc(labels["password"])}</label>
  <input id="sign-in-password" name="{PASSWORD_FIELD}" type="password" autocomplete="current-password" required
         maxlength="{_LONGEST_FORM // 4}">
  <input type="hidden" name="{NEXT_FIELD}" value="{esc(next_path)}">
  <input type="hidden" name="{LANG_FIELD}" value="{esc(lang)}">
  <button type="submit">{esc(labels["submit"])}</button>
</form>
<style>
  .sign-in-form {{ display: flex; flex-direction: column; gap: 0.4rem; max-width: 28rem; }}
  .sign-in-form label {{ font-size: 0.875rem; margin-top: 0.5rem; }}
  .sign-in-form input {{ font: inherit; padding: 0.5rem 0.75rem; border-radius: 0.5rem;
    border: 1px solid rgba(49, 51, 63, 0.3); background: transparent; color: inherit; }}
  .sign-in-form button {{ font: inherit; margin-top: 1rem; padding: 0.45rem 1rem; border-radius: 0.5rem;
    border: 1px solid rgba(49, 51, 63, 0.3); background: transparent; color: inherit; cursor: pointer;
    align-self: flex-start; }}
  .sign-in-form button:hover {{ border-color: #ff4b4b; color: #ff4b4b; }}
</style>
"""
