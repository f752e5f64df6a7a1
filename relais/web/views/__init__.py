"""Pharmacist screens, one module per concept; every view is thin (parse, one service,
render)."""
