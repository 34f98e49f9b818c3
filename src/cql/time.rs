//! Calendar days and the interval relations of CQL2's temporal operators.
//!
//! Plans are dated by year, so time here is read to the day: a date is one day, a timestamp
//! the day it falls on (its offset ignored), an interval the days from its first to its last,
//! either end open (`..`). Relations are Allen's, as CQL2 defines them, over closed intervals.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
///
/// ```
/// use planmap::cql::time::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2000, 3, 1), 11_017);
/// assert_eq!(days_from_civil(1969, 12, 31), -1);
/// ```
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day of an RFC 3339 date (`2021-06-01`) or date-time (`2021-06-01T08:00:00Z`); `None`
/// for anything else.
///
/// ```
/// use planmap::cql::time::day_of;
/// assert_eq!(day_of("1970-01-02"), Some(1));
/// assert_eq!(day_of("1970-01-02T23:59:59Z"), Some(1));
/// assert_eq!(day_of("1970-02-30"), None);
/// assert_eq!(day_of("yesterday"), None);
/// ```
pub fn day_of(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (y, m, d) = (i64::from(num(0..4)?), num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    // what follows a date must be a time: T or a space, then digits
    if b.len() > 10 && !(matches!(b[10], b'T' | b't' | b' ') && b.len() > 11) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Days from `start` to `end`, both included; an open end is `i64::MIN` or `i64::MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: i64,
    pub end: i64,
}

impl Period {
    /// One day.
    pub fn day(d: i64) -> Period {
        Period { start: d, end: d }
    }

    /// The years `from` to `to`, whole.
    pub fn years(from: i32, to: i32) -> Period {
        Period {
            start: days_from_civil(i64::from(from), 1, 1),
            end: days_from_civil(i64::from(to), 12, 31),
        }
    }
}

/// CQL2's temporal operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    Before,
    After,
    Meets,
    MetBy,
    Overlaps,
    OverlappedBy,
    Starts,
    StartedBy,
    During,
    Contains,
    Finishes,
    FinishedBy,
    Equals,
    Disjoint,
    Intersects,
}

impl Relation {
    /// The operator a CQL2 name (as the `cql2` crate spells it) stands for.
    pub fn from_op(op: &str) -> Option<Relation> {
        use Relation::*;
        Some(match op {
            "t_before" => Before,
            "t_after" => After,
            "t_meets" => Meets,
            "t_metBy" => MetBy,
            "t_overlaps" => Overlaps,
            "t_overlappedBy" => OverlappedBy,
            "t_starts" => Starts,
            "t_startedBy" => StartedBy,
            "t_during" => During,
            "t_contains" => Contains,
            "t_finishes" => Finishes,
            "t_finishedBy" => FinishedBy,
            "t_equals" => Equals,
            "t_disjoint" => Disjoint,
            "t_intersects" => Intersects,
            _ => return None,
        })
    }

    /// The relation seen from the other side: `a R b` is `b R.converse() a`.
    pub fn converse(self) -> Relation {
        use Relation::*;
        match self {
            Before => After,
            After => Before,
            Meets => MetBy,
            MetBy => Meets,
            Overlaps => OverlappedBy,
            OverlappedBy => Overlaps,
            Starts => StartedBy,
            StartedBy => Starts,
            During => Contains,
            Contains => During,
            Finishes => FinishedBy,
            FinishedBy => Finishes,
            other => other,
        }
    }

    /// Whether `a` stands in this relation to `b`. Days are whole: an interval that ends the
    /// day before another begins meets it.
    pub fn holds(self, a: Period, b: Period) -> bool {
        use Relation::*;
        // the day after an end, saturating at an open end
        let next = |d: i64| d.saturating_add(1);
        match self {
            Before => next(a.end) < b.start,
            After => next(b.end) < a.start,
            Meets => next(a.end) == b.start,
            MetBy => next(b.end) == a.start,
            Overlaps => a.start < b.start && a.end >= b.start && a.end < b.end,
            OverlappedBy => b.start < a.start && b.end >= a.start && b.end < a.end,
            Starts => a.start == b.start && a.end < b.end,
            StartedBy => a.start == b.start && a.end > b.end,
            During => a.start > b.start && a.end < b.end,
            Contains => a.start < b.start && a.end > b.end,
            Finishes => a.start > b.start && a.end == b.end,
            FinishedBy => a.start < b.start && a.end == b.end,
            Equals => a == b,
            Disjoint => a.end < b.start || b.end < a.start,
            Intersects => a.start <= b.end && b.start <= a.end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pair_of_periods_is_in_exactly_one_allen_relation() {
        use Relation::*;
        let basic = [
            Before,
            After,
            Meets,
            MetBy,
            Overlaps,
            OverlappedBy,
            Starts,
            StartedBy,
            During,
            Contains,
            Finishes,
            FinishedBy,
            Equals,
        ];
        for a0 in 0..6 {
            for a1 in a0..6 {
                for b0 in 0..6 {
                    for b1 in b0..6 {
                        let (a, b) = (Period { start: a0, end: a1 }, Period { start: b0, end: b1 });
                        let held: Vec<_> = basic.iter().filter(|r| r.holds(a, b)).collect();
                        assert_eq!(held.len(), 1, "{a:?} {b:?}: {held:?}");
                        let r = *held[0];
                        assert!(r.converse().holds(b, a), "{a:?} {r:?} {b:?}");
                        assert_eq!(Intersects.holds(a, b), !Disjoint.holds(a, b), "{a:?} {b:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn years_cover_their_days() {
        let p = Period::years(2016, 2020);
        assert_eq!(p.start, days_from_civil(2016, 1, 1));
        assert_eq!(p.end - p.start + 1, 366 + 365 * 3 + 366);
        assert_eq!(day_of("2020-12-31"), Some(p.end));
        assert_eq!(day_of("2021-02-29"), None);
        assert_eq!(day_of("2020-02-29"), Some(days_from_civil(2020, 2, 29)));
    }
}
