"""统计与考评: the ledger's year in tidy pandas tables (per unit, task, leader, area, month, year) and the 考评表."""
