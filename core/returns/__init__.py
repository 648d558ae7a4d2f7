"""收文合并: expanding what was dropped, reading returned workbooks, identifying unit/form/period, matching rows,
staging changes for review, merging them and undoing a merge. Imports forms and below.
"""
