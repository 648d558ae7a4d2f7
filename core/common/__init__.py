"""Below every stage: errors a clerk can act on, OS errors in Chinese, the log, app folders, half-written
files, file sniffing and read limits, text normalisation and character diffs. Imports nothing of core.
"""
