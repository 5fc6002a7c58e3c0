"""An estimate of public savings: the months that participants have been off social assistance since
leaving it, times the monthly social-assistance norm for a single adult (`social_assistance_norms`,
data/social_assistance_norms.csv, with its source). It is an estimate and says so: it assumes they
stayed off, counts no one who would have left anyway, and takes the single norm for everyone (the
household is not recorded; a couple's norm is higher, so the estimate is on the low side)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from incubator.core.i18n import N_

FORMULA = N_("Months off social assistance ({months}) × the monthly norm for a single adult ({norm}) = {estimate}")
CAVEAT = N_("An estimate. It assumes people stayed off social assistance after they left it. It does not leave out "
            "people who would have left anyway. It uses the norm for a single adult for everyone.")


@dataclass(frozen=True)
class Savings:
    people: int  # participants in view who left social assistance
    months: int  # whole months from leaving to today, summed
    norm_month_eur: Decimal | None  # None when the norms are not loaded
    norm_level: str | None
    legal_basis: str | None
    source: str | None
    retrieved: dt.date | None

    @property
    def estimate_eur(self) -> Decimal | None:
        return None if self.norm_month_eur is None else self.months * self.norm_month_eur


def savings(cur: duckdb.DuckDBPyConnection, stages: str, *, today: dt.date) -> Savings:
    people, months = cur.execute(f"""
        SELECT count(*), coalesce(sum(12 * (year($today) - year(o.left_assistance_on)) + month($today) - month(o.left_assistance_on)
                                 - CASE WHEN day($today) < day(o.left_assistance_on) THEN 1 ELSE 0 END), 0)
        FROM {stages} s JOIN programme_outcomes o ON o.choice_id = s.choice_id
        WHERE o.left_assistance_on IS NOT NULL AND o.left_assistance_on <= $today""", {"today": today}).fetchone()
    norm = cur.execute("SELECT amount_month_eur, level, legal_basis, source, retrieved FROM social_assistance_norms"
                       " WHERE household = 'single'").fetchone() or (None,) * 5
    return Savings(people, int(months), *norm)
