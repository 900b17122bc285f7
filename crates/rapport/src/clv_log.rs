//! The transaction-log CSV of `rapport clv`: a header naming `customer_id`, `date` and `amount`
//! (in any order, other columns ignored), dates as YYYY-MM-DD or YYYYMMDD, amounts as
//! decimals in the currency unit (kept to hundredths, rounding half away from zero).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};
use chrono::NaiveDate;
use rapport_value::Transaction;
use rustc_hash::FxBuildHasher;

/// A log with customer ids replaced by dense indices.
pub struct TransactionLog {
    pub transactions: Vec<Transaction>,
    /// The customer id of each index.
    pub customer_ids: CustomerIds,
}

/// Ids stored end to end in one buffer: a million customers are two allocations, not a million.
#[derive(Default)]
pub struct CustomerIds {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl CustomerIds {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The id as it appeared in the file (trimmed, unquoted).
    pub fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    fn last(&self) -> Option<&[u8]> {
        self.len().checked_sub(1).map(|i| self.get(i))
    }

    fn push(&mut self, id: &[u8]) {
        self.bytes.extend_from_slice(id);
        self.ends.push(self.bytes.len());
    }
}

pub fn read(path: &Path) -> anyhow::Result<TransactionLog> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        // Short rows get our own message with the line number and the missing column.
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let headers = reader
        .byte_headers()
        .with_context(|| format!("{}: cannot read the header", path.display()))?
        .clone();
    let column = |name: &str| {
        headers.iter().position(|h| h.trim_ascii() == name.as_bytes()).with_context(|| {
            format!(
                "{}: the header has no column '{name}' (expected customer_id,date,amount)",
                path.display()
            )
        })
    };
    let (id_col, date_col, amount_col) = (column("customer_id")?, column("date")?, column("amount")?);

    // Sized by the file (a line has 20 bytes or more) so that the vector is not copied as it
    // grows; an overestimate costs address space only, as pages never written are not touched.
    let size_hint = std::fs::metadata(path).map_or(0, |m| m.len() as usize / 20);
    let mut transactions = Vec::with_capacity(size_hint);
    // Lines are first numbered by run: consecutive lines with the same id, which is how most
    // logs list a customer. Runs are merged into customers once the file is read, when their
    // number is known and the index never has to grow.
    let mut runs = CustomerIds::default();
    let mut record = csv::ByteRecord::new();
    loop {
        let more = reader
            .read_byte_record(&mut record)
            .with_context(|| format!("{}: unreadable CSV", path.display()))?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize, name: &str| {
            record
                .get(i)
                .with_context(|| format!("{}, line {line}: no '{name}' field", path.display()))
        };
        let id = field(id_col, "customer_id")?.trim_ascii();
        if id.is_empty() {
            bail!("{}, line {line}: empty customer_id", path.display());
        }
        if runs.last() != Some(id) {
            runs.push(id);
        }
        let customer = (runs.len() - 1) as u32;
        let date_text = field(date_col, "date")?;
        let date = parse_date(date_text).with_context(|| {
            format!(
                "{}, line {line}: '{}' is not a date (YYYY-MM-DD or YYYYMMDD)",
                path.display(),
                String::from_utf8_lossy(date_text)
            )
        })?;
        let amount_text = std::str::from_utf8(field(amount_col, "amount")?).unwrap_or("?");
        let amount = rapport_domain::money::parse_decimal_minor(amount_text, 2)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("{}, line {line}", path.display()))?;
        if amount < 0 {
            bail!(
                "{}, line {line}: negative amount {amount_text} (refunds belong netted into their purchase)",
                path.display()
            );
        }
        transactions.push(Transaction { customer, date, amount });
    }
    let mut customer_ids = CustomerIds::default();
    let mut first_run: HashMap<&[u8], u32, FxBuildHasher> = HashMap::with_capacity_and_hasher(runs.len(), FxBuildHasher);
    let customer_of_run: Vec<u32> = (0..runs.len())
        .map(|r| {
            let id = runs.get(r);
            let next = first_run.len() as u32;
            *first_run.entry(id).or_insert_with(|| {
                customer_ids.push(id);
                next
            })
        })
        .collect();
    if customer_ids.len() < runs.len() {
        for t in &mut transactions {
            t.customer = customer_of_run[t.customer as usize];
        }
    }
    Ok(TransactionLog {
        transactions,
        customer_ids,
    })
}

/// YYYY-MM-DD or YYYYMMDD, parsed by hand: chrono's format parser is the slowest step of
/// reading a million-customer log.
fn parse_date(text: &[u8]) -> Option<NaiveDate> {
    let t = text.trim_ascii();
    let digits = |s: &[u8]| -> Option<u32> {
        s.iter()
            .try_fold(0u32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
    };
    let (y, m, d) = match t.len() {
        10 if t[4] == b'-' && t[7] == b'-' => (&t[0..4], &t[5..7], &t[8..10]),
        8 => (&t[0..4], &t[4..6], &t[6..8]),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(digits(y)? as i32, digits(m)?, digits(d)?)
}

/// Writes a log in the same format, customer ids numbered from 1.
pub fn write_simulated(path: &Path, transactions: &[Transaction]) -> anyhow::Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(out, "customer_id,date,amount")?;
    for t in transactions {
        writeln!(out, "{},{},{}.{:02}", t.customer + 1, t.date, t.amount / 100, t.amount % 100)?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_whose_lines_are_apart_is_still_one_customer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.csv");
        let text = "amount,customer_id,date\n1.5,b,2024-01-01\n2,a,2024-01-02\n3,b,20240103\n4,\"x,y\",2024-01-04\n0,a,2024-01-05\n";
        std::fs::write(&path, text).unwrap();
        let log = read(&path).unwrap();
        let ids: Vec<&[u8]> = (0..log.customer_ids.len()).map(|i| log.customer_ids.get(i)).collect();
        assert_eq!(ids, [&b"b"[..], b"a", b"x,y"]);
        let customers: Vec<u32> = log.transactions.iter().map(|t| t.customer).collect();
        assert_eq!(customers, [0, 1, 0, 2, 1]);
        assert_eq!(log.transactions[0].amount, 150);
    }

    #[test]
    fn dates_in_both_forms_and_nothing_else() {
        let want = NaiveDate::from_ymd_opt(1997, 9, 30);
        assert_eq!(parse_date(b"1997-09-30"), want);
        assert_eq!(parse_date(b"19970930"), want);
        assert_eq!(parse_date(b" 19970930 "), want);
        assert_eq!(parse_date(b"1997-02-30"), None);
        assert_eq!(parse_date(b"1997/09/30"), None);
        assert_eq!(parse_date(b"97-09-30"), None);
        assert_eq!(parse_date(b"1997-9-30"), None);
    }
}
