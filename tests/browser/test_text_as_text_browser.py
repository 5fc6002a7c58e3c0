"""What people typed is shown as text in a real browser: an HTML tag, a Markdown image that points at
a pixel server on this machine and a javascript: link, stored as a mentor's account name, as
participants' names and in a note, appear literally; no dialog opens, and the pixel server gets no
request. The Content-Security-Policy is on the page, and an outside image added by a script is
refused by the browser without a request either."""

from __future__ import annotations

import http.server
import threading

from playwright.sync_api import expect

from incubator.accounts import users
from incubator.core import db
from incubator.core.access import COMMAND_LINE_ADMIN
from incubator.people import participants
from incubator.programme import notes

from .conftest import _free_port, sign_in, wait_for_app

PASSWORD = "a long enough password"


class _Pixels(http.server.BaseHTTPRequestHandler):
    """Answers every GET with a one-pixel GIF and remembers the path: a request means a leak."""

    requests: list[str]

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.server.requests.append(self.path)
        body = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


def _pixel_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", _free_port()), _Pixels)
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_typed_markup_shows_literally_loads_nothing_and_runs_nothing(app_server, page):
    pixels = _pixel_server()
    port = pixels.server_address[1]
    try:
        image = f"![](http://127.0.0.1:{port}/px.png)"
        payloads = ["<img src=x onerror=alert(1)>", image, "[click](javascript:alert(1))"]
        con = db.connect(app_server["db_path"])
        cur = con.cursor()
        users.create_user(cur, actor=COMMAND_LINE_ADMIN, username="first-admin", password=PASSWORD, role="admin")
        mentor = users.get_actor(cur, users.create_user(cur, actor=COMMAND_LINE_ADMIN, username=image,
                                                        password=PASSWORD, role="mentor"))
        made = [participants.create_participant(cur, actor=mentor, display_name=name) for name in payloads]
        notes.add_note(cur, actor=mentor, participant_id=made[0].participant_id, body="\n".join(payloads))
        con.close()

        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        response = page.goto(app_server["url"])
        assert "img-src 'self' data: blob:" in response.headers["content-security-policy"]
        wait_for_app(page)
        sign_in(page, image, PASSWORD)  # the sidebar says "Signed in as" with the name, literally
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Notes", exact=True).click()
        wait_for_app(page)
        thread = page.get_by_test_id("stMain")
        for payload in payloads:
            expect(thread.get_by_text(payload, exact=False).first).to_be_visible()
        expect(thread.get_by_text(f"{image} (mentor)", exact=False)).to_be_visible()  # the author
        expect(thread.get_by_role("combobox", name="Participant")).to_have_value(
            f"{made[0].participant_id} · {payloads[0]}")
        assert page.locator("img[src*='px.png'], img[src='x'], a[href^='javascript']").count() == 0

        # A script that adds an outside image anyway is stopped by the policy, before any request.
        blocked = page.evaluate("""(url) => new Promise((resolve) => {
            document.addEventListener('securitypolicyviolation', (e) => resolve(e.blockedURI), {once: true});
            const probe = new Image(); probe.src = url; document.body.appendChild(probe);
        })""", f"http://127.0.0.1:{port}/probe.png")
        assert blocked.endswith("/probe.png")
        assert pixels.requests == []
        assert dialogs == []
    finally:
        pixels.shutdown()
        pixels.server_close()
