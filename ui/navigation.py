"""Every page of the app with the roles that may open it; nothing is discovered automatically.
`SIGNED_OUT` (None) in a page's roles means a visitor who is not signed in."""

from __future__ import annotations

from dataclasses import dataclass

from incubator.i18n import N_

SIGNED_OUT = None
EVERYONE = (SIGNED_OUT, "newcomer", "mentor", "manager", "admin")
SIGNED_IN = ("newcomer", "mentor", "manager", "admin")


@dataclass(frozen=True)
class PageEntry:
    path: str
    title: str  # English msgid, translated when shown
    icon: str
    roles: tuple


PAGES: tuple[PageEntry, ...] = (
    PageEntry("app_pages/home.py", N_("Home"), ":material/home:", EVERYONE),
    PageEntry("app_pages/market.py", N_("Market explorer"), ":material/storefront:", EVERYONE),
    PageEntry("app_pages/sign_in.py", N_("Sign in"), ":material/login:", (SIGNED_OUT,)),
    PageEntry("app_pages/account.py", N_("My account"), ":material/person:", SIGNED_IN),
    PageEntry("app_pages/admin_accounts.py", N_("Accounts"), ":material/manage_accounts:", ("admin",)),
    PageEntry("app_pages/inventory.py", N_("Skills and ambitions"), ":material/checklist:", ("newcomer", "mentor", "manager")),
    PageEntry("app_pages/profile_summary.py", N_("Profile summary"), ":material/insights:", ("newcomer", "mentor", "manager")),
    PageEntry("app_pages/participants.py", N_("Participants"), ":material/groups:", ("mentor", "manager")),
    PageEntry("app_pages/suggestions.py", N_("Suggestions"), ":material/lightbulb:", ("newcomer", "mentor", "manager")),
    PageEntry("app_pages/explore.py", N_("Explore ventures"), ":material/explore:", EVERYONE),
    PageEntry("app_pages/model_card.py", N_("About the model"), ":material/model_training:", SIGNED_IN),
)


