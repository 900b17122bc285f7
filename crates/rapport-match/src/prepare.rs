//! A person normalised once, so comparing a pair costs string equality and a few
//! Jaro-Winkler calls.
//!
//! Names are folded by the domain's own [`fold`] (accents dropped, Han characters to
//! toneless pinyin, the same folding search uses), so `张伟`, `Zhāng Wěi` and `zhang wei`
//! meet. Phones keep their last nine digits, enough to tell people apart and blind to how
//! the country code or trunk prefix was written. Document numbers are also kept with
//! OCR-confusable characters unified (`O`→`0`, `I`/`l`→`1`, `S`→`5`, `B`→`8`, `Z`→`2`).

use rapport_domain::names::{fold, fold_name, has_non_latin};

use crate::nicknames;
use crate::person::{BirthDate, Person};
use crate::phonetic::soundex;

/// One name part (given or family), folded.
#[derive(Debug, Clone, Default)]
pub struct NamePart {
    /// Folded, words separated by single spaces: `maria luisa`.
    pub text: String,
    /// [`NamePart::text`] without spaces: `marialuisa`, `xiaoming`.
    pub compact: String,
    /// Soundex of [`NamePart::compact`].
    pub sound: String,
    /// Nickname groups of the first word (see [`crate::nicknames`]).
    pub nickname_groups: &'static [u16],
}

impl NamePart {
    fn new(raw: &str) -> Self {
        let text = strip_titles(&fold_name(raw));
        let compact = text.replace(' ', "");
        let nickname_groups = nicknames::groups(text.split(' ').next().unwrap_or(""));
        NamePart {
            sound: soundex(&compact),
            text,
            compact,
            nickname_groups,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.compact.is_empty()
    }

    /// True for `J` or `J.`: only an initial was recorded.
    pub fn is_initial(&self) -> bool {
        self.compact.len() == 1
    }

    /// Different names that are forms of one (`Bill`, `William`).
    pub fn nickname_of(&self, other: &NamePart) -> bool {
        self.compact != other.compact && nicknames::share_a_group(self.nickname_groups, other.nickname_groups)
    }
}

/// A person ready to compare. Empty means missing throughout.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    pub given: NamePart,
    pub family: NamePart,
    /// Birth date as eight digits `yyyymmdd` when it reads as one (valid or not), else the
    /// digits typed; empty when unknown.
    pub birth: String,
    pub emails: Vec<String>,
    /// Last nine digits of each phone.
    pub phones: Vec<String>,
    /// Folded street words, abbreviations expanded, sorted.
    pub street: Vec<String>,
    pub postcode: String,
    pub city: String,
    pub company: String,
    /// Upper-case letters and digits of the document number.
    pub id_document: String,
    /// [`Prepared::id_document`] with OCR-confusable characters unified.
    pub id_document_ocr: String,
    /// Upper-case letters of the country: an ISO code (`CN`, `CHN`) or a name.
    pub country: String,
}

impl Prepared {
    pub fn new(p: &Person) -> Self {
        let (given, family) = name_parts(p);
        let birth = match &p.birth_date {
            Some(BirthDate::Date(d)) => d.format("%Y%m%d").to_string(),
            Some(BirthDate::Text(t)) => birth_digits(t),
            None => String::new(),
        };
        let mut emails: Vec<String> = p
            .emails
            .iter()
            .map(|e| e.trim().to_lowercase())
            .filter(|e| e.contains('@'))
            .collect();
        emails.sort_unstable();
        emails.dedup();
        let mut phones: Vec<String> = p.phones.iter().filter_map(|x| phone_key(x)).collect();
        phones.sort_unstable();
        phones.dedup();
        let id_document: String = p
            .id_document
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        Prepared {
            given,
            family,
            birth,
            emails,
            phones,
            street: street_words(&p.street),
            postcode: p
                .postcode
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect(),
            city: fold(&p.city).replace(' ', ""),
            company: company_name(&p.company),
            id_document_ocr: id_document.chars().map(ocr_unify).collect(),
            country: fold(&p.country).replace(' ', "").to_ascii_uppercase(),
            id_document,
        }
    }
}

/// Given and family name parts, splitting a full name recorded in one field.
fn name_parts(p: &Person) -> (NamePart, NamePart) {
    let (mut given, mut family) = (p.given_name.trim().to_string(), p.family_name.trim().to_string());
    if given.is_empty() && family.is_empty() {
        given = p.native_name.trim().to_string();
    }
    if family.is_empty() || given.is_empty() {
        let whole = if given.is_empty() { family.clone() } else { given.clone() };
        if let Some((g, f)) = split_whole_name(&whole) {
            (given, family) = (g, f);
        }
    }
    (NamePart::new(&given), NamePart::new(&family))
}

/// Chinese family names of two characters; every other Han name starts with one.
const COMPOUND_SURNAMES: [&str; 14] = [
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "司徒", "慕容", "令狐", "夏侯", "尉迟", "公孙", "长孙", "宇文",
];

