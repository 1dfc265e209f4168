//! Business calendars: which days count as business days, in which UTC offset.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A fixed offset from UTC written as `"+08:00"` or `"-05:00"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtcOffset(pub FixedOffset);

impl FromStr for UtcOffset {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || format!("{s:?} is not a UTC offset (expected \"+08:00\" or \"-05:00\")");
        let b = s.as_bytes();
        if b.len() != 6 || !matches!(b[0], b'+' | b'-') || b[3] != b':' {
            return Err(err());
        }
        let hours: i32 = s[1..3].parse().map_err(|_| err())?;
        let minutes: i32 = s[4..6].parse().map_err(|_| err())?;
        if hours > 14 || minutes > 59 {
            return Err(err());
        }
        let secs = (hours * 3600 + minutes * 60) * if b[0] == b'-' { -1 } else { 1 };
        FixedOffset::east_opt(secs).map(UtcOffset).ok_or_else(err)
    }
}

impl fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.local_minus_utc();
        let sign = if secs < 0 { '-' } else { '+' };
        let secs = secs.abs();
        write!(f, "{sign}{:02}:{:02}", secs / 3600, secs % 3600 / 60)
    }
}

impl Serialize for UtcOffset {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for UtcOffset {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "UtcOffset".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A fixed offset from UTC, \"+08:00\" or \"-05:00\" (at most 14 hours).",
            "type": "string",
            "pattern": "^[+-](0[0-9]|1[0-4]):[0-5][0-9]$",
        })
    }
}

impl<'de> Deserialize<'de> for UtcOffset {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A day of the week as written in a policy file: `"mon"` … `"sun"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    /// Monday to Sunday.
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    fn weekday(self) -> Weekday {
        match self {
            Day::Mon => Weekday::Mon,
            Day::Tue => Weekday::Tue,
            Day::Wed => Weekday::Wed,
            Day::Thu => Weekday::Thu,
            Day::Fri => Weekday::Fri,
            Day::Sat => Weekday::Sat,
            Day::Sun => Weekday::Sun,
        }
    }
}

/// Reads an instant written as RFC 3339 requires (`"2026-05-01T09:30:00Z"`,
/// `"2026-05-01T17:30:00.5+08:00"`), as JSON Schema's `date-time` does.
///
/// Every instant the engine reads goes through here rather than chrono's
/// `FromStr`, which also takes spaces between the parts and offsets without
/// a colon, and brings a general parser into the browser bundle for that.
pub fn parse_instant(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.to_utc())
}

/// Reads a calendar date written `"2026-12-25"` (RFC 3339's `full-date`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |from: usize, to: usize| {
        b[from..to].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(number(0, 4)? as i32, number(5, 7)?, number(8, 10)?)
}

/// serde's readers for instants and dates, by [`parse_instant`] and
/// [`parse_date`], for `#[serde(deserialize_with = "…")]`: every instant and
/// date the engine and the widget read from JSON goes through them.
pub mod read {
    use chrono::{DateTime, NaiveDate, Utc};
    use serde::de::{Deserialize, Deserializer, Error, Visitor};
    use std::fmt;

    /// An instant as a JSON string.
    struct Instant(DateTime<Utc>);

    impl<'de> Deserialize<'de> for Instant {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Instant;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an RFC 3339 instant such as \"2026-05-01T09:30:00Z\"")
                }
                fn visit_str<E: Error>(self, v: &str) -> Result<Instant, E> {
                    super::parse_instant(v).map(Instant).map_err(E::custom)
                }
            }
            d.deserialize_str(V)
        }
    }

    /// A date as a JSON string.
    struct Date(NaiveDate);

    impl<'de> Deserialize<'de> for Date {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Date;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a date such as \"2026-12-25\"")
                }
                fn visit_str<E: Error>(self, v: &str) -> Result<Date, E> {
                    super::parse_date(v).map(Date).ok_or_else(|| {
                        E::custom(format_args!(
                            "{v:?} is not a date (expected \"2026-12-25\")"
                        ))
                    })
                }
            }
            d.deserialize_str(V)
        }
    }

    /// An instant.
    pub fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        Instant::deserialize(d).map(|t| t.0)
    }

    /// An instant or `null`.
    pub fn instant_or_null<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<Instant>::deserialize(d).map(|t| t.map(|t| t.0))
    }

    /// A list of dates.
    pub fn dates<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        Vec::<Date>::deserialize(d).map(|v| v.into_iter().map(|d| d.0).collect())
    }
}

