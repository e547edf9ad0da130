"""The kinds of relative candidates: each names what its words said and the resolver that dates it
(:mod:`.resolve`)."""

MONTH_DAY = "month_day"  # a month, a day of a month or days of a month without a year: data month, day, day2, mode
MONTH_OF_RELATIVE_YEAR = "month_of_relative_year"  # "May last year": month, day, offset, anaphoric
YEAR_PART = "year_part"  # "the first half of next year", "the end of this year": months, offset, anaphoric
QUARTER = "quarter"  # "the fourth quarter", "third-quarter": quarter, latest
RELATIVE_UNIT = "relative_unit"  # "last week", "the previous day", "năm ngoái": unit, offset
WEEKDAY = "weekday"  # "on Tuesday", "last Friday": weekday (0 = Monday), mode
AGO = "ago"  # "three months ago", "a year earlier": n, unit, anaphoric
DAY_OF_MONTH = "day_of_month"  # "ngày 12", "12일": day
