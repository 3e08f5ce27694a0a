//! Calendar dates as people mean them: "today" and "the final day" are dates in a time
//! zone (the employee's work time zone, else the company's), never instants.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// An IANA time zone name that the bundled database does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a known IANA time zone (for example America/Chicago)")]
pub struct UnknownTimeZone(pub String);

/// Looks up an IANA time zone (`Pacific/Auckland`) in the bundled database.
///
/// Lookups are remembered per thread: the bundled database parses a zone's rules on
/// every lookup (tens of microseconds), and a sync asks for the same few zones for
/// every record.
pub fn zone(name: &str) -> Result<TimeZone, UnknownTimeZone> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static ZONES: RefCell<HashMap<String, Option<TimeZone>>> = RefCell::new(HashMap::new());
    }
    let name = name.trim();
    let found = ZONES.with(|zones| {
        if let Some(found) = zones.borrow().get(name) {
            return found.clone();
        }
        let found = TimeZone::get(name).ok();
        let mut zones = zones.borrow_mut();
        // Names come from HR: bound what a feed of nonsense can make us keep.
        if zones.len() < 4096 {
            zones.insert(name.to_string(), found.clone());
        }
        found
    });
    found.ok_or_else(|| UnknownTimeZone(name.to_string()))
}

/// The calendar date at `now` in `tz`.
pub fn local_date(now: Timestamp, tz: &TimeZone) -> Date {
    now.to_zoned(tz.clone()).date()
}

/// The first instant of the day after `date` in `tz`: when a final day is over.
pub fn end_of_day(date: Date, tz: &TimeZone) -> Timestamp {
    let next = date.tomorrow().unwrap_or(date);
    match next.to_zoned(tz.clone()) {
        Ok(zoned) => zoned.timestamp(),
        // Only at the far end of the calendar; the end of that day is "never".
        Err(_) => Timestamp::MAX,
    }
}

/// Text from HR that should be a date but is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADate;

/// Parses an HR date: `yyyy-mm-dd`, or an ISO-8601 date-time whose date part is taken as
/// written (HR systems send midnight date-times for calendar dates). Blank means absent.
pub fn parse_hr_date(text: Option<&str>) -> Result<Option<Date>, NotADate> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let date_part = match text.split_once('T') {
        Some((date, _time)) => date,
        None => text,
    };
    if date_part.len() != 10 {
        return Err(NotADate);
    }
    date_part.parse::<Date>().map(Some).map_err(|_| NotADate)
}

/// Where a final day stands relative to today in the employee's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalDay {
    Future,
    Today,
    /// The final day has passed; the offboarding is this many days late.
    Passed {
        days_late: u32,
    },
}

impl FinalDay {
    pub fn of(final_day: Date, today: Date) -> Self {
        if final_day > today {
            FinalDay::Future
        } else if final_day == today {
            FinalDay::Today
        } else {
            FinalDay::Passed {
                days_late: days_between(final_day, today),
            }
        }
    }
}

/// Whole days from `earlier` to `later` (0 when not later).
pub fn days_between(earlier: Date, later: Date) -> u32 {
    // Subtracting dates yields a span in days, the largest unit for civil dates.
    u32::try_from((later - earlier).get_days().max(0)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn hr_dates_accept_plain_dates_and_midnight_date_times() {
        assert_eq!(
            parse_hr_date(Some("2025-03-04")),
            Ok(Some(date(2025, 3, 4)))
        );
        assert_eq!(
            parse_hr_date(Some("2025-03-04T00:00:00Z")),
            Ok(Some(date(2025, 3, 4)))
        );
        assert_eq!(parse_hr_date(Some("  ")), Ok(None));
        assert_eq!(parse_hr_date(None), Ok(None));
        assert_eq!(parse_hr_date(Some("soon")), Err(NotADate));
        assert_eq!(parse_hr_date(Some("2025-02-30")), Err(NotADate));
        assert_eq!(parse_hr_date(Some("4/3/2025")), Err(NotADate));
    }

    #[test]
    fn days_between_counts_calendar_days() {
        assert_eq!(days_between(date(2024, 2, 28), date(2024, 3, 1)), 2);
        assert_eq!(days_between(date(2024, 12, 31), date(2025, 1, 1)), 1);
        assert_eq!(days_between(date(2025, 1, 2), date(2025, 1, 1)), 0);
        assert_eq!(
            FinalDay::of(date(2025, 1, 1), date(2025, 1, 4)),
            FinalDay::Passed { days_late: 3 }
        );
    }

    #[test]
    fn the_bundled_time_zone_database_is_used() {
        assert!(zone("Pacific/Auckland").is_ok());
        assert_eq!(
            zone("Mars/Olympus"),
            Err(UnknownTimeZone("Mars/Olympus".into()))
        );
    }

    #[test]
    fn end_of_day_is_local_midnight_after() {
        let tz = zone("America/Los_Angeles").unwrap();
        let end = end_of_day(date(2025, 6, 30), &tz);
        assert_eq!(end.to_string(), "2025-07-01T07:00:00Z");
    }
}
