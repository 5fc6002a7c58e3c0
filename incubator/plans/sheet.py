"""The take-home plan: a bilingual HTML sheet, Dutch beside the participant's language (any of the
interface languages) in two columns side by side, styled for printing on A4 (a page per part, right to
left in an Arabic, Farsi or Dari column), that a newcomer takes to the municipality's Bbz adviser; and
their own profile summary the same way.

Every row of a part is one table row with a cell per language (`lang` and `dir` on each cell), so the
two columns stay level. Everything that comes from a person or the data is escaped (html.escape);
text a person typed appears as typed in both columns (it is not translated)."""

from __future__ import annotations

import datetime as dt
from html import escape

import duckdb

from incubator.core.access import Actor
from incubator.core.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    N_,
    format_cents,
    format_date,
    format_number,
    is_rtl,
    language_from_locale,
    translate,
)
from incubator.market.labels import Label, labels_of
from incubator.market.taxonomy import PREMISES_LABELS, cefr_rank
from incubator.people import inventory as inv
from incubator.people import participants, snapshots
from incubator.people.profile import Profile, language_names
from incubator.plans import business_plan as bp
from incubator.plans import content as pc
from incubator.plans import funding as fr
from incubator.plans import prefill
from incubator.plans.forecast import LOAN_REPAYMENT_TEXT, Forecast, verdict_texts, words

SHEET_CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans", "DejaVu Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans Ethiopic",
       "Abyssinica SIL", Arial, sans-serif;
       font-size: 10pt; line-height: 1.35; color: #111; margin: 0; }
