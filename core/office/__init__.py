"""Office-document plumbing shared by the stages: GB/T 9704 docx styling, the CJK width model for printed
sheets, charts, PDF export through LibreOffice, .eml drafts. Imports only core.common.
"""
