//! Where a guest comes from: country, language, how their phone numbers and email
//! addresses look, and which hotels draw which nationalities.

/// A guest's home market. Names, phones, email providers and cities follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    /// Mainland China: names in simplified characters with pinyin.
    China,
    /// Hong Kong: traditional characters with Cantonese romanisation.
    HongKong,
    /// Singapore: Chinese (Hokkien/Teochew romanisation), Malay and Indian names.
    Singapore,
    Japan,
    Korea,
    Portugal,
    Brazil,
    Spain,
    France,
    Germany,
    Italy,
    Britain,
    UnitedStates,
    Australia,
}

impl Locale {
    /// ISO 3166-1 alpha-2 country code.
    pub fn country(self) -> &'static str {
        match self {
            Self::China => "CN",
            Self::HongKong => "HK",
            Self::Singapore => "SG",
            Self::Japan => "JP",
            Self::Korea => "KR",
            Self::Portugal => "PT",
            Self::Brazil => "BR",
            Self::Spain => "ES",
            Self::France => "FR",
            Self::Germany => "DE",
            Self::Italy => "IT",
            Self::Britain => "GB",
            Self::UnitedStates => "US",
            Self::Australia => "AU",
        }
    }

    /// BCP 47 tag of the language the guest is addressed in.
    pub fn language(self) -> &'static str {
        match self {
            Self::China => "zh-CN",
            Self::HongKong => "zh-HK",
            Self::Singapore => "en-SG",
            Self::Japan => "ja",
            Self::Korea => "ko",
            Self::Portugal => "pt-PT",
            Self::Brazil => "pt-BR",
            Self::Spain => "es",
            Self::France => "fr",
            Self::Germany => "de",
            Self::Italy => "it",
            Self::Britain => "en-GB",
            Self::UnitedStates => "en-US",
            Self::Australia => "en-AU",
        }
    }

    /// Home cities, for addresses.
    pub fn cities(self) -> &'static [&'static str] {
        match self {
            Self::China => &[
                "Shanghai",
                "Beijing",
                "Hangzhou",
                "Nanjing",
                "Shenzhen",
                "Guangzhou",
                "Chengdu",
                "Suzhou",
                "Wuhan",
            ],
            Self::HongKong => &["Hong Kong", "Kowloon"],
            Self::Singapore => &["Singapore"],
            Self::Japan => &["Tokyo", "Osaka", "Yokohama", "Nagoya", "Kyoto"],
            Self::Korea => &["Seoul", "Busan", "Incheon"],
            Self::Portugal => &["Lisboa", "Porto", "Braga", "Coimbra", "Faro"],
            Self::Brazil => &["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba"],
            Self::Spain => &["Madrid", "Barcelona", "Valencia", "Sevilla", "Málaga"],
            Self::France => &["Paris", "Lyon", "Marseille", "Bordeaux", "Nantes", "Toulouse"],
            Self::Germany => &["Berlin", "München", "Hamburg", "Köln", "Frankfurt am Main", "Düsseldorf"],
            Self::Italy => &["Milano", "Roma", "Torino", "Firenze", "Bologna"],
            Self::Britain => &["London", "Manchester", "Edinburgh", "Bristol", "Leeds", "Oxford"],
            Self::UnitedStates => &["New York", "San Francisco", "Chicago", "Boston", "Seattle", "Los Angeles"],
            Self::Australia => &["Sydney", "Melbourne", "Brisbane", "Perth"],
        }
    }

    /// Personal email providers with their share. All under the reserved `.example` top
    /// level domain (RFC 2606): demo data must never address a real mailbox, even if a
    /// campaign is run against it by mistake.
    pub fn mail_providers(self) -> &'static [(&'static str, f64)] {
        match self {
            Self::China => &[
                ("qq.example", 0.4),
                ("163.example", 0.3),
                ("126.example", 0.1),
                ("sina.example", 0.1),
                ("gmail.example", 0.1),
            ],
            Self::HongKong => &[("netvigator.example", 0.3), ("gmail.example", 0.5), ("yahoo.example", 0.2)],
            Self::Singapore => &[("singnet.example", 0.3), ("gmail.example", 0.5), ("hotmail.example", 0.2)],
            Self::Japan => &[("docomo.example", 0.3), ("yahoo.example", 0.3), ("gmail.example", 0.4)],
            Self::Korea => &[("naver.example", 0.5), ("daum.example", 0.2), ("gmail.example", 0.3)],
            Self::Portugal => &[("sapo.example", 0.3), ("gmail.example", 0.5), ("hotmail.example", 0.2)],
            Self::Brazil => &[("uol.example", 0.3), ("gmail.example", 0.5), ("hotmail.example", 0.2)],
            Self::Spain => &[("telefonica.example", 0.2), ("gmail.example", 0.5), ("hotmail.example", 0.3)],
            Self::France => &[
                ("orange.example", 0.3),
                ("free.example", 0.2),
                ("laposte.example", 0.1),
                ("gmail.example", 0.4),
            ],
            Self::Germany => &[
                ("gmx.example", 0.35),
                ("web.example", 0.3),
                ("t-online.example", 0.15),
                ("gmail.example", 0.2),
            ],
            Self::Italy => &[("libero.example", 0.4), ("gmail.example", 0.4), ("tiscali.example", 0.2)],
            Self::Britain => &[("btinternet.example", 0.2), ("gmail.example", 0.5), ("outlook.example", 0.3)],
            Self::UnitedStates => &[
                ("gmail.example", 0.5),
                ("yahoo.example", 0.2),
                ("outlook.example", 0.15),
                ("icloud.example", 0.15),
            ],
            Self::Australia => &[("bigpond.example", 0.3), ("gmail.example", 0.5), ("outlook.example", 0.2)],
        }
    }
}
