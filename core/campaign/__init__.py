"""立项: reading the 立项表 (Word, Excel, text) into tasks, previewing and applying the import, writing the table
back as the notice's Word tables. Imports units, ledger, office, common.
"""
