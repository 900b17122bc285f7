//! A whole name from one column (`Mrs. Debra Jackson DDS`) split into title, given and
//! family name.
//!
//! PMS exports often hold the name as printed on a letter: an honorific in front and a
//! generational or professional suffix behind. Split blindly at the last space, the suffix
//! became the family name and the honorific stayed inside the given name, so the guest was
//! addressed as "Mrs DDS" and a search for `Debra Jackson` found nothing.

use serde::Deserialize;

use crate::names::GuestName;

/// Which end of a whole name holds the family name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameOrder {
    /// `Ann Lee`: the last word is the family name.
    #[default]
    GivenFamily,
    /// `Zhang Wei`: the first word is the family name.
    FamilyGiven,
}

/// Honorifics recognised in front of a name, in the spelling stored as the title: the
/// dot of the abbreviation dropped, as British usage and most PMS title lists write them.
const HONORIFICS: [&str; 9] = ["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Rev", "Mstr"];

/// Suffixes that end a name without being part of it. Compared without dots and case, so
/// `Ph.D.`, `PhD` and `phd` are one. They are dropped, not stored: [`GuestName`] has no
/// field for them and none of its fields fits. The title is the salutation printed before
/// the name (`Dear Mrs Jackson`), so `Mrs DDS` there would be printed too; in the family
/// name the suffix is what broke search. A credential is no part of who the guest is, and
/// the row it came from stays traceable through its stay's external reference.
const PROFESSIONAL: [&str; 9] = ["md", "dds", "dmd", "dvm", "phd", "esq", "cpa", "rn", "jd"];

/// Generational suffixes, upper case only: `III` but not a family name such as `Iv`.
const GENERATIONAL: [&str; 6] = ["Jr", "Sr", "II", "III", "IV", "V"];

/// Lower-case words that belong to the family name that follows them (`Maria van der
/// Berg`, `Juan De la Cruz`), compared without case.
const PARTICLES: [&str; 17] = [
    "van", "von", "der", "den", "de", "la", "le", "del", "della", "di", "da", "dos", "das", "du", "ten", "ter", "bin",
];

/// Splits a whole name: a leading honorific becomes the title (`Mrs.` → `Mrs`), trailing
/// suffixes (`DDS`, `Jr.`, `III`) are dropped, and the rest splits at the mapping's order.
/// In `Given Family` order the family name is the last word with the particles before it
/// (`Mary Ann Smith` → `Mary Ann` / `Smith`, `Maria van der Berg` → `Maria` / `van der
/// Berg`); in `Family Given` order it is the first word. A single word is the given name,
/// or the family name after a title (`Mr. Smith`). Nothing that could be the name itself
/// is taken for a title or suffix: at least one word always stays, two when a suffix goes.
pub fn split_full_name(full: &str, order: NameOrder) -> GuestName {
    let mut words: Vec<&str> = full.split_whitespace().collect();
    let title = match words.first().and_then(|w| honorific(w)) {
        Some(t) if words.len() > 1 => {
            words.remove(0);
            Some(t.to_string())
        }
        _ => None,
    };
    // `Smith, Jr.`: the comma belongs to the suffix, not the family name.
    while words.len() > 2 && is_suffix(words[words.len() - 1]) {
        words.pop();
        if let Some(last) = words.last_mut() {
            *last = last.trim_end_matches(',');
        }
    }
    let (given, family) = match (order, words.len()) {
        (_, 0) => (Vec::new(), Vec::new()),
        (_, 1) if title.is_some() => (Vec::new(), words),
        (_, 1) => (words, Vec::new()),
        (NameOrder::GivenFamily, n) => {
            let mut start = n - 1;
            while start > 1 && is_particle(words[start - 1]) {
                start -= 1;
            }
            let family = words.split_off(start);
            (words, family)
        }
        (NameOrder::FamilyGiven, _) => {
            let given = words.split_off(1);
            (given, words)
        }
    };
    GuestName {
        title,
        given: given.join(" "),
        family: family.join(" "),
        native: None,
    }
}

fn bare(word: &str) -> String {
    word.chars().filter(|c| *c != '.' && *c != ',').collect()
}

fn honorific(word: &str) -> Option<&'static str> {
    let word = bare(word);
    HONORIFICS.into_iter().find(|h| h.eq_ignore_ascii_case(&word))
}

fn is_suffix(word: &str) -> bool {
    let word = bare(word);
    PROFESSIONAL.iter().any(|s| s.eq_ignore_ascii_case(&word)) || GENERATIONAL.contains(&word.as_str())
}

