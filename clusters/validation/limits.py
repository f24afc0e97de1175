"""The limits of client input: one home for every bound the kit checks."""

from __future__ import annotations

from decimal import Decimal

# Reporting years (submissions, periods, fx rates, figures, roadmaps, scenarios, exports).
MIN_YEAR, MAX_YEAR = 1900, 2200
# A cluster's founding year may be older than any reporting (chambers, guilds).
MIN_FOUNDED_YEAR = 1800
# Money in a submission's currency: no cluster reports a trillion in one line.
MAX_AMOUNT = Decimal("1000000000000.00")  # 10^12
MONEY_PLACES = 2
# KPI values and roadmap targets (member revenue of a supercluster: 5 * 10^11).
MAX_KPI_VALUE = Decimal("1000000000000000")  # 10^15
KPI_PLACES = 6
MAX_FTE = Decimal("100000")
# A number sent as text longer than this is not a number anyone typed.
MAX_NUMBER_TEXT = 64
# Significant digits a stored number keeps on every database: SQLite holds decimals as
# REAL (binary floating point), exact to 15 digits. More would be rounded silently there,
# so they are refused everywhere (1000000000000000 has one; 165.000000 has three).
MAX_DIGITS = 15
SHARE_PLACES = 6
SHARE_TOLERANCE = Decimal("0.0001")  # shares sum to 1 within this
MAX_LINES = 200  # items in one list of a body (funding lines, stages, notes of a block)
MAX_NAME = 200
MAX_NOTE = 500
MAX_TEXT = 10_000
MAX_URL = 200
# Ids of stored rows as clients send them (a job, a comment, a share): 64-bit keys.
MAX_ID = 2**63 - 1
