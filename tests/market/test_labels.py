"""The labels table (migration 016): a database made before it keeps its labels, moved out of the
per-language columns; readers get a kind's labels in their language with English as the fallback;
a Label carries every language."""

from __future__ import annotations

import pickle

import pytest

from incubator.core import db
from incubator.core.i18n import LANGUAGES
from incubator.market import catalogue, seed
from incubator.market import labels as lb
from incubator.market import taxonomy as tx

SEASONS = ", ".join(f"season_{m:02d}" for m in range(1, 13))


def _database_before_016(path):
    con = db.connect(path, migrate_now=False)
    cur = con.cursor()
    db.applied_migrations(cur)
    for number, name, sql_file in db.migrations():
        if number < 16:
            cur.execute(sql_file.read_text(encoding="utf-8"))
            cur.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
    # Rows as the seed of main wrote them, a label per language in its own column.
    cur.execute("INSERT INTO cefr_levels VALUES ('A2', 2, 'Elementary', 'Basis', 'أساسي', 'published', 'CEFR', NULL)")
    cur.execute("INSERT INTO isced_levels VALUES (3, 'Upper secondary', 'Hoger secundair', 'الثانوي الأعلى',"
                " 'published', 'UNESCO', NULL)")
    cur.execute("INSERT INTO skill_groups VALUES ('S6.5.6', 'http://data.europa.eu/esco/skill/x', 'sewing',"
                " 'naaien', 'الخياطة', 3, 'S6.5', 'esco', 'ESCO', NULL)")
    cur.execute("INSERT INTO sectors (sbi_code, level, section, name_nl, name_en, name_ar, provenance)"
                " VALUES ('C', 'section', 'C', 'Industrie', 'Manufacturing', 'الصناعة', 'cbs')")
    cur.execute("INSERT INTO licences (licence_id, name_nl, name_en, name_ar, kind, issuer, legally_required,"
                " provenance) VALUES ('kvk_registration', 'KVK-inschrijving', 'KVK registration', 'تسجيل KVK',"
                " 'registration', 'KVK', TRUE, 'kvk')")
    cur.execute(f"""INSERT INTO ventures (venture_id, name_nl, name_en, name_ar, family, sbi_section, sbi2008,
        esco_occupation_uri, isco, skills_required, cefr_typical, capital_low_eur, capital_typical_eur,
        capital_high_eur, premises, hours_per_week, riasec, {SEASONS}, jobs_potential, revenue_month_low_eur,
        revenue_month_high_eur, provenance, start_options, hours_min_per_week)
        VALUES ('cr_tailoring', 'Maatkleding', 'Tailoring', 'خياطة', 'craft', 'C', '14.13', 'uri', '7531',
        'S6.5.6:1.0', 'A2', 2000, 5000, 12000, 'workshop', 40, 'RA', {", ".join(["1.0"] * 12)}, 1, 1000, 3000,
        'curated', 'own_premises', 20)""")
    return con, cur


