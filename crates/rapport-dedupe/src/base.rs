//! Reading the whole base for matching.

use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rapport_match::Person;
use rapport_store::{Result, Store};

/// Profiles read per query: large enough that a round trip is noise, small enough that a
/// page of documents is a few megabytes.
pub const PAGE: i64 = 10_000;

/// Every live profile (merged-away ones left out) as a matcher person, lowest id first. Pages
/// by id (keyset), so each page is an index range scan whatever the size of the base; the
/// documents of a page are dropped as soon as their persons are built.
pub async fn live_people(store: &Arc<dyn Store>, bar: &ProgressBar) -> Result<Vec<Person>> {
    let mut people = Vec::new();
    let mut after = 0;
    loop {
        let page = store.live_guests_after(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        people.extend(page.iter().map(Person::from));
        bar.set_position(people.len() as u64);
        if (page.len() as i64) < PAGE {
            break;
        }
    }
    Ok(people)
}

/// A bar on stderr in the import's style, or a hidden one.
pub fn bar(visible: bool, total: u64, what: &str) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} {msg}")
            .expect("progress template")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

/// Says, in the log, which fields the base gave no duplicates to learn from: they are scored
/// with the matcher's reference model (`docs/dedupe.md`, "A base that teaches nothing").
pub fn log_reference_fields(fields: &[String]) {
    if !fields.is_empty() {
        tracing::info!(
            ?fields,
            "no duplicates in the base to learn from: these fields are scored with the reference model"
        );
    }
}
