"""The domain of 督查台账: ledger, imports, forms, returns, diff, merge, calendar, tracking, reports. Never imports Qt."""