def test_a_database_made_before_016_keeps_its_labels_in_the_labels_table(tmp_path):
    con, cur = _database_before_016(tmp_path / "old.duckdb")
    try:
        assert db.migrate(con)[:1] == [16]  # and any later ones
        assert cur.execute("SELECT kind, code, language, text FROM labels ORDER BY ALL").fetchall() == sorted([
            ("cefr", "A2", "ar", "أساسي"), ("cefr", "A2", "en", "Elementary"), ("cefr", "A2", "nl", "Basis"),
            ("isced", "3", "ar", "الثانوي الأعلى"), ("isced", "3", "en", "Upper secondary"),
            ("isced", "3", "nl", "Hoger secundair"),
            ("licence", "kvk_registration", "ar", "تسجيل KVK"), ("licence", "kvk_registration", "en", "KVK registration"),
            ("licence", "kvk_registration", "nl", "KVK-inschrijving"),
            ("sector", "C", "ar", "الصناعة"), ("sector", "C", "en", "Manufacturing"), ("sector", "C", "nl", "Industrie"),
            ("skill_group", "S6.5.6", "ar", "الخياطة"), ("skill_group", "S6.5.6", "en", "sewing"),
            ("skill_group", "S6.5.6", "nl", "naaien"),
            ("venture", "cr_tailoring", "ar", "خياطة"), ("venture", "cr_tailoring", "en", "Tailoring"),
            ("venture", "cr_tailoring", "nl", "Maatkleding"),
        ])
        # The per-language columns are gone from every table of a kind; the rows themselves stay.
        left = cur.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN"
                           " (SELECT unnest(?)) AND (column_name LIKE 'name\\_%' ESCAPE '\\'"
                           " OR column_name LIKE 'label\\_%' ESCAPE '\\')",
                           [[k.table for k in lb.KINDS.values()]]).fetchall()
        assert left == []
        assert cur.execute("SELECT venture_id, hours_min_per_week FROM ventures").fetchall() == [("cr_tailoring", 20)]
        # Readers find them: in the reader's language, English where that language has none.
        assert catalogue.list_ventures(cur, lang="ar").name.tolist() == ["خياطة"]
        assert catalogue.list_ventures(cur, lang="ti").name.tolist() == ["Tailoring"]
        assert tx.list_isced_levels(cur, lang="nl").label.tolist() == ["Hoger secundair"]
        seed.load_market_data(cur)  # the next seed replaces them with the files' labels
        assert lb.labels_in(cur, "venture", "nl")["cr_tailoring"] == "Maatkleermaker"
    finally:
        con.close()


def test_labels_in_a_language_fall_back_to_english_and_a_label_has_every_language(seeded):
    # all eight languages ship labels now: take ti and uk away to see the English fallback
    seeded.execute("DELETE FROM labels WHERE kind = 'venture' AND language IN ('ti', 'uk')")
    seeded.execute("INSERT OR REPLACE INTO labels VALUES ('venture', 'cr_barber', 'ti', 'ጸጉሪ ሰብኡት ዝቖርጽ')")
    english, dutch = lb.labels_in(seeded, "venture", "en"), lb.labels_in(seeded, "venture", "nl")
    tigrinya = lb.labels_in(seeded, "venture", "ti")
    assert set(tigrinya) == set(english) == set(dutch) == {
        r[0] for r in seeded.execute("SELECT venture_id FROM ventures").fetchall()}
    assert tigrinya["cr_barber"] == "ጸጉሪ ሰብኡት ዝቖርጽ" and tigrinya["cr_bakery"] == english["cr_bakery"]
    assert dutch["cr_bakery"] == "Ambachtelijke bakkerij" != english["cr_bakery"]
    barber = lb.labels_of(seeded, "venture")["cr_barber"]
    assert barber.get("ti") == "ጸጉሪ ሰብኡት ዝቖርጽ" and barber.get("nl") == dutch["cr_barber"]
    assert barber.get("uk") == barber.en == str(barber) == english["cr_barber"]
    assert lb.label_of(seeded, "venture", "no_such_venture") is None
    frame = seeded.execute(f"SELECT venture_id, {lb.label_sql('venture', 'venture_id')} AS name FROM ventures"
                           " WHERE venture_id IN ('cr_barber', 'cr_bakery') ORDER BY 1", {"lang": "ti"}).fetchall()
    assert frame == [("cr_bakery", english["cr_bakery"]), ("cr_barber", "ጸጉሪ ሰብኡት ዝቖርጽ")]


def test_a_label_is_a_value_that_survives_a_copy():
    label = lb.Label({"nl": "Kapper", "en": "Barber", "ti": "ቀራጺ ጸጉሪ"})
    assert pickle.loads(pickle.dumps(label)) == label and hash(label) == hash(lb.Label(dict(label.texts)))
    assert label != lb.Label({"en": "Barber"}) and lb.Label.same("Idee").get("ar") == "Idee"
    assert lb.joined([label, lb.Label.same("x")]).get("ti") == "ቀራጺ ጸጉሪ, x"
    with pytest.raises(AttributeError):
        label.texts = {}  # type: ignore[misc]
    with pytest.raises(ValueError):
        lb.language_literal("xx'; DROP TABLE labels; --")
    assert lb.language_literal("fa_AF") == "'fa_AF'" and set(LANGUAGES) >= {"fa_AF", "ti"}
