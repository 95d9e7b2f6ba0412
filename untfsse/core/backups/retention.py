"""Which backups to keep: a backup a day for BACKUP_KEEP_DAILY days, then one a week for
BACKUP_KEEP_WEEKLY weeks (7 and 4: a week of dailies, then weeklies to a month back, eleven
backups).

Counted back from the newest backup, not from today: if backups stop, the last ones stay; a
retention never prunes the backups away while nobody is making new ones.
"""

import datetime
from collections.abc import Iterable


def backups_to_keep(
    times: Iterable[datetime.datetime], *, keep_daily: int, keep_weekly: int
) -> set[datetime.datetime]:
    """The times (of backups) to keep: the newest of each of the `keep_daily` days up to the
    newest backup's day, then the newest of each of the `keep_weekly` seven-day periods before
    them. The newest backup is always kept."""
    newest_first = sorted(set(times), reverse=True)
    if not newest_first:
        return set()
    newest_day = newest_first[0].date()
    keep = {newest_first[0]}
    periods: set[tuple[str, int]] = set()
    for moment in newest_first:
        age = (newest_day - moment.date()).days
        if age < keep_daily:
            period = ("day", age)
        elif age < keep_daily + 7 * keep_weekly:
            period = ("week", (age - keep_daily) // 7)
        else:
            continue
        if period not in periods:  # newest first: the first of a period is its newest
            periods.add(period)
            keep.add(moment)
    return keep
