//! What an import did, for the CLI's `--json` and for people.

use std::path::PathBuf;

use rapport_domain::contact::ContactPoint;
use serde::Serialize;

/// How many examples of each kind of warning the summary lists; the counts are complete.
const EXAMPLES: usize = 5;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Show a progress bar (by bytes read) on stderr; the CLI sets it on a terminal.
    pub progress: bool,
    /// Rows per storage transaction.
    pub batch_size: usize,
    /// Where rejected rows go; `<input>.rejects.csv` by default.
    pub rejects_path: Option<PathBuf>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            progress: false,
            batch_size: 20_000,
            rejects_path: None,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    pub file: PathBuf,
    pub mapping: String,
    /// Data rows read (the header is not a row).
    pub rows: u64,
    /// Rows that created or changed something.
    pub imported: u64,
    /// Rows already fully stored: a re-import reports every good row here.
    pub unchanged: u64,
    /// Rows skipped and written to the rejects file.
    pub rejected: u64,
    /// Rows that created a profile.
    pub guests_created: u64,
    /// Rows that joined an existing profile (or one created earlier in the file).
    pub guests_matched: u64,
    pub stays_created: u64,
    /// Emails and phones kept as entered because they do not normalise; such values never
    /// join profiles.
    pub flagged_contacts: u64,
    /// Values that looked like payment-card numbers and were not stored.
    pub card_values_dropped: u64,
    /// Optional fields left empty because their value made no sense (a birthday that is
    /// not a date, a country that is not a code).
    pub fields_ignored: u64,
    /// Optional values kept as entered and flagged in the warnings because they do not
    /// normalise (a country code that names no ISO 3166-1 country).
    pub fields_flagged: u64,
    /// Hotels the mapping described that did not exist yet.
    pub hotels_created: Vec<String>,
    pub rejects_file: Option<PathBuf>,
    /// Examples of the above, and file-level notes such as an unread card column.
    pub warnings: Vec<String>,
    pub elapsed_ms: u64,
    pub rows_per_second: f64,
    /// Ids of the profiles created, for the duplicate check that follows an import (8 bytes
    /// a profile: a few megabytes for a million-row file).
    #[serde(skip)]
    pub new_guests: Vec<rapport_domain::guest::GuestId>,
}

/// Counts kept while parsing, merged into the summary at the end.
#[derive(Debug, Default)]
pub struct ParseStats {
    pub rows: u64,
    pub rejected: u64,
    pub flagged_contacts: u64,
    pub card_values_dropped: u64,
    pub fields_ignored: u64,
    pub fields_flagged: u64,
    pub warnings: Vec<String>,
    flagged_examples: usize,
    ignored_examples: usize,
}

impl ParseStats {
    pub fn note_contact(&mut self, line: u64, column: &str, point: &ContactPoint) {
        if let Some(reason) = &point.invalid {
            self.flagged_contacts += 1;
            if self.flagged_examples < EXAMPLES {
                self.flagged_examples += 1;
                self.warnings
                    .push(format!("line {line}, {column}: kept as entered and flagged: {reason}"));
            }
        }
    }

    /// A value kept as entered though it does not normalise: losing a PMS's own code
    /// would lose what the guest told the hotel.
    pub fn flag_field(&mut self, line: u64, column: &str, reason: &str) {
        self.fields_flagged += 1;
        if self.flagged_examples < EXAMPLES {
            self.flagged_examples += 1;
            self.warnings
                .push(format!("line {line}, {column}: kept as entered and flagged: {reason}"));
        }
    }

    pub fn ignore_field(&mut self, line: u64, column: &str, reason: &str) {
        self.fields_ignored += 1;
        if self.ignored_examples < EXAMPLES {
            self.ignored_examples += 1;
            self.warnings.push(format!("line {line}, {column}: left empty: {reason}"));
        }
    }
}