@media screen { body { max-width: 210mm; margin: 0 auto; padding: 8mm; background: #fff; } }
.part { break-after: page; page-break-after: always; }
.part:last-of-type { break-after: auto; page-break-after: auto; }
table.bilingual { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.bilingual td { width: 50%; vertical-align: top; padding: 3px 8px; overflow-wrap: anywhere; }
@media screen and (max-width: 600px) { body { padding: 2mm; font-size: 9pt; } h1 { font-size: 13pt; }
                                       h2 { font-size: 11pt; } table.bilingual td { padding: 2px 4px; } }
table.bilingual td + td { border-left: 1px solid #bbb; }
table.months th:first-child { width: 6%; }
td[dir="rtl"] { text-align: right; font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", sans-serif; }
h1 { font-size: 17pt; margin: 0 0 4px 0; } h2 { font-size: 13pt; margin: 10px 0 2px 0; color: #1f4e79; }
h3 { font-size: 10.5pt; margin: 8px 0 1px 0; }
.questions { color: #555; font-size: 8.5pt; margin: 0; }
.typed { white-space: pre-wrap; border: 1px solid #ccc; border-radius: 3px; padding: 3px 5px; min-height: 1.6em;
         unicode-bidi: plaintext; }
.empty { color: #999; font-style: italic; }
.suggestion { background: #fff4ce; }
.warning { color: #9c2b00; font-weight: bold; }
.amount { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.months { width: 100%; border-collapse: collapse; font-size: 7.5pt; direction: ltr; margin-top: 6px;
               table-layout: fixed; }
table.months th, table.months td { border: 1px solid #ccc; padding: 1px 3px; text-align: right; }
table.months th { background: #ddebf7; font-weight: bold; }
table.months tr.short td.cash { color: #b00020; font-weight: bold; }
table.months span[dir="rtl"] { display: block; }
svg { width: 100%; height: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
"""

COLUMN_HEADERS = (
    ("month", N_("Month")), ("revenue", N_("Revenue")), ("costs", N_("Costs")), ("profit", N_("Profit")),
    ("repayment", N_("Loan repayment")), ("available", N_("Left for you")), ("draw", N_("Your draw")),
    ("cash", N_("Cash")),
)
AS_TYPED = N_("As written by the participant (not translated)")
SUGGESTION_NOTE = N_("Suggestion from the venture catalogue: check it")


def interface_language(code: str) -> str | None:
    """The interface language of a profile's language code (ISO 639-1 or 639-3: `ti`, `fa`, `prs`), or
    None when the app has none for it. Dari (`prs`, `fa-AF`) is `fa_AF`; `fa` is Farsi."""
    lang = language_from_locale(code)
    return lang if lang != DEFAULT_LANGUAGE or code.lower() == DEFAULT_LANGUAGE else None


def second_language(profile: Profile | None, reader_lang: str) -> str:
    """The participant's language for the second column: the language of the app they know best
    (their highest CEFR level, Dutch aside), else the reader's own when it is not Dutch, else English."""
    known = [(lang, x) for x in (profile.languages if profile else ())
             if (lang := interface_language(x.code)) not in (None, "nl")]
    if known:
        return max(known, key=lambda known_one: cefr_rank(known_one[1].cefr))[0]
    return reader_lang if reader_lang in LANGUAGES and reader_lang != "nl" else "en"


def saved_profile(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str) -> Profile | None:
    """The participant's latest saved profile, or None before the first inventory is saved."""
    try:
        return snapshots.load_profile(cur, actor=actor, participant_id=participant_id)
    except snapshots.ProfileNotSaved:
        return None


def html_lang(lang: str) -> str:
    """The BCP 47 tag of an interface language for HTML's `lang` (Dari's folder `fa_AF` is `fa-AF`)."""
    return lang.replace("_", "-")


def _cell(lang: str, inner: str) -> str:
    direction = "rtl" if is_rtl(lang) else "ltr"
    return f'<td lang="{html_lang(lang)}" dir="{direction}">{inner}</td>'


class _Sheet:
    """Rows of two cells: the same item in Dutch and in the second language."""

    def __init__(self, second: str) -> None:
        self.langs = ("nl", second)
        self.parts: list[str] = []
        self.rows: list[str] = []

    def row(self, render) -> None:
        """`render(lang)` gives a cell's HTML (already escaped) in one language."""
        self.rows.append("<tr>" + "".join(_cell(lang, render(lang)) for lang in self.langs) + "</tr>")

    def text(self, tag: str, key: str, cls: str = "", **params: object) -> None:
        attr = f' class="{cls}"' if cls else ""
        self.row(lambda lang: f"<{tag}{attr}>{escape(translate(key, lang, **params))}</{tag}>")

    def typed(self, value: str) -> None:
        inner = (f'<div class="typed" dir="auto">{escape(value)}</div>' if value.strip()
                 else '<div class="typed empty">-</div>')
        self.rows.append("<tr>" + "".join(_cell(lang, inner) for lang in self.langs) + "</tr>")

    def wide(self, html: str) -> None:
        self.rows.append(f'<tr><td colspan="2" dir="ltr">{html}</td></tr>')

    def close_part(self, part_id: str) -> None:
        self.parts.append(f'<section class="part" id="{part_id}"><table class="bilingual"><tbody>'
                          + "".join(self.rows) + "</tbody></table></section>")
        self.rows = []

    def document(self, title_key: str) -> str:
        title = " · ".join(escape(translate(title_key, lang)) for lang in self.langs)
        return (f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>{title}</title>'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<style>{SHEET_CSS}</style></head><body>" + "".join(self.parts) + "</body></html>")


def _money(cents: int, lang: str) -> str:
    return f'<span class="amount">{escape(format_cents(cents, lang))}</span>'


def _items(sheet: _Sheet, items: tuple[pc.CostItem, ...], kinds: dict[str, str], names: dict[str, Label]) -> None:
    for item in items:
        def render(lang: str, item: pc.CostItem = item) -> str:
            licence = names.get(item.licence_id) if item.licence_id else None
            name = item.label or (licence.get(lang) if licence else None) or translate(kinds[item.kind], lang)
            mark = f' <small class="suggestion">{escape(translate(SUGGESTION_NOTE, lang))}</small>' \
                if item.is_suggestion else ""
            return f"{escape(name)}: {_money(item.amount_cents, lang)}{mark}"
        sheet.row(render)


def _chart(forecast: Forecast, second: str) -> str:
    """Revenue and costs as bars, the cash position as a line, zero and the break-even month marked."""
    width, height, left, top, bottom = 720, 230, 60, 16, 30
    values = [v for m in forecast.months for v in (m.revenue, m.costs, m.cash)] + [0]
    high, low = max(values), min(values)
    span = (high - low) or 1
    y = lambda cents: top + (high - cents) * (height - top - bottom) / span  # noqa: E731
    step = (width - left - 10) / len(forecast.months)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img">',
             f'<line x1="{left}" x2="{width - 10}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#333" stroke-width="1"/>']
    for i, m in enumerate(forecast.months):
        x = left + i * step
        for offset, value, colour in ((0.1, m.revenue, "#4e79a7"), (0.5, m.costs, "#f28e2b")):
            top_y, base = min(y(value), y(0)), max(y(value), y(0))
            parts.append(f'<rect x="{x + offset * step:.1f}" y="{top_y:.1f}" width="{0.38 * step:.1f}" '
                         f'height="{base - top_y:.1f}" fill="{colour}"/>')
        parts.append(f'<text x="{x + step / 2:.1f}" y="{height - 14}" font-size="9" text-anchor="middle">{m.month}</text>')
    points = " ".join(f"{left + (i + 0.5) * step:.1f},{y(m.cash):.1f}" for i, m in enumerate(forecast.months))
    parts.append(f'<polyline points="{points}" fill="none" stroke="#59a14f" stroke-width="2.5"/>')
    if forecast.break_even_month:
        x = left + (forecast.break_even_month - 0.5) * step
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - bottom}" stroke="#b00020" '
                     f'stroke-dasharray="4 3"/>')
    # In a right-to-left text, "start" is its right end.
    for lang, anchor, x in (("nl", "start", left), (second, "start" if is_rtl(second) else "end", width - 10)):
        legend = " · ".join(translate(k, lang) for k in (N_("Revenue"), N_("Costs"), N_("Cash"), N_("Break-even")))
        parts.append(f'<text x="{x}" y="{height - 2}" font-size="9" text-anchor="{anchor}" '
                     f'direction="{"rtl" if is_rtl(lang) else "ltr"}">{escape(legend)}</text>')
    parts.append(f'<text x="4" y="{y(high) + 8:.1f}" font-size="9">{escape(format_cents(high, "nl"))}</text>')
    parts.append(f'<text x="4" y="{y(low):.1f}" font-size="9">{escape(format_cents(low, "nl"))}</text>')
    return "".join(parts) + "</svg>"


def _month_table(forecast: Forecast, second: str) -> str:
    header = "".join(f"<th>{escape(translate(t, 'nl'))}<span lang=\"{html_lang(second)}\" dir=\"{'rtl' if is_rtl(second) else 'ltr'}\">"
                     f"{escape(translate(t, second))}</span></th>" for _, t in COLUMN_HEADERS)
    rows = []
    for m in forecast.months:
        cells = [str(m.month)] + [escape(format_cents(getattr(m, key), "nl")) for key, _ in COLUMN_HEADERS[1:]]
        cls = ' class="short"' if m.cash < 0 else ""
        rows.append(f"<tr{cls}>" + "".join(f'<td class="{k}">{c}</td>' for (k, _), c in zip(COLUMN_HEADERS, cells,
                                                                                              strict=True)) + "</tr>")
    return f'<table class="months"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def plan_sheet_html(cur: duckdb.DuckDBPyConnection, *, actor: Actor, plan_id: int, second_lang: str,
                    today: dt.date | None = None) -> str:
    """The whole take-home plan as one HTML document (Dutch and `second_lang` side by side)."""
    plan = bp.open_plan(cur, actor=actor, plan_id=plan_id, record_view=False)
    routes = fr.funding_routes(cur, actor=actor, plan_id=plan_id)
    forecast, content = routes.forecast, plan.content
    second = second_lang if second_lang in LANGUAGES and second_lang != "nl" else "en"
    sheet, today = _Sheet(second), today or dt.date.today()
    licence_names = labels_of(cur, "licence")

    sheet.row(lambda lang: f"<h1>{escape(translate(N_('Business plan'), lang))}</h1><h2>{escape(plan.name.get(lang))}</h2>")
    who = plan.participant_id + (f" · {plan.display_name}" if plan.display_name else "")
    sheet.row(lambda lang: escape(translate(N_("{participant}, version {version}, printed on {date}"), lang,
                                            participant=who, version=plan.version, date=format_date(today, lang))))
    if plan.status_message:
        sheet.text("p", plan.status_message[0], "warning", **plan.status_message[1])
    sheet.text("h2", N_("Summary"))
    sheet.row(lambda lang: escape(translate(N_("Start-up costs"), lang)) + ": " + _money(forecast.start_costs_cents, lang))
    sheet.row(lambda lang: escape(translate(N_("Needed beyond your own and family money"), lang)) + ": "
              + _money(forecast.external_funding_needed_cents, lang))
    sheet.row(lambda lang: escape(translate(N_("Break-even month"), lang)) + ": "
              + escape(str(forecast.break_even_month) if forecast.break_even_month else translate(N_("not in 24 months"), lang)))
    for key, params in verdict_texts(forecast.living_income):
        sheet.row(lambda lang, key=key, params=params: escape(words(key, params, lang)))
    for warning in forecast.warnings:
        sheet.row(lambda lang, w=warning: f'<span class="warning">{escape(words(w.key, w.params, lang))}</span>')
    sheet.close_part("summary")

    for part_id, title, blocks, values in (("canvas", "Lean canvas", pc.CANVAS_BLOCKS, content.canvas),
                                           ("sections", "The business plan", pc.PLAN_SECTIONS, content.sections)):
        sheet.text("h2", title)
        sheet.text("p", AS_TYPED, "questions")
        for key, block_title, questions in blocks:
            sheet.text("h3", block_title)
            sheet.row(lambda lang, qs=questions: '<p class="questions">'
                      + " ".join(escape(translate(q, lang)) for q in qs) + "</p>")
            sheet.typed(values.get(key, ""))
        sheet.close_part(part_id)

    sheet.text("h2", N_("Financial forecast"))
    business = content.business
    sheet.row(lambda lang: escape(translate(pc.FIELDS["premises"], lang)) + ": "
              + escape(translate(PREMISES_LABELS[business.premises], lang) if business.premises else "-"))
    sheet.text("h3", N_("Start-up costs"))
    _items(sheet, content.forecast.start_costs, pc.START_COST_KINDS, licence_names)
    sheet.text("h3", N_("Financing"))
    money = content.forecast
    for key, cents in (("own", money.own_cents), ("family", money.family_cents),
                       ("bbz_loan", money.bbz.principal_cents), ("qredits_loan", money.qredits.principal_cents)):
        sheet.row(lambda lang, key=key, cents=cents: escape(translate(pc.FIELDS[key], lang)) + ": " + _money(cents, lang))
    sheet.text("p", LOAN_REPAYMENT_TEXT, "questions")
    sheet.text("h3", N_("Monthly costs"))
    _items(sheet, content.forecast.fixed_costs, pc.FIXED_COST_KINDS, licence_names)
    sheet.row(lambda lang: escape(translate(N_("Price of one sale {price}, {volume} sales in an average month, cost of one "
                                               "sale {cost}"), lang, price=format_cents(money.price_cents, lang),
                                            volume=format_number(money.volume_per_month, lang),
                                            cost=format_cents(money.unit_cost_cents, lang))))
    sheet.wide(_chart(forecast, second))
    sheet.wide(_month_table(forecast, second))
    sheet.close_part("forecast")

    sheet.text("h2", N_("Ways to pay for the start"))
    for route in routes.routes:
        sheet.row(lambda lang, r=route: f"<h3>{escape(r.name.get(lang))}</h3>"
                  + escape(translate(fr.QUALIFIES[r.qualifies], lang)))
        for requirement in route.requirements:
            sheet.row(lambda lang, q=requirement: escape(words(fr.REQUIREMENTS[q.key], q.params, lang)) + ": "
                      + escape(translate(fr.STATUSES[q.status], lang)))
    sheet.text("h3", N_("What the application asks"))
    listed = {item.key.split(".", 1)[1]: item for route in routes.routes for item in route.checklist}
    for item in listed.values():
        sheet.row(lambda lang, i=item: "☐ " + escape(i.label.get(lang) if i.label else translate(i.message, lang)))
    sheet.close_part("funding")

    sheet.text("h2", N_("About these figures"))
    norm = forecast.living_income
    sheet.text("p", N_("The social-assistance norm is the {level} level, from {date} (Participatiewet, article 21); "
                       "it is indexed on 1 January and 1 July."), level=norm.norm_level, date=norm.norm_valid_from)
    for assumption in prefill.ASSUMPTIONS:
        sheet.text("p", assumption)
    return sheet.document("Business plan")


def profile_sheet_html(cur: duckdb.DuckDBPyConnection, *, actor: Actor, participant_id: str, second_lang: str,
                       today: dt.date | None = None) -> str:
    """The participant's own profile summary as a bilingual sheet, like the plan."""
    record = participants.get_participant(cur, participant_id)
    profile = snapshots.load_profile(cur, actor=actor, participant_id=participant_id)
    second = second_lang if second_lang in LANGUAGES and second_lang != "nl" else "en"
    sheet, today = _Sheet(second), today or dt.date.today()
    skill_names = labels_of(cur, "skill_group")
    sheet.row(lambda lang: f"<h1>{escape(translate(N_('Profile summary'), lang))}</h1>")
    who = record.participant_id + (f" · {record.display_name}" if record.display_name else "")
    sheet.row(lambda lang: escape(translate(N_("{participant}, printed on {date}"), lang, participant=who,
                                            date=format_date(today, lang))))
    sheet.text("h2", N_("Languages"))
    for language in profile.languages:
        sheet.row(lambda lang, x=language: escape(f"{language_names(lang).get(x.code, x.code)}: ")
                  + escape(translate(inv.CEFR_PLAIN.get(x.cefr, x.cefr), lang)))
    sheet.text("h2", N_("Skills"))
    for skill in profile.skills:
        sheet.row(lambda lang, s=skill: escape(skill_names.get(s.esco_group, Label.same(s.esco_group)).get(lang)) + ": "
                  + escape(translate(inv.SKILL_LEVELS[s.level], lang)))
    sheet.text("h2", N_("What you like to do"))
    top = sorted(profile.interests.items(), key=lambda kv: -kv[1])[:3]
    for letter, score in top:
        sheet.row(lambda lang, k=letter, v=score: escape(translate(inv.RIASEC_LABELS[k], lang)) + f" ({v}/100)")
    sheet.text("h2", N_("Time and money"))
    sheet.row(lambda lang: escape(translate(pc.FIELDS["hours_per_week"], lang)) + ": "
              + escape(format_number(profile.hours_per_week, lang)))
    sheet.row(lambda lang: escape(translate(pc.FIELDS["own"], lang)) + ": "
              + _money(pc.euros_to_cents(profile.capital_eur, "own"), lang))
    sheet.row(lambda lang: escape(translate(inv.LADDER[profile.ladder_rung], lang)))
    sheet.close_part("profile")
    return sheet.document("Profile summary")
