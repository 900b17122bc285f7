//! Layered configuration: defaults → `rapport.toml` → `RAPPORT_*` environment → flags.
//! Clap resolves the last two; this file supplies the first two.

use std::path::Path;

use serde::Deserialize;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://rapport.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub addr: Option<String>,
    /// ISO 3166-1 alpha-2 region for phone numbers typed without a country code.
    pub phone_region: Option<String>,
    /// Mark console cookies `Secure` (set when Rapport is reached over HTTPS through a proxy
    /// that does not send `X-Forwarded-Proto`).
    pub secure_cookies: Option<bool>,
    /// Value analysis settings (`[value]`: group currency, exchange rates, tier thresholds).
    #[serde(default)]
    pub value: crate::analyze_cmd::ValueConfig,
    /// Duplicate detection (`[dedupe]`: `auto_merge` and `review` probability thresholds,
    /// `catch_up_seconds`).
    #[serde(default)]
    pub dedupe: DedupeConfig,
}

/// `[dedupe]`: the match probabilities from which a pair is merged automatically, and from
/// which it is put to a person. Missing values keep `MatchThresholds::default()`.
#[derive(Deserialize, Default, Debug, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct DedupeConfig {
    pub auto_merge: Option<f64>,
    pub review: Option<f64>,
    /// How often `serve` reads the profiles other processes (imports, `rapport dedupe`)
    /// changed into its match index, in seconds (default 30).
    pub catch_up_seconds: Option<f64>,
}

impl DedupeConfig {
    pub fn thresholds(self) -> rapport_domain::duplicates::MatchThresholds {
        let mut t = rapport_domain::duplicates::MatchThresholds::default();
        if let Some(v) = self.auto_merge {
            t.auto_merge = v;
        }
        if let Some(v) = self.review {
            t.review = v;
        }
        t
    }

    /// How often the server's match index catches up with changes made elsewhere.
    pub fn catch_up_every(self) -> anyhow::Result<std::time::Duration> {
        let Some(seconds) = self.catch_up_seconds else {
            return Ok(rapport_dedupe::CATCH_UP_EVERY);
        };
        match std::time::Duration::try_from_secs_f64(seconds) {
            Ok(every) if !every.is_zero() => Ok(every),
            _ => anyhow::bail!("[dedupe] catch_up_seconds must be a positive number of seconds, not {seconds}"),
        }
    }

    /// The matcher's settings with these thresholds (the server's arrivals, an import's check).
    pub fn settings(self) -> rapport_match::MatchSettings {
        rapport_match::MatchSettings {
            thresholds: self.thresholds(),
            ..Default::default()
        }
    }
}

/// Resolved settings. Debug hides the database URL's password.
pub struct Config {
    pub database_url: String,
    pub addr: String,
    pub phone_region: String,
    pub secure_cookies: bool,
    pub value: crate::analyze_cmd::ValueConfig,
    pub dedupe: DedupeConfig,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("addr", &self.addr)
            .field("phone_region", &self.phone_region)
            .field("secure_cookies", &self.secure_cookies)
            .field("value", &self.value)
            .field("dedupe", &self.dedupe)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[scheme_end..];
    match (rest.find('@'), rest.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!("{}{}:***{}", &url[..scheme_end], &rest[..colon], &rest[at..]),
        _ => url.to_string(),
    }
}

impl FileConfig {
    pub fn load(path: &Path, explicit: bool) -> anyhow::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => Ok(Self::default()),
            Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
        }
    }
}

impl Config {
    pub fn resolve(file: FileConfig, db_flag: Option<String>, addr_flag: Option<String>) -> Self {
        Config {
            database_url: db_flag.or(file.database_url).unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string()),
            addr: addr_flag.or(file.addr).unwrap_or_else(|| DEFAULT_ADDR.to_string()),
            phone_region: file.phone_region.unwrap_or_else(|| "US".to_string()),
            secure_cookies: file.secure_cookies.unwrap_or(false),
            value: file.value,
            dedupe: file.dedupe,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_in_debug_output() {
        let c = Config {
            database_url: "postgres://app:s3cret@db:5432/rapport".into(),
            addr: DEFAULT_ADDR.into(),
            phone_region: "US".into(),
            secure_cookies: false,
            value: Default::default(),
            dedupe: Default::default(),
        };
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres://app:***@db:5432/rapport"));
    }

    #[test]
    fn flags_beat_the_file_which_beats_defaults() {
        let file = FileConfig {
            database_url: Some("sqlite://file.db".into()),
            addr: None,
            phone_region: Some("CN".into()),
            secure_cookies: None,
            value: Default::default(),
            dedupe: Default::default(),
        };
        let c = Config::resolve(file, Some("sqlite://flag.db".into()), None);
        assert_eq!(c.database_url, "sqlite://flag.db");
        assert_eq!(c.addr, DEFAULT_ADDR);
        assert_eq!(c.phone_region, "CN");
    }

    #[test]
    fn the_catch_up_interval_defaults_to_thirty_seconds_and_must_be_positive() {
        let every = |text: &str| toml::from_str::<FileConfig>(text).unwrap().dedupe.catch_up_every();
        assert_eq!(every("").unwrap(), std::time::Duration::from_secs(30));
        assert_eq!(
            every("[dedupe]\ncatch_up_seconds = 0.25").unwrap(),
            std::time::Duration::from_millis(250)
        );
        for bad in ["0", "-5", "nan"] {
            let e = every(&format!("[dedupe]\ncatch_up_seconds = {bad}")).unwrap_err();
            assert!(e.to_string().contains("catch_up_seconds"), "{e}");
        }
    }
}