fn is_particle(word: &str) -> bool {
    PARTICLES.iter().any(|p| p.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(full: &str) -> (Option<String>, String, String) {
        let n = split_full_name(full, NameOrder::GivenFamily);
        (n.title, n.given, n.family)
    }

    fn name(title: Option<&str>, given: &str, family: &str) -> (Option<String>, String, String) {
        (title.map(str::to_string), given.into(), family.into())
    }

    #[test]
    fn plain_names_split_at_the_last_space() {
        assert_eq!(split("Ernest  Barnes"), name(None, "Ernest", "Barnes"));
        assert_eq!(split("Mary Ann Smith"), name(None, "Mary Ann", "Smith"));
        assert_eq!(split("Cher"), name(None, "Cher", ""));
        assert_eq!(split("  "), name(None, "", ""));
        // `Le` is a family name in the sample file, not a particle without a name after it.
        assert_eq!(split("Christina Le"), name(None, "Christina", "Le"));
    }

    #[test]
    fn honorifics_from_the_sample_file_become_the_title() {
        assert_eq!(split("Mrs. Debra Jackson DDS"), name(Some("Mrs"), "Debra", "Jackson"));
        assert_eq!(split("Dr. Victor Martin"), name(Some("Dr"), "Victor", "Martin"));
        assert_eq!(split("Miss Patricia Davidson"), name(Some("Miss"), "Patricia", "Davidson"));
        assert_eq!(split("Mr. Ryan Wright"), name(Some("Mr"), "Ryan", "Wright"));
        assert_eq!(split("Ms. Sierra Blanchard"), name(Some("Ms"), "Sierra", "Blanchard"));
        assert_eq!(split("Dr. Mark Singleton MD"), name(Some("Dr"), "Mark", "Singleton"));
        assert_eq!(split("Mr. Jason Johnson Jr."), name(Some("Mr"), "Jason", "Johnson"));
        // Stored in one spelling, without the dot, whatever the export's case.
        assert_eq!(split("MR Ernest Barnes"), name(Some("Mr"), "Ernest", "Barnes"));
    }

    #[test]
    fn suffixes_from_the_sample_file_are_not_the_family_name() {
        for (full, given, family) in [
            ("Diana Mcdowell DDS", "Diana", "Mcdowell"),
            ("Lindsay Martinez DVM", "Lindsay", "Martinez"),
            ("Devin Perkins II", "Devin", "Perkins"),
            ("Alejandro Kennedy III", "Alejandro", "Kennedy"),
            ("Christopher Briggs Jr.", "Christopher", "Briggs"),
            ("Lee Ramirez MD", "Lee", "Ramirez"),
            ("Priscilla Collins PhD", "Priscilla", "Collins"),
            ("Mr. Arthur Lawson V", "Arthur", "Lawson"),
            // Spellings of other exports.
            ("John Smith, Jr.", "John", "Smith"),
            ("Anne Hill Ph.D.", "Anne", "Hill"),
            ("Tom Reed Sr. MD", "Tom", "Reed"),
        ] {
            let n = split_full_name(full, NameOrder::GivenFamily);
            assert_eq!((n.given.as_str(), n.family.as_str()), (given, family), "{full}");
        }
    }

    #[test]
    fn what_could_be_the_name_itself_is_kept() {
        // Two words stay when a suffix goes: an initial or a family name that reads as one.
        assert_eq!(split("Ramesh V"), name(None, "Ramesh", "V"));
        assert_eq!(split("Jane Md"), name(None, "Jane", "Md"));
        // A title is only taken when a name follows it.
        assert_eq!(split("Miss"), name(None, "Miss", ""));
        assert_eq!(split("Mr. Smith"), name(Some("Mr"), "", "Smith"));
        // Roman numerals are suffixes only in upper case.
        assert_eq!(split("Anna Maria Iv"), name(None, "Anna Maria", "Iv"));
        // A given name that begins with an honorific's letters is no honorific.
        assert_eq!(split("Missy Elliott"), name(None, "Missy", "Elliott"));
    }

    #[test]
    fn particles_stay_with_the_family_name() {
        assert_eq!(split("Maria van der Berg"), name(None, "Maria", "van der Berg"));
        assert_eq!(split("Juan De la Cruz"), name(None, "Juan", "De la Cruz"));
        assert_eq!(
            split("Dr. Juan Carlos de la Cruz Jr."),
            name(Some("Dr"), "Juan Carlos", "de la Cruz")
        );
        assert_eq!(split("Ana dos Santos"), name(None, "Ana", "dos Santos"));
        // The first word is always the given name, even when it reads as a particle.
        assert_eq!(split("Van Morrison"), name(None, "Van", "Morrison"));
        assert_eq!(split("Maria da Graça Souza"), name(None, "Maria da Graça", "Souza"));
    }

    #[test]
    fn family_first_order_takes_the_first_word() {
        let n = split_full_name("Zhang Wei", NameOrder::FamilyGiven);
        assert_eq!((n.given.as_str(), n.family.as_str()), ("Wei", "Zhang"));
        let n = split_full_name("Dr. Zhang Xiao Wei", NameOrder::FamilyGiven);
        assert_eq!(
            (n.title.as_deref(), n.given.as_str(), n.family.as_str()),
            (Some("Dr"), "Xiao Wei", "Zhang")
        );
    }
}
