"""What the pipeline workbook holds, shared by the export and the round trip: its sheets, their
columns in order, which columns a manager may edit, and the labels in the workbook's language.

The reader finds the workbook's language from its sheet names and checks every header against the
labels of that language, so a renamed sheet or a moved column is named in the message instead of
being read into the wrong field."""

from __future__ import annotations

from dataclasses import dataclass

from incubator.core.i18n import LANGUAGES, N_, translate


# kinds: text, int, euro, decimal, date, yesno (a yes/no or unknown), label (a code shown as a label)
@dataclass(frozen=True)
class Column:
    key: str
    label: str  # msgid of the header
    kind: str
    meaning: str  # msgid of the line in the Legend
    width: int = 14
    editable: bool = False


@dataclass(frozen=True)
class SheetLayout:
    key: str
    title: str  # msgid of the sheet name (at most 31 characters in every language)
    columns: tuple[Column, ...]

    def header(self, lang: str) -> list[str]:
        return [translate(c.label, lang) for c in self.columns]

    def name(self, lang: str) -> str:
        return translate(self.title, lang)[:31]


PARTICIPANT = Column("participant_id", N_("Participant"), "text", N_("The participant's pseudonymous id."), 12)
NAME = Column("display_name", N_("Name"), "text", N_("The participant's name (only in an export with names)."), 20)
STAGE = Column("stage", N_("Stage"), "label", N_("The furthest stage reached in the pipeline."), 18)
SYNTHETIC = Column("synthetic", N_("Synthetic"), "yesno", N_("Yes for made-up demo data, never a real person."), 10)

PIPELINE = SheetLayout("pipeline", N_("Pipeline"), (
    PARTICIPANT,
    Column("cohort", N_("Cohort"), "text", N_("The cohort the participant is in."), 18),
    Column("municipality", N_("Municipality"), "text", N_("Where the participant lives (the latest inventory), else the cohort's municipality."), 16),
    Column("mentors", N_("Mentors"), "text", N_("The user names of the participant's mentors."), 16),
    Column("family", N_("Venture family"), "label", N_("Self-employment, craft or ethnic entrepreneurship."), 18),
    Column("venture", N_("Venture"), "text", N_("The venture chosen now."), 24),
    STAGE,
    Column("stage_on", N_("Stage reached on"), "date", N_("The day the current stage was reached."), 14),
    Column("intake_on", N_("Intake"), "date", N_("The day the participant joined."), 12),
    Column("open_milestones", N_("Open milestones"), "int", N_("Milestones to do, in progress or blocked."), 12),
    Column("overdue_milestones", N_("Overdue milestones"), "int", N_("Open milestones past their due date on the day of the export."), 12),
    Column("next_due_on", N_("Next due date"), "date", N_("The earliest due date of an open milestone."), 14),
    Column("capital_eur", N_("Typical start-up capital"), "euro", N_("What the chosen venture typically needs to start, in euros (market data)."), 14),
    Column("launched_on", N_("Registered on"), "date", N_("The KVK registration date."), 14),
    Column("jobs_fte", N_("Jobs created (FTE)"), "decimal", N_("Full-time jobs the venture created."), 12),
    SYNTHETIC,
))

MILESTONES = SheetLayout("milestones", N_("Milestones"), (
    Column("milestone_id", N_("Milestone number"), "int", N_("The milestone's number in the app. Do not change it."), 10),
    PARTICIPANT,
    Column("title", N_("Milestone"), "text", N_("What is to be done."), 40),
    Column("due_on", N_("Due on"), "date", N_("The day it is due. You may change it."), 12, True),
    Column("owner", N_("Owner"), "label", N_("Who does it. Pick from the list."), 16, True),
    Column("status", N_("Status"), "label", N_("To do, in progress, done, blocked or skipped. Pick from the list."), 14, True),
    Column("reason", N_("Reason"), "text", N_("Why it is blocked or skipped (needed for those two)."), 30, True),
    Column("evidence", N_("Evidence note"), "text", N_("A note on what shows it is done. You may change it."), 30, True),
    Column("completed_on", N_("Completed on"), "date", N_("The day it was done (for done only, not in the future)."), 12, True),
    Column("days_late", N_("Days late"), "int", N_("Days past the due date on the day of the export, for open milestones."), 10),
    Column("version", N_("Version"), "int", N_("Which version of the milestone you saw. Do not change it: it shows whether someone changed the milestone in the app after the export."), 9),
    SYNTHETIC,
))

SESSIONS = SheetLayout("sessions", N_("Sessions"), (
    PARTICIPANT,
    Column("held_on", N_("Held on"), "date", N_("The day of the session."), 12),
    Column("mentor", N_("Mentor"), "text", N_("Who held the session."), 16),
    Column("duration_minutes", N_("Minutes"), "int", N_("How long the session took."), 10),
    Column("topics", N_("Topics"), "text", N_("What was talked about."), 40),
    Column("next_steps", N_("Next steps"), "int", N_("How many next steps were agreed."), 10),
))

OUTCOMES = SheetLayout("outcomes", N_("Outcomes"), (
    PARTICIPANT,
    Column("venture", N_("Venture"), "text", N_("The venture chosen now."), 24),
    Column("launched", N_("Launched"), "yesno", N_("Whether the venture was launched."), 10),
    Column("launched_on", N_("Registered on"), "date", N_("The KVK registration date."), 14),
    Column("running_6m", N_("Running at 6 months"), "yesno", N_("Empty when not known yet."), 12),
    Column("running_12m", N_("Running at 12 months"), "yesno", N_("Empty when not known yet."), 12),
    Column("running_24m", N_("Running at 24 months"), "yesno", N_("Empty when not known yet."), 12),
    Column("jobs_fte", N_("Jobs created (FTE)"), "decimal", N_("Full-time jobs the venture created."), 12),
    Column("revenue_band", N_("Revenue a month"), "label", N_("The band of the revenue a month."), 22),
    Column("left_assistance_on", N_("Left social assistance on"), "date", N_("The day the participant no longer needed social assistance."), 14),
    SYNTHETIC,
))

KPIS = SheetLayout("kpis", N_("KPIs"), ())
LEGEND = SheetLayout("legend", N_("Legend"), ())
DATA_SHEETS = (PIPELINE, MILESTONES, SESSIONS, OUTCOMES)
SHEETS = (*DATA_SHEETS, KPIS, LEGEND)
EDITABLE = tuple(c.key for c in MILESTONES.columns if c.editable)


def columns_of(layout: SheetLayout, *, with_names: bool) -> tuple[Column, ...]:
    """The sheet's columns; the name after the participant's id only in an export with names."""
    if layout is PIPELINE and with_names:
        return (layout.columns[0], NAME, *layout.columns[1:])
    return layout.columns


def sheet_language(sheet_names: list[str]) -> str | None:
    """The language whose name of the Milestones sheet the workbook has (None: none of them)."""
    for lang in LANGUAGES:
        if MILESTONES.name(lang) in sheet_names:
            return lang
    return None


# Excel's last row is 1,048,576: a larger sheet continues on "Milestones (2)" and so on.
EXCEL_ROWS = 1_048_576


def part_name(name: str, part: int) -> str:
    """The name of the n-th sheet of a sheet's rows (the first keeps the plain name)."""
    if part == 1:
        return name
    suffix = f" ({part})"
    return name[: 31 - len(suffix)] + suffix
