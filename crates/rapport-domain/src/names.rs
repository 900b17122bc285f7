//! Guest names in native script and romanised form, and the folding that lets staff find
//! `Zoë Müller` by typing `zoe muller` and `张伟` by typing `zhangwei` or `zhang wei`.

use serde::{Deserialize, Serialize};

/// A guest's name as the hotel records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GuestName {
    /// Mr, Ms, Dr, 先生 …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Given name in Latin script (romanised when the guest's own script is another).
    #[serde(default)]
    pub given: String,
    /// Family name in Latin script.
    #[serde(default)]
    pub family: String,
    /// Full name in the guest's own script when it is not Latin, e.g. `张伟`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native: Option<String>,
}

impl GuestName {
    /// The name to show first: the guest's own script, then the romanised form.
    pub fn display(&self) -> String {
        let latin = self.latin();
        match (&self.native, latin.is_empty()) {
            (Some(n), true) => n.clone(),
            (Some(n), false) => format!("{n} ({latin})"),
            (None, _) => latin,
        }
    }

    /// `Given Family`, the Western order of the romanised name.
    pub fn latin(&self) -> String {
        match (self.given.is_empty(), self.family.is_empty()) {
            (false, false) => format!("{} {}", self.given, self.family),
            (false, true) => self.given.clone(),
            (true, false) => self.family.clone(),
            (true, true) => String::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.given.trim().is_empty() && self.family.trim().is_empty() && self.native.as_deref().is_none_or(|n| n.trim().is_empty())
    }

    /// Folded `given family` used with a phone number as an exact identity key.
    pub fn identity_form(&self) -> String {
        let latin = fold(&self.latin());
        if latin.is_empty() {
            self.native.as_deref().map(fold).unwrap_or_default()
        } else {
            latin
        }
    }
}

/// Folds text for comparison: transliterated to ASCII (accents dropped, Han characters to
/// toneless pinyin), lower-cased, punctuation removed, runs of spaces collapsed.
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut space = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c.to_ascii_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '\'' || c == '.' || c == ',' {
            space = true;
        }
    }
    out
}

/// [`fold`] with the spaces removed: `zhang wei`, `Zhāng Wěi` and `张伟` all become `zhangwei`.
pub fn fold_compact(text: &str) -> String {
    fold(text).replace(' ', "")
}

/// [`fold_name`] without spaces: `沈伟` → `shenwei`.
pub fn fold_name_compact(name: &str) -> String {
    fold_name(name).replace(' ', "")
}

/// Han characters whose reading in a name is not the one [`fold`]'s transliteration table
/// gives (it has `沈` as `chen`, `叶` as `xie`, `宁` as `zhu` and `娜` as `nuo`): surnames
/// with their own reading and common characters of given names. Without them `沈伟` and
/// the `Shen Wei` on the same guest's passport never meet.
const NAME_READINGS: [(char, &str); 22] = [
    ('曾', "zeng"),
    ('叶', "ye"),
    ('沈', "shen"),
    ('薛', "xue"),
    ('单', "shan"),
    ('解', "xie"),
    ('区', "ou"),
    ('查', "zha"),
    ('朴', "piao"),
    ('仇', "qiu"),
    ('覃', "qin"),
    ('盖', "ge"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('柏', "bai"),
    ('万', "wan"),
    ('贲', "ben"),
    ('郇', "huan"),
    ('宁', "ning"),
    ('娜', "na"),
    ('晟', "sheng"),
    ('员', "yun"),
];

/// [`fold`] for a person's name: Han characters read as they are read in names.
pub fn fold_name(name: &str) -> String {
    if !name.chars().any(|c| NAME_READINGS.iter().any(|(h, _)| *h == c)) {
        return fold(name);
    }
    let mut spelled = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        match NAME_READINGS.iter().find(|(h, _)| *h == c) {
            Some((_, reading)) => {
                spelled.push(' ');
                spelled.push_str(reading);
                spelled.push(' ');
            }
            None => spelled.push(c),
        }
    }
    fold(&spelled)
}

/// True when the text holds any character outside Latin script (Han, Cyrillic, …).
pub fn has_non_latin(text: &str) -> bool {
    text.chars().any(|c| c.is_alphabetic() && !c.is_ascii() && (c as u32) > 0x024F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_accents_and_tones() {
        assert_eq!(fold("Zoë  Müller-Lüdenscheidt"), "zoe muller ludenscheidt");
        assert_eq!(fold_compact("Zhāng Wěi"), "zhangwei");
    }

    #[test]
    fn han_characters_fold_to_pinyin() {
        assert_eq!(fold_compact("张伟"), "zhangwei");
        assert_eq!(fold("王 芳"), "wang fang");
    }

    #[test]
    fn names_read_han_characters_as_names_do() {
        assert_eq!(fold_name("沈伟"), "shen wei");
        assert_eq!(fold_name("李娜"), "li na");
        assert_eq!(fold_name("曾 宁"), "zeng ning");
        assert_eq!(fold_name("Zoë 叶"), "zoe ye");
        assert_eq!(fold_name("张伟"), fold("张伟"));
        assert_eq!(fold("沈"), "chen", "the transliteration table's reading, kept for search");
    }

    #[test]
    fn display_puts_the_native_script_first() {
        let n = GuestName {
            given: "Wei".into(),
            family: "Zhang".into(),
            native: Some("张伟".into()),
            title: None,
        };
        assert_eq!(n.display(), "张伟 (Wei Zhang)");
        assert!(has_non_latin("张伟"));
        assert!(!has_non_latin("Zoë"));
    }
}