/// `张伟` → (`伟`, `张`); `John Smith` → (`John`, `Smith`); a single word stays unsplit.
fn split_whole_name(whole: &str) -> Option<(String, String)> {
    let compact: String = whole.chars().filter(|c| !c.is_whitespace()).collect();
    if has_non_latin(&compact) && compact.chars().all(|c| !c.is_ascii()) {
        let n = compact.chars().count();
        let family_len = if COMPOUND_SURNAMES.iter().any(|s| compact.starts_with(s)) {
            2
        } else {
            1
        };
        if n > family_len {
            let family: String = compact.chars().take(family_len).collect();
            let given: String = compact.chars().skip(family_len).collect();
            return Some((given, family));
        }
        return None;
    }
    let (g, f) = whole.trim().rsplit_once(' ')?;
    Some((g.trim().to_string(), f.trim().to_string()))
}

fn strip_titles(folded: &str) -> String {
    const TITLES: [&str; 9] = ["mr", "mrs", "ms", "miss", "dr", "prof", "herr", "frau", "mme"];
    let words: Vec<&str> = folded.split(' ').collect();
    if words.len() > 1 && TITLES.contains(&words[0]) {
        words[1..].join(" ")
    } else {
        folded.to_string()
    }
}

/// The digits of a birth date in `yyyymmdd` order when its shape says which part is the
/// year (`1956-04-31`, `31.04.1956`, `31/4/56`), else all its digits as typed.
pub fn birth_digits(raw: &str) -> String {
    let parts: Vec<&str> = raw.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect();
    let pad = |s: &str| format!("{:0>2}", s);
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => format!("{y}{}{}", pad(m), pad(d)),
        [d, m, y] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => format!("{y}{}{}", pad(m), pad(d)),
        [d, m, y] if y.len() == 2 && m.len() <= 2 && d.len() <= 2 => {
            // Two-digit years: a guest is born in the last century unless that makes them
            // over a hundred.
            let century = if y.as_bytes()[0] <= b'2' { "20" } else { "19" };
            format!("{century}{y}{}{}", pad(m), pad(d))
        }
        _ => parts.concat(),
    }
}

/// The last nine digits of a phone (after reading OCR-confused letters as digits), or
/// `None` when it holds fewer than seven: `n/a`, `000`, an extension.
pub fn phone_key(raw: &str) -> Option<String> {
    let digits: String = raw
        .chars()
        .map(|c| match c {
            'O' | 'o' => '0',
            'l' | 'I' => '1',
            'S' => '5',
            _ => c,
        })
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() < 7 || digits.bytes().all(|b| b == digits.as_bytes()[0]) {
        return None;
    }
    Some(digits[digits.len().saturating_sub(9)..].to_string())
}

fn street_words(raw: &str) -> Vec<String> {
    let mut words: Vec<String> = fold(raw)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| {
            match w {
                "st" | "str" => "street",
                "rd" => "road",
                "ave" | "av" => "avenue",
                "blvd" => "boulevard",
                "ln" => "lane",
                "dr" => "drive",
                "sq" => "square",
                "apt" => "apartment",
                "no" | "nr" => "number",
                "lu" => "road",
                _ => w,
            }
            .to_string()
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

fn company_name(raw: &str) -> String {
    const FORMS: [&str; 16] = [
        "ltd",
        "limited",
        "inc",
        "gmbh",
        "co",
        "corp",
        "corporation",
        "llc",
        "sa",
        "ag",
        "plc",
        "group",
        "the",
        "company",
        "srl",
        "bv",
    ];
    fold(raw)
        .split(' ')
        .filter(|w| !w.is_empty() && !FORMS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Characters an OCR reader or a hurried clerk confuses, mapped to one representative.
pub fn ocr_unify(c: char) -> char {
    match c {
        'O' | 'Q' | 'D' => '0',
        'I' | 'L' => '1',
        'S' => '5',
        'B' => '8',
        'Z' => '2',
        'G' => '6',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(given: &str, family: &str) -> Person {
        Person {
            given_name: given.into(),
            family_name: family.into(),
            ..Default::default()
        }
    }

    #[test]
    fn chinese_characters_fold_to_pinyin_parts() {
        let p = Prepared::new(&person("伟", "张"));
        assert_eq!((p.given.compact.as_str(), p.family.compact.as_str()), ("wei", "zhang"));
        let whole = Prepared::new(&Person {
            native_name: "欧阳小明".into(),
            ..Default::default()
        });
        assert_eq!(
            (whole.given.compact.as_str(), whole.family.compact.as_str()),
            ("xiaoming", "ouyang")
        );
    }

    #[test]
    fn a_whole_name_in_one_field_is_split() {
        let p = Prepared::new(&person("Mr John Smith", ""));
        assert_eq!((p.given.text.as_str(), p.family.text.as_str()), ("john", "smith"));
    }

    #[test]
    fn birth_dates_read_in_any_order_and_invalid_ones_stay_digits() {
        assert_eq!(birth_digits("1956-4-3"), "19560403");
        assert_eq!(birth_digits("31.04.1956"), "19560431");
        assert_eq!(birth_digits("19560431"), "19560431");
        assert_eq!(birth_digits("3/4/56"), "19560403");
    }

    #[test]
    fn phones_keep_their_last_nine_digits() {
        assert_eq!(phone_key("+86 138-1234-5678").as_deref(), Some("812345678"));
        assert_eq!(phone_key("138 1234 5678").as_deref(), Some("812345678"));
        assert_eq!(phone_key("000000000"), None);
        assert_eq!(phone_key("n/a"), None);
    }
}
