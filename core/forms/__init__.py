"""下发: form templates, the 附件3/附件4 row sets, the workbook writer, the identity stamp, and generating one
workbook (and .eml draft) per unit. Imports campaign and below.
"""
