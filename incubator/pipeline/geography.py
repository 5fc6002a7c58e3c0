"""Participants and launched ventures per municipality for the dashboard's map, and the municipal
boundaries it is drawn on (data/municipalities_2024.geojson: CBS/PDOK 2024, CC BY 4.0; see
data/SOURCES.md)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from incubator.core.i18n import N_

BOUNDARIES = Path(__file__).resolve().parents[2] / "data" / "municipalities_2024.geojson"
MAP_SOURCE = N_("Map: municipal boundaries 2024, CBS/PDOK (Wijk- en buurtkaart / gebiedsindelingen 2024), "
                "CC BY 4.0, simplified by cartomap/nl.")


@lru_cache(maxsize=1)
def boundaries() -> dict:
    """The GeoJSON FeatureCollection (read once: it does not change while the app runs)."""
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))


def per_municipality(cur: duckdb.DuckDBPyConnection, stages: str) -> pd.DataFrame:
    """One row per municipality with participants in view: gm_code, name, participants, launched
    (ventures registered), the most first. Participants without a known municipality are left out."""
    return cur.execute(f"""
        SELECT s.municipality AS gm_code, any_value(m.name) AS name, count(*) AS participants,
               count(s.registered_on) AS launched
        FROM {stages} s LEFT JOIN municipalities m ON m.gm_code = s.municipality
        WHERE s.municipality IS NOT NULL
        GROUP BY s.municipality ORDER BY participants DESC, gm_code""").df()


@lru_cache(maxsize=1)
def outlines() -> dict[str, tuple[list, list, tuple[float, float]]]:
    """Per GM code the outline as longitudes and latitudes (rings separated by None, as a plotly
    scatter draws them) and a point inside for its label (the mean of the outer ring's points). The
    map is drawn from these on plain axes: plotly's geo maps fetch base layers from the internet."""
    found = {}
    for feature in boundaries()["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        xs, ys = [], []
        for polygon in polygons:
            for ring in polygon:
                xs += [p[0] for p in ring] + [None]
                ys += [p[1] for p in ring] + [None]
        outer = max((polygon[0] for polygon in polygons), key=len)
        centre = (sum(p[0] for p in outer) / len(outer), sum(p[1] for p in outer) / len(outer))
        found[feature["properties"]["gm_code"]] = (xs, ys, centre)
    return found
