"""The unit directory: canonical names, aliases and near-name proposals, hand edits, contacts from the office's
sheet. Imports core.ledger and core.common.
"""
