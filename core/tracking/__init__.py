"""督办: working days, deadlines, submission states and task lights, drill-down, 办结/销号 and 催报.
Imports returns and below.
"""