/// A shop's business calendar: weekend days, holidays and the fixed UTC
/// offset in which both are read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BusinessCalendar {
    /// The offset in which days begin and end, e.g. `"-05:00"`.
    pub utc_offset: UtcOffset,
    /// Days of the week that are not business days.
    #[serde(default = "default_weekend")]
    pub weekend: Vec<Day>,
    /// Dates (in `utc_offset`) that are not business days.
    #[serde(default, deserialize_with = "read::dates")]
    pub holidays: Vec<NaiveDate>,
}

fn default_weekend() -> Vec<Day> {
    vec![Day::Sat, Day::Sun]
}

impl BusinessCalendar {
    /// True when `date` is neither a weekend day nor a holiday.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        let weekday = date.weekday();
        !self.weekend.iter().any(|d| d.weekday() == weekday) && !self.holidays.contains(&date)
    }

    /// True when at least one day of the week is not a weekend day.
    pub fn has_business_days(&self) -> bool {
        Day::ALL.iter().any(|d| !self.weekend.contains(d))
    }

    /// `date + n business days`: `n` times, the next day that is neither a
    /// weekend day nor a holiday. `None` when the calendar has no business
    /// day, or past the end of chrono's calendar.
    pub fn add_business_days_to_date(&self, mut date: NaiveDate, n: u32) -> Option<NaiveDate> {
        if !self.has_business_days() {
            return None;
        }
        for _ in 0..n {
            date = date.succ_opt()?;
            while !self.is_business_day(date) {
                date = date.succ_opt()?;
            }
        }
        Some(date)
    }

    /// `t + n business days`, exactly as the semantics define it: `n` times,
    /// move to the next calendar day and keep moving while that day is a
    /// weekend day or a holiday; the clock time in the calendar's offset stays
    /// the same. Saturday 10:00 + 1 = Monday 10:00 (if Monday is no holiday).
    ///
    /// `None` only past the end of chrono's calendar (year 262143), or when
    /// the calendar has no business day at all, which validation rejects.
    pub fn add_business_days(&self, t: DateTime<Utc>, n: u32) -> Option<DateTime<Utc>> {
        let local = t.with_timezone(&self.utc_offset.0).naive_local();
        let date = self.add_business_days_to_date(local.date(), n)?;
        self.utc_offset
            .0
            .from_local_datetime(&date.and_time(local.time()))
            .single()
            .map(|d| d.with_timezone(&Utc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn us_2026() -> BusinessCalendar {
        BusinessCalendar {
            utc_offset: "-05:00".parse().unwrap(),
            weekend: default_weekend(),
            holidays: [
                "2026-01-01",
                "2026-01-19",
                "2026-05-25",
                "2026-07-03",
                "2026-11-26",
                "2026-12-25",
            ]
            .iter()
            .map(|d| d.parse().unwrap())
            .collect(),
        }
    }

    #[test]
    fn offsets_parse_and_print() {
        assert_eq!("+08:00".parse::<UtcOffset>().unwrap().to_string(), "+08:00");
        assert_eq!(
            "-05:00".parse::<UtcOffset>().unwrap().0.local_minus_utc(),
            -5 * 3600
        );
        assert_eq!(
            "+05:45".parse::<UtcOffset>().unwrap().0.local_minus_utc(),
            5 * 3600 + 45 * 60
        );
        for bad in ["8", "+8:00", "08:00", "+15:00", "+08:60", "+08-00", ""] {
            assert!(bad.parse::<UtcOffset>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn saturday_plus_one_is_monday_same_clock_time() {
        let cal = us_2026();
        // Saturday 2026-03-07 10:00 at −05:00 = 15:00Z.
        assert_eq!(
            cal.add_business_days(at("2026-03-07T15:00:00Z"), 1),
            Some(at("2026-03-09T15:00:00Z"))
        );
    }

    #[test]
    fn friday_plus_one_skips_the_weekend() {
        let cal = us_2026();
        assert_eq!(
            cal.add_business_days(at("2026-03-06T14:00:00Z"), 1),
            Some(at("2026-03-09T14:00:00Z"))
        );
    }

    #[test]
    fn holidays_are_skipped() {
        let cal = us_2026();
        // Wed 2026-11-25 + 1 → Thanksgiving (26th) is skipped → Fri 27th.
        assert_eq!(
            cal.add_business_days(at("2026-11-25T17:00:00Z"), 1),
            Some(at("2026-11-27T17:00:00Z"))
        );
        // Thu 2026-07-02 + 1 → Jul 3 (observed Independence Day), weekend → Mon Jul 6.
        assert_eq!(
            cal.add_business_days(at("2026-07-02T17:00:00Z"), 1),
            Some(at("2026-07-06T17:00:00Z"))
        );
    }

    #[test]
    fn days_are_read_in_the_calendar_offset() {
        let cal = us_2026();
        // 2026-03-07T03:00Z is still Friday 22:00 at −05:00: +1 is Monday 22:00 local.
        assert_eq!(
            cal.add_business_days(at("2026-03-07T03:00:00Z"), 1),
            Some(at("2026-03-10T03:00:00Z"))
        );
        // In UTC the same instant is a Saturday, so +1 would be Monday 03:00Z instead.
        let utc = BusinessCalendar {
            utc_offset: "+00:00".parse().unwrap(),
            ..us_2026()
        };
        assert_eq!(
            utc.add_business_days(at("2026-03-07T03:00:00Z"), 1),
            Some(at("2026-03-09T03:00:00Z"))
        );
    }

    #[test]
    fn zero_business_days_is_the_same_instant() {
        let cal = us_2026();
        assert_eq!(
            cal.add_business_days(at("2026-03-07T15:00:00Z"), 0),
            Some(at("2026-03-07T15:00:00Z"))
        );
    }

    #[test]
    fn a_calendar_without_business_days_gives_none_not_a_hang() {
        let cal = BusinessCalendar {
            weekend: vec![
                Day::Mon,
                Day::Tue,
                Day::Wed,
                Day::Thu,
                Day::Fri,
                Day::Sat,
                Day::Sun,
            ],
            ..us_2026()
        };
        assert_eq!(cal.add_business_days(at("2026-03-07T15:00:00Z"), 1), None);
    }

    #[test]
    fn instants_are_read_as_rfc_3339_writes_them() {
        let utc = |s: &str| parse_instant(s).map(|t| t.to_rfc3339());
        assert_eq!(
            utc("2026-05-01T09:30:00Z").unwrap(),
            "2026-05-01T09:30:00+00:00"
        );
        assert_eq!(
            utc("2026-05-01t17:30:00+08:00").unwrap(),
            "2026-05-01T09:30:00+00:00"
        );
        assert_eq!(
            utc("2026-05-01T09:30:00.250-05:00").unwrap(),
            "2026-05-01T14:30:00.250+00:00"
        );
        for bad in [
            "2026-05-01T09:30:00",      // no offset
            "2026-05-01T09:30:00+0800", // no colon in the offset
            "2026-05-01T09:30:00 UTC",  // a zone's name
            "2026-05-01 T 09:30:00Z",   // spaces between the parts
            "2026-5-1T09:30:00Z",       // one-digit month and day
            "2026-02-30T09:30:00Z",     // no such day
            "2026-05-01T24:00:00Z",     // no such hour
            "2026-05-01",               // a date alone
            "2026-05-01T09:30:00Z trailing",
            "",
        ] {
            assert!(parse_instant(bad).is_err(), "{bad:?} was read");
        }
    }

    #[test]
    fn dates_are_read_as_full_dates_only() {
        assert_eq!(
            parse_date("2026-12-25"),
            NaiveDate::from_ymd_opt(2026, 12, 25)
        );
        assert_eq!(
            parse_date("2028-02-29"),
            NaiveDate::from_ymd_opt(2028, 2, 29)
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-05",
            "26-01-05",
            "2026/01/05",
            "2026-01-05T00:00:00Z",
            "+026-01-05",
            "2026-01-0x",
            "",
            "２０２６-01-05",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?} was read");
        }
    }
}
