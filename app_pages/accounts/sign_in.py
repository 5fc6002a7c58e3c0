"""Sign in with a local account (and, where configured, through the organisation's identity provider).

The form is plain HTML posted to the sign-in route (ui.web), which sets the session cookie and
returns the person to the page they asked for. This page also stands in, hidden, for every page a
visitor may not open yet: a bookmark of such a page shows this form and leads there after sign-in."""

from urllib.parse import urlencode, urlsplit

import streamlit as st

import ui
from incubator.core.errors import UNEXPECTED, AccountLocked, SignInDelayed, SignInFailed
from incubator.core.i18n import is_rtl
from ui import web

ui.page_header(ui.t("Sign in"))

asked = st.query_params.to_dict()
outcome = asked.pop(web.OUTCOME, None)


def _number(name: str) -> int:
    value = str(asked.pop(name, "1"))
    return min(int(value), 10_000) if value.isdigit() else 1


if outcome == web.FAILED:
    ui.show_error(SignInFailed())
elif outcome == web.WAIT:
    ui.show_error(SignInDelayed(_number("seconds")))
elif outcome == web.LOCKED:
    ui.show_error(AccountLocked(minutes=_number("minutes")))
elif outcome == web.UNEXPECTED:
    reference = str(asked.pop("reference", ""))[:12]
    st.error(ui.t(UNEXPECTED, reference=reference if reference.startswith("E-") else "E-?"))

# Where to go afterwards: a `next` from a failed attempt, else this address itself when this page
# stands in for another one (a deep link), with its query.
next_path = str(asked.pop("next", ""))
if not next_path:
    here = urlsplit(st.context.url or "").path
    next_path = here + (f"?{urlencode(asked)}" if asked else "")
labels = {"username": ui.t("User name"), "password": ui.t("Password"), "submit": ui.t("Sign in")}
st.html(web.sign_in_form(labels=labels, next_path=web.safe_next(next_path), lang=ui.lang(),
                         direction="rtl" if is_rtl(ui.lang()) else "ltr"))

if ui.oidc_configured():
    st.divider()
    if st.button(ui.t("Sign in with your organisation's account"), key="sign_in.oidc"):
        st.login()
