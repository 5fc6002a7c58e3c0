"""The bottom layer: the store (db, migrations, transactions), domain errors, access rules, the audit
log, languages and Excel helpers. Imports nothing else of incubator."""
