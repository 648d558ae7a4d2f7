"""立项助手: reading a 政府工作报告 into candidate tasks, suggesting units and leaders from past years, the
editable draft table and its measures. Imports campaign and below.
"""
