"""Date helpers shared by services (pure; no database)."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
