//! Every visible string and every formatted number, date and amount goes through [`Tr`]:
//! English and Simplified Chinese, from Fluent catalogues compiled into the binary.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rapport_domain::money::Currency;

/// The console's languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag stored on the user and put in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "en" || tag.starts_with("en-") {
            Some(Lang::En)
        } else if tag == "zh" || tag.starts_with("zh-cn") || tag.starts_with("zh-hans") || tag == "zh-sg" {
            Some(Lang::ZhCn)
        } else {
            None
        }
    }

    /// The first supported language of an `Accept-Language` header, English otherwise.
    pub fn from_accept_language(header: &str) -> Lang {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(Lang::parse)
            .unwrap_or(Lang::En)
    }
}

struct Catalog {
    en: FluentBundle<FluentResource>,
    zh: FluentBundle<FluentResource>,
}

const EN_FTL: &str = include_str!("../locales/en.ftl");
const ZH_FTL: &str = include_str!("../locales/zh-CN.ftl");

fn bundle(tag: &str, source: &str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(_, errors)| panic!("{tag}.ftl does not parse: {errors:?}"));
    let mut bundle = FluentBundle::new_concurrent(vec![tag.parse().expect("language tag")]);
    // No Unicode isolation marks around arguments: names are shown in their own script,
    // and the marks would only get in the way of copying and testing.
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).expect("no duplicate messages");
    bundle
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog {
    en: bundle("en", EN_FTL),
    zh: bundle("zh-CN", ZH_FTL),
});

/// Translator and formatter for one language; cheap to copy into every template.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    fn bundle(&self) -> &'static FluentBundle<FluentResource> {
        match self.lang {
            Lang::En => &CATALOG.en,
            Lang::ZhCn => &CATALOG.zh,
        }
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = self.lang.tag(), "missing translation");
            return key.to_string();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "translation did not format cleanly");
        }
        text.into_owned()
    }

    /// Whether the catalogue has `key` (for labels that fall back to the raw value).
    pub fn has(&self, key: &str) -> bool {
        self.bundle().has_message(key)
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value.to_string()));
        self.format(key, Some(&args))
    }

    /// The message `key` with several numbers, each formatted for the language.
    pub fn numbers(&self, key: &str, values: &[(&str, i64)]) -> String {
        let mut args = FluentArgs::new();
        for (name, n) in values {
            args.set(*name, FluentValue::from(self.number(*n)));
        }
        self.format(key, Some(&args))
    }

    /// The message `key` with a count, for plural forms.
    pub fn count(&self, key: &str, n: impl std::borrow::Borrow<i64>) -> String {
        let n = *n.borrow();
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(n));
        args.set("n", FluentValue::from(self.number(n)));
        self.format(key, Some(&args))
    }

    /// `23 Nov 2026` / `2026年11月23日`.
    pub fn date(&self, d: &NaiveDate) -> String {
        match self.lang {
            Lang::En => d.format("%-d %b %Y").to_string(),
            Lang::ZhCn => d.format("%Y年%-m月%-d日").to_string(),
        }
    }

    /// `Mon 23 Nov` / `11月23日 周一`: a day in the near future or past.
    pub fn short_date(&self, d: &NaiveDate) -> String {
        use chrono::Datelike;
        match self.lang {
            Lang::En => d.format("%a %-d %b").to_string(),
            Lang::ZhCn => {
                const DAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
                format!("{}月{}日 {}", d.month(), d.day(), DAYS[d.weekday().num_days_from_monday() as usize])
            }
        }
    }

    /// A moment in the hotel's (or the group's) time zone.
    pub fn datetime(&self, at: &DateTime<Utc>, tz: Tz) -> String {
        let local = at.with_timezone(&tz);
        match self.lang {
            Lang::En => local.format("%-d %b %Y %H:%M").to_string(),
            Lang::ZhCn => local.format("%Y年%-m月%-d日 %H:%M").to_string(),
        }
    }

    /// `YYYY-MM` as `Nov 2026` / `2026年11月`.
    pub fn month(&self, ym: &str) -> String {
        match NaiveDate::parse_from_str(&format!("{ym}-01"), "%Y-%m-%d") {
            Ok(d) => match self.lang {
                Lang::En => d.format("%b %Y").to_string(),
                Lang::ZhCn => d.format("%Y年%-m月").to_string(),
            },
            Err(_) => ym.to_string(),
        }
    }

    /// The name of month `m` (1–12): `March` / `3月`.
    pub fn month_name(&self, m: u32) -> String {
        match (self.lang, chrono::Month::try_from(m as u8)) {
            (Lang::En, Ok(month)) => month.name().to_string(),
            _ => format!("{m}月"),
        }
    }

    /// Grouped by thousands (both languages group by three on screens like these).
    pub fn number(&self, n: i64) -> String {
        group_thousands(&n.unsigned_abs().to_string(), n < 0)
    }

    /// An amount in minor units with its currency's sign and precision.
    pub fn money(&self, minor: i64, currency: &Currency) -> String {
        let exp = currency.exponent();
        let sign = if minor < 0 { "-" } else { "" };
        let abs = minor.unsigned_abs();
        let unit = 10u64.pow(exp);
        let whole = group_thousands(&(abs / unit).to_string(), false);
        let amount = if exp == 0 {
            whole
        } else {
            format!("{whole}.{:0width$}", abs % unit, width = exp as usize)
        };
        format!("{sign}{}{amount}", currency.symbol())
    }

    /// An amount rounded to whole units, for tables and charts.
    pub fn money_whole(&self, minor: i64, currency: &Currency) -> String {
        let unit = 10i64.pow(currency.exponent());
        let whole = (minor as f64 / unit as f64).round() as i64;
        let sign = if whole < 0 { "-" } else { "" };
        format!(
            "{sign}{}{}",
            currency.symbol(),
            group_thousands(&whole.unsigned_abs().to_string(), false)
        )
    }

    /// `0.4213` as `42.1%`.
    pub fn percent(&self, share: f64) -> String {
        format!("{:.1}%", share * 100.0)
    }
}

