//! Dates and times as text, exactly as rusqlite's chrono support writes them, for the
//! import's hot path: chrono's `format` parses its format string on every call, and an
//! import binds four dates per stay and one per spend line (measured: about 4% of an
//! import's samples went to that parsing).

use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// `YYYY-MM-DD`, as chrono's `%F` (and so rusqlite) writes a `NaiveDate`.
pub(super) fn date(d: NaiveDate) -> String {
    let year = d.year();
    if !(0..=9999).contains(&year) {
        // Signed and wider years: rare enough to leave to chrono.
        return d.format("%F").to_string();
    }
    let mut out = String::with_capacity(10);
    for n in [year as u32 / 100, year as u32 % 100] {
        push_two(&mut out, n);
    }
    out.push('-');
    push_two(&mut out, d.month());
    out.push('-');
    push_two(&mut out, d.day());
    out
}

fn push_two(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// A timestamp as rusqlite writes a `DateTime<Utc>`.
pub(super) fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%F %T%.f%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::types::{ToSql, ToSqlOutput, Value};

    fn as_rusqlite_writes(v: &dyn ToSql) -> String {
        match v.to_sql().unwrap() {
            ToSqlOutput::Owned(Value::Text(t)) => t,
            other => panic!("not text: {other:?}"),
        }
    }

    #[test]
    fn dates_read_as_rusqlite_writes_them() {
        for (y, m, d) in [
            (2026, 1, 9),
            (1999, 12, 31),
            (987, 3, 4),
            (0, 1, 1),
            (9999, 12, 31),
            (10_000, 1, 1),
            (-44, 3, 15),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date(day), as_rusqlite_writes(&day), "{y}-{m}-{d}");
        }
    }

    #[test]
    fn timestamps_read_as_rusqlite_writes_them() {
        let t = DateTime::from_timestamp(1_790_000_000, 123_456_789).unwrap();
        assert_eq!(timestamp(t), as_rusqlite_writes(&t));
    }
}
