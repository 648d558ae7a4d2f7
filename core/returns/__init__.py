"""收文合并: expanding what was dropped, reading returned workbooks, identifying unit/form/period from all the evidence,
ordering versions, matching rows, flagging rows two units report, staging changes for review, merging and undoing.
Imports forms and below.
"""
