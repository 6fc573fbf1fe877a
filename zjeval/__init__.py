"""zjeval: 部门整体支出绩效自评报告 — interview, check and render."""

__version__ = "0.1.0"
