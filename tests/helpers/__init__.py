"""Shared test helpers (builders of real ledgers, forms and returns; window openers): test modules import from here,
never from one another."""
