"""The domain of 督查台账, one package per stage of the year; never imports Qt, ui, cli or app.

Stages, in the order imports may go (a package imports only those before it):
common → office → ledger → units → campaign → forms → returns → tracking → reports → draft → demo.
The order is written once, in tests/core/test_import_order.py, which enforces it.
"""
