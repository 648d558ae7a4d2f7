"""The ledger itself: schema, migrations, the Ledger (store), settings, read-only queries, the content-addressed
file store, backups, the integrity check and the whole-ledger export/import. Imports core.common only; no stage.
"""
