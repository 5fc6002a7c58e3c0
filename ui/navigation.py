"""Every page of the app with the section it is listed under and the roles that may open it; nothing
is discovered automatically. `SIGNED_OUT` (None) in a page's roles means a visitor who is not signed in.
The folders of app_pages/ mirror the packages of incubator/."""

from __future__ import annotations

from dataclasses import dataclass

from incubator.core.i18n import N_

SIGNED_OUT = None
EVERYONE = (SIGNED_OUT, "newcomer", "mentor", "manager", "admin", "stakeholder")
SIGNED_IN = ("newcomer", "mentor", "manager", "admin", "stakeholder")
COACHES = ("mentor", "manager")

# The sections of the sidebar, in order (English msgids, translated when shown).
START, PARTICIPANTS, PROGRAMME, ADMINISTRATION = N_("Start"), N_("Participants"), N_("Programme"), N_("Administration")
SECTIONS = (START, PARTICIPANTS, PROGRAMME, ADMINISTRATION)


@dataclass(frozen=True)
class PageEntry:
    path: str
    title: str  # English msgid, translated when shown
    icon: str
    roles: tuple
    section: str = START


PAGES: tuple[PageEntry, ...] = (
    PageEntry("app_pages/home.py", N_("Home"), ":material/home:", EVERYONE),
    PageEntry("app_pages/market/explorer.py", N_("Market explorer"), ":material/storefront:", EVERYONE),
    PageEntry("app_pages/suggestions/explore.py", N_("Explore ventures"), ":material/explore:", EVERYONE),
    PageEntry("app_pages/accounts/sign_in.py", N_("Sign in"), ":material/login:", (SIGNED_OUT,)),
    PageEntry("app_pages/accounts/my_account.py", N_("My account"), ":material/person:", SIGNED_IN),
    PageEntry("app_pages/privacy/my_privacy.py", N_("My privacy"), ":material/shield_person:", ("newcomer",)),
    PageEntry("app_pages/people/participants.py", N_("Participants"), ":material/groups:", ("mentor", "manager"),
              PARTICIPANTS),
    PageEntry("app_pages/people/inventory.py", N_("Skills and ambitions"), ":material/checklist:",
              ("newcomer", "mentor", "manager"), PARTICIPANTS),
    PageEntry("app_pages/people/profile_summary.py", N_("Profile summary"), ":material/insights:",
              ("newcomer", "mentor", "manager"), PARTICIPANTS),
    PageEntry("app_pages/suggestions/participant_suggestions.py", N_("Suggestions"), ":material/lightbulb:",
              ("newcomer", "mentor", "manager"), PARTICIPANTS),
    PageEntry("app_pages/plans/business_plan.py", N_("Business plan"), ":material/edit_note:",
              ("newcomer", "mentor", "manager"), PARTICIPANTS),
    PageEntry("app_pages/plans/forecast.py", N_("Financial forecast"), ":material/finance:",
              ("newcomer", "mentor", "manager"), PARTICIPANTS),
    PageEntry("app_pages/plans/funding.py", N_("Funding routes"), ":material/savings:",
              ("newcomer", "mentor", "manager"), PARTICIPANTS),
    PageEntry("app_pages/plans/take_home.py", N_("Take-home plan"), ":material/print:",
              ("newcomer", "mentor", "manager"), PARTICIPANTS),
    PageEntry("app_pages/programme/workshop.py", N_("Workshop view"), ":material/co_present:", COACHES, PROGRAMME),
    PageEntry("app_pages/programme/cohorts.py", N_("Cohorts"), ":material/diversity_3:", COACHES, PROGRAMME),
    PageEntry("app_pages/programme/matching.py", N_("Mentor matching"), ":material/handshake:", COACHES, PROGRAMME),
    PageEntry("app_pages/programme/milestones.py", N_("Milestones"), ":material/flag:",
              ("newcomer", "mentor", "manager", "stakeholder"), PROGRAMME),
    PageEntry("app_pages/programme/sessions.py", N_("Session log"), ":material/event_note:",
              ("newcomer", "mentor", "manager"), PROGRAMME),
    PageEntry("app_pages/programme/notes.py", N_("Notes"), ":material/forum:",
              ("newcomer", "mentor", "manager", "stakeholder"), PROGRAMME),
    PageEntry("app_pages/pipeline/dashboard.py", N_("Pipeline dashboard"), ":material/monitoring:", COACHES, PROGRAMME),
    PageEntry("app_pages/programme/outcomes.py", N_("Outcomes"), ":material/verified:", COACHES, PROGRAMME),
    PageEntry("app_pages/programme/progress.py", N_("Progress on the ladder"), ":material/stairs:", COACHES,
              PROGRAMME),
    PageEntry("app_pages/privacy/privacy_requests.py", N_("Privacy requests"), ":material/policy:", ("manager",),
              PARTICIPANTS),
    PageEntry("app_pages/pipeline/workbook.py", N_("Pipeline workbook"), ":material/table_view:", COACHES, PROGRAMME),
    PageEntry("app_pages/suggestions/model_card.py", N_("About the model"), ":material/model_training:", SIGNED_IN,
              PROGRAMME),
    PageEntry("app_pages/accounts/manage_accounts.py", N_("Accounts"), ":material/manage_accounts:", ("admin",),
              ADMINISTRATION),
    PageEntry("app_pages/core/audit_log.py", N_("Audit log"), ":material/policy:", ("manager", "admin"),
              ADMINISTRATION),
)


def pages_for(role: str | None) -> dict[str, list[PageEntry]]:
    """The pages a role may open, by section, in the order of SECTIONS (empty sections left out)."""
    visible = [entry for entry in PAGES if role in entry.roles]
    return {section: [e for e in visible if e.section == section] for section in SECTIONS
            if any(e.section == section for e in visible)}
