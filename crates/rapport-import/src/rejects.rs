//! The rejects file: `line,column,reason,record` for every row that was skipped, so a
//! person can fix the rows and import the file again (good rows are then unchanged).

use std::borrow::Cow;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use csv::ByteRecord;

use crate::error::ImportError;
use rapport_domain::card::{looks_like_card, mask_card_numbers};

/// Whether two paths name one file: the same device and inode where there are such
/// (catching hard links), else the same canonical path. Paths that do not exist are not.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        matches!((std::fs::metadata(a), std::fs::metadata(b)), (Ok(a), Ok(b)) if (a.dev(), a.ino()) == (b.dev(), b.ino()))
    }
    #[cfg(not(unix))]
    {
        matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
    }
}

pub const HEADER: [&str; 4] = ["line", "column", "reason", "record"];

pub struct RejectsFile {
    path: PathBuf,
    writer: Option<csv::Writer<BufWriter<File>>>,
    scratch: Vec<u8>,
}

impl RejectsFile {
    /// The file is created with the first reject; a clean run leaves none behind.
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            writer: None,
            scratch: Vec::new(),
        }
    }

    pub fn default_path(input: &Path) -> PathBuf {
        let mut name = input.as_os_str().to_owned();
        name.push(".rejects.csv");
        PathBuf::from(name)
    }

    /// Refuses a rejects path that is the input file under another name (`./x.csv` and
    /// `/abs/x.csv`, a symlink, a hard link): writing the first reject would truncate the
    /// file being read. A path that does not exist yet cannot be the input.
    pub fn refuse_input(&self, input: &Path) -> Result<(), ImportError> {
        match same_file(&self.path, input) {
            true => Err(ImportError::RejectsIsInput { path: self.path.clone() }),
            false => Ok(()),
        }
    }

    /// Writes one reject. `redact(i)` says whether field `i` is a card column: its value,
    /// and any value that looks like a card number, is replaced by `[card data removed]`;
    /// a card number inside other text is masked to its last four digits.
    pub fn write(
        &mut self,
        line: u64,
        column: &str,
        reason: &str,
        record: &ByteRecord,
        redact: impl Fn(usize) -> bool,
    ) -> Result<(), ImportError> {
        let err = |e: std::io::Error| ImportError::Rejects {
            path: self.path.clone(),
            source: e,
        };
        if self.writer.is_none() {
            let file = File::create(&self.path).map_err(err)?;
            let mut w = csv::Writer::from_writer(BufWriter::new(file));
            w.write_record(HEADER).map_err(|e| err(e.into()))?;
            self.writer = Some(w);
        }
        self.scratch.clear();
        {
            let mut line_writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(&mut self.scratch);
            let fields = record.iter().enumerate().map(|(i, f)| {
                let text = std::str::from_utf8(f);
                let card = redact(i) || text.is_ok_and(looks_like_card);
                if card && !f.is_empty() {
                    Cow::Borrowed(&b"[card data removed]"[..])
                } else {
                    // A card number inside free text is masked as the import stores it.
                    match text.map(mask_card_numbers) {
                        Ok((masked, n)) if n > 0 => Cow::Owned(masked.into_owned().into_bytes()),
                        _ => Cow::Borrowed(f),
                    }
                }
            });
            line_writer.write_record(fields).map_err(|e| err(e.into()))?;
            line_writer.flush().map_err(err)?;
        }
        if self.scratch.last() == Some(&b'\n') {
            self.scratch.pop();
        }
        let text = String::from_utf8_lossy(&self.scratch);
        let w = self.writer.as_mut().expect("created above");
        w.write_record([line.to_string().as_str(), column, reason, &text])
            .map_err(|e| err(e.into()))?;
        Ok(())
    }

    /// Flushes; returns the path when rows were rejected. A stale rejects file from an
    /// earlier run at the same path is removed so it cannot be mistaken for this run's.
    pub fn finish(self) -> Result<Option<PathBuf>, ImportError> {
        match self.writer {
            Some(mut w) => {
                w.flush().map_err(|e| ImportError::Rejects {
                    path: self.path.clone(),
                    source: e,
                })?;
                Ok(Some(self.path))
            }
            None => {
                if is_rejects_file(&self.path) {
                    std::fs::remove_file(&self.path).map_err(|e| ImportError::Rejects {
                        path: self.path.clone(),
                        source: e,
                    })?;
                }
                Ok(None)
            }
        }
    }
}

/// True when the file exists and starts with our header (so it is ours to replace).
fn is_rejects_file(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 26];
    File::open(path).and_then(|mut f| f.read_exact(&mut start)).is_ok() && start.starts_with(b"line,column,reason,record")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_are_csv_with_card_data_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv.rejects.csv");
        let mut r = RejectsFile::new(path.clone());
        let rec = ByteRecord::from(vec!["1", "Ann, Lee", "4111 1111 1111 1111", "************4322"]);
        r.write(2, "arrival", "bad date", &rec, |i| i == 3).unwrap();
        assert_eq!(r.finish().unwrap(), Some(path.clone()));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("line,column,reason,record\n2,arrival,bad date,"), "{text}");
        assert!(text.contains("\"Ann, Lee\""), "the record is re-quoted: {text}");
        assert!(!text.contains("4111") && !text.contains("4322"), "{text}");

        // A later clean run removes the stale file.
        RejectsFile::new(path.clone()).finish().unwrap();
        assert!(!path.exists());
    }

    #[test]
    fn a_file_that_is_not_ours_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.csv");
        std::fs::write(&path, "something else entirely, not a rejects file").unwrap();
        assert_eq!(RejectsFile::new(path.clone()).finish().unwrap(), None);
        assert!(path.exists());
    }
}
