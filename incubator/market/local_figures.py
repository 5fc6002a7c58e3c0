"""Local market figures: regional CSV files that programme managers upload beside the national
figures, validated like the seed files and kept with who uploaded them and when."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import duckdb
import pandas as pd

from incubator.core import db, uploads
from incubator.core.access import Actor, require
from incubator.core.audit import audit
from incubator.core.i18n import N_
from incubator.market import seed
from incubator.market import taxonomy as tx
from incubator.market.catalogue import list_regions

LOCAL_INDICATORS = ("businesses_per_10k", "businesses", "registrations", "starts", "vacancies", "demand_index")
LOCAL_FILE_SPEC = seed.FileSpec("local market file", "local_market_signals", (
    seed.Col("region_code", pattern=tx.REGION_CODE, form=tx.FORMS["region"], ref=seed.REGIONS),
    seed.Col("sbi_code", ref=("sectors.csv", "sbi_code")),
    seed.Col("indicator", choices=LOCAL_INDICATORS),
    seed.Col("value", kind="float", low=0, high=100_000_000),
    seed.Col("unit"), seed.Col("period"), seed.Col("source"), seed.Col("note", required=False),
))
LOCAL_COLUMNS = tuple(c.name for c in LOCAL_FILE_SPEC.columns)


# A manager cannot look into our seed files: an unknown code says what a valid one looks like.
UNKNOWN_REGION = N_("{file}, line {line}, column {column}: {value} is not a region code. Use NL, a province (PV20), "
                    "a COROP area (CR01) or a municipality (GM0014); the Region list at the top of this page has them all.")
UNKNOWN_SECTOR = N_("{file}, line {line}, column {column}: {value} is not a sector code. Valid codes: {codes}.")


class UploadRejected(seed.MarketDataRejected):
    """An uploaded local market file failed validation; nothing was saved."""


def _rejected(exc: seed.SeedRejected, ctx: seed.Context) -> UploadRejected:
    params = dict(exc.params)
    if exc.message_key == seed.UNKNOWN_REFERENCE and params.get("column") == "region_code":
        return UploadRejected(UNKNOWN_REGION, **{k: v for k, v in params.items() if k != "target"})
    if exc.message_key == seed.UNKNOWN_REFERENCE and params.get("column") == "sbi_code":
        codes = ", ".join(sorted(ctx.known[("sectors.csv", "sbi_code")]))
        return UploadRejected(UNKNOWN_SECTOR, **{k: v for k, v in params.items() if k != "target"}, codes=codes)
    return UploadRejected(exc.message_key, **params)


def _check_cells(content: bytes) -> None:
    """Say which line holds a cell too long or too many columns (the seed reader only says that the
    file cannot be read); the seed checks do the rest."""
    if len(content) > seed.MAX_FILE_BYTES:
        return  # the seed reader refuses it before reading
    try:
        for _ in uploads.csv_rows(content.decode("utf-8-sig")):
            pass
    except UnicodeDecodeError:
        return
    except uploads.UploadRefused as exc:
        raise UploadRejected(exc.message_key, **exc.params) from None


@db.retry_on_conflict
def upload_local_market_file(cur: duckdb.DuckDBPyConnection, actor: Actor | None, *, file_name: str,
                             content: bytes, now: dt.datetime | None = None) -> int:
    """Validate a manager's regional market CSV like the seed files and store it with who uploaded
    it and when. Columns: region_code, sbi_code, indicator, value, unit, period, source[, note]."""
    require(actor, "market.upload")
    ctx = seed.Context()
    ctx.known[seed.REGIONS] = {"NL", *list_regions(cur)["code"]}
    ctx.known[("sectors.csv", "sbi_code")] = {r[0] for r in cur.execute("SELECT sbi_code FROM sectors").fetchall()}
    label = re.sub(r"[^\w.\- ]", "_", file_name)[:120] or "upload.csv"
    _check_cells(content)
    try:
        rows = seed.validate_file(ctx, LOCAL_FILE_SPEC, content, file_label=label)
    except seed.SeedRejected as exc:
        raise _rejected(exc, ctx) from None
    _, raw = seed.read_rows(label, content)
    with db.transaction(cur):
        upload_id = cur.execute("""
            INSERT INTO local_market_uploads (uploaded_by, uploaded_by_name, uploaded_at, file_name, sha256, row_count)
            VALUES (?, ?, ?, ?, ?, ?) RETURNING upload_id
        """, [actor.user_id, actor.username, now or dt.datetime.now(), label,
              hashlib.sha256(content).hexdigest(), len(rows)]).fetchone()[0]
        for row, (line, _) in zip(rows, raw, strict=True):
            row.update(upload_id=upload_id, line=line)
        seed.insert_rows(cur, "local_market_signals", rows, ["upload_id", "line", *LOCAL_COLUMNS])
        audit(cur, actor.user_id, "market.upload", f"local_market_upload:{upload_id}")
    return upload_id


def list_local_uploads(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Uploaded local files, newest first, with who uploaded them and when."""
    return cur.execute("""
        SELECT upload_id, file_name, uploaded_by_name, uploaded_at, row_count
        FROM local_market_uploads ORDER BY uploaded_at DESC, upload_id DESC
    """).df()


def local_signals(cur: duckdb.DuckDBPyConnection, region: str | None = None) -> pd.DataFrame:
    """Uploaded figures beside the national figure of the same sector and indicator, if any."""
    return cur.execute("""
        SELECT l.region_code, l.sbi_code, l.indicator, l.value, n.value AS national_value, l.unit, l.period,
               l.source, l.note, u.file_name, u.uploaded_by_name, u.uploaded_at
        FROM local_market_signals l JOIN local_market_uploads u USING (upload_id)
        LEFT JOIN regional_signals n
          ON n.region_code = 'NL' AND n.sbi_code = l.sbi_code AND n.indicator = l.indicator
        WHERE $region IS NULL OR l.region_code = $region
        ORDER BY u.uploaded_at DESC, l.line
    """, {"region": region}).df()
