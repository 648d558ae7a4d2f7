"""通报: the tabulations behind every printed document, the monthly summary, 民生实事 table, leader pages,
quarterly and single-task bulletins, and their HTML previews. Imports tracking and below.
"""