fn group_thousands(digits: &str, negative: bool) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if negative {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message_ids(source: &str) -> std::collections::BTreeSet<String> {
        source
            .lines()
            .filter(|l| !l.starts_with([' ', '#', '\t', '-', '*', '[']) && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap().trim().to_string())
            .collect()
    }

    #[test]
    fn both_catalogues_translate_the_same_messages() {
        let (en, zh) = (message_ids(EN_FTL), message_ids(ZH_FTL));
        assert!(en.len() > 50, "the catalogue was read: {}", en.len());
        let only_en: Vec<_> = en.difference(&zh).collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        assert!(
            only_en.is_empty() && only_zh.is_empty(),
            "untranslated: {only_en:?}; only in Chinese: {only_zh:?}"
        );
        // Every message formats without error in both languages.
        for lang in Lang::ALL {
            let tr = Tr::new(lang);
            for id in &en {
                let bundle = tr.bundle();
                let msg = bundle.get_message(id).unwrap_or_else(|| panic!("{id} in {}", lang.tag()));
                assert!(msg.value().is_some(), "{id} has a value in {}", lang.tag());
            }
        }
    }

    #[test]
    fn amounts_dates_and_numbers_follow_the_language() {
        let en = Tr::new(Lang::En);
        let zh = Tr::new(Lang::ZhCn);
        let eur = Currency::parse("EUR").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(en.money(123_456_789, &eur), "€1,234,567.89");
        assert_eq!(en.money(-5, &eur), "-€0.05");
        assert_eq!(zh.money(1200, &jpy), "¥1,200");
        assert_eq!(en.money_whole(123_456_789, &eur), "€1,234,568");
        let d = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(en.date(&d), "3 Nov 2026");
        assert_eq!(zh.date(&d), "2026年11月3日");
        assert_eq!(zh.short_date(&d), "11月3日 周二");
        assert_eq!(zh.month("2026-11"), "2026年11月");
        assert_eq!(en.number(-1234567), "-1,234,567");
        assert_eq!(en.number(999), "999");
    }

    #[test]
    fn plural_counts_read_naturally() {
        assert_eq!(Tr::new(Lang::En).count("stays-count", 1), "1 stay");
        assert_eq!(Tr::new(Lang::En).count("stays-count", 1200), "1,200 stays");
        assert_eq!(Tr::new(Lang::ZhCn).count("stays-count", 3), "3 次入住");
    }

    #[test]
    fn accept_language_picks_chinese_or_falls_back_to_english() {
        assert_eq!(Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language("fr-FR, en-GB;q=0.8"), Lang::En);
        assert_eq!(Lang::from_accept_language("de"), Lang::En);
    }
}
