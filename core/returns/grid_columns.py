"""The review grid's columns per form: field and heading (the 收文 grid's header reads them before any file is read)."""
from __future__ import annotations

REPORT_COLUMNS = (("quarter_target", "季度目标"), ("done", "完成情况"), ("problems", "存在问题"),
                  ("next_steps", "下一步计划"), ("on_track", "是否完成"))
PLAN_COLUMNS = (("target", "季度目标及推进计划"), ("owner", "主要负责人"), ("supervisor", "分管负责人"),
                ("remark", "备注"))
