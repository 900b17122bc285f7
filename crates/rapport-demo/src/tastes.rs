//! What a guest likes, cannot have, and is known for: typed preferences, allergies and
//! taboos, tags.

use rand::Rng;
use rapport_domain::guest::{Preference, PreferenceKind, Taboo, TabooKind};

use crate::locale::Locale;
use crate::random::{pick, DemoRng};

fn pref(kind: PreferenceKind, key: &str, value: &str) -> Preference {
    Preference {
        kind,
        key: key.into(),
        value: value.into(),
    }
}

/// Typed preferences; regular and valuable guests have more of them on file.
pub fn preferences(rng: &mut DemoRng, locale: Locale, regular: bool, business: bool) -> Vec<Preference> {
    use PreferenceKind::{Food, Room, Service};
    let mut out = Vec::new();
    let p_any = if regular { 0.8 } else { 0.35 };
    if !rng.gen_bool(p_any) {
        return out;
    }
    if rng.gen_bool(0.5) {
        out.push(pref(Room, "floor", pick(rng, &["high", "high", "low", "middle"])));
    }
    if rng.gen_bool(0.45) {
        out.push(pref(Room, "bed", pick(rng, &["king", "king", "twin", "double"])));
    }
    if rng.gen_bool(0.3) {
        let pillows: &[&str] = if matches!(locale, Locale::China | Locale::Japan | Locale::Korea) {
            &["buckwheat", "buckwheat", "memory foam", "firm"]
        } else {
            &["feather", "memory foam", "hypoallergenic", "firm", "soft"]
        };
        out.push(pref(Room, "pillow", pick(rng, pillows)));
    }
    let smoker = match locale {
        Locale::China | Locale::Japan | Locale::Korea => 0.1,
        _ => 0.03,
    };
    if rng.gen_bool(0.25) {
        out.push(pref(
            Room,
            "smoking",
            if rng.gen_bool(smoker * 4.0) { "smoking" } else { "non-smoking" },
        ));
    }
    if rng.gen_bool(0.25) {
        out.push(pref(
            Room,
            "quiet",
            pick(rng, &["away from lift", "quiet side", "courtyard view", "not near housekeeping"]),
        ));
    }
    if rng.gen_bool(0.12) {
        out.push(pref(
            Room,
            "amenities",
            pick(rng, &["iron and board", "humidifier", "yoga mat", "extra towels", "coffee machine"]),
        ));
    }
    if rng.gen_bool(0.18) {
        let diet = match locale {
            Locale::Singapore if rng.gen_bool(0.3) => "halal",
            Locale::China if rng.gen_bool(0.3) => "no beef",
            _ => pick(
                rng,
                &[
                    "vegetarian",
                    "vegetarian",
                    "vegan",
                    "gluten-free",
                    "low-sodium",
                    "pescatarian",
                    "kosher",
                ],
            ),
        };
        out.push(pref(Food, "diet", diet));
    }
    if rng.gen_bool(0.15) {
        let breakfast = match locale {
            Locale::China => pick(rng, &["congee", "dim sum", "soy milk and youtiao"]),
            Locale::Japan => pick(rng, &["Japanese set", "miso soup"]),
            Locale::Britain => pick(rng, &["full English", "porridge"]),
            _ => pick(rng, &["continental", "room service 07:00", "eggs Benedict", "fruit plate"]),
        };
        out.push(pref(Food, "breakfast", breakfast));
    }
    if rng.gen_bool(0.1) {
        out.push(pref(
            Food,
            "drink",
            pick(
                rng,
                &["green tea", "sparkling water", "oat milk", "still water, no ice", "espresso"],
            ),
        ));
    }
    if rng.gen_bool(0.15) {
        let paper = match locale {
            Locale::China => "China Daily",
            Locale::HongKong => "South China Morning Post",
            Locale::France => "Le Monde",
            Locale::Portugal => "Público",
            Locale::Germany => "Frankfurter Allgemeine",
            Locale::Japan => "Nikkei",
            Locale::Spain => "El País",
            _ => "Financial Times",
        };
        out.push(pref(Service, "newspaper", paper));
    }
    if business && rng.gen_bool(0.2) {
        out.push(pref(Service, "wake_up_call", pick(rng, &["06:00", "06:30", "07:00"])));
    }
    if rng.gen_bool(0.1) {
        out.push(pref(
            Service,
            "housekeeping",
            pick(rng, &["after 11:00", "no turndown", "evening turndown", "every other day"]),
        ));
    }
    if rng.gen_bool(0.06) {
        out.push(pref(Service, "transfer", "airport pickup"));
    }
    out
}

/// Allergies, taboos and dislikes, for a minority of guests.
pub fn taboos(rng: &mut DemoRng, locale: Locale) -> Vec<Taboo> {
    let mut out = Vec::new();
    if rng.gen_bool(0.07) {
        let what = pick(
            rng,
            &[
                "peanuts",
                "tree nuts",
                "shellfish",
                "gluten",
                "lactose",
                "eggs",
                "sesame",
                "feather and down",
                "dust mites",
                "lilies and pollen",
                "latex",
            ],
        );
        out.push(Taboo {
            kind: TabooKind::Allergy,
            description: what.into(),
        });
    }
    let east_asian = matches!(
        locale,
        Locale::China | Locale::HongKong | Locale::Japan | Locale::Korea | Locale::Singapore
    );
    if rng.gen_bool(if east_asian { 0.12 } else { 0.02 }) {
        let what = if east_asian {
            pick(
                rng,
                &[
                    "no room number containing 4",
                    "no room number containing 4",
                    "no white flowers in the room",
                    "no clocks as gifts",
                ],
            )
        } else {
            pick(rng, &["no room 13", "no 13th floor"])
        };
        out.push(Taboo {
            kind: TabooKind::Taboo,
            description: what.into(),
        });
    }
    if rng.gen_bool(0.06) {
        let what = pick(
            rng,
            &[
                "coriander",
                "rooms near the lift",
                "strong fragrances",
                "spicy food",
                "carpeted rooms",
                "mushrooms",
            ],
        );
        out.push(Taboo {
            kind: TabooKind::Dislike,
            description: what.into(),
        });
    }
    out
}

/// The allergy a guest has on file, for notes that mention it.
pub fn allergy(taboos: &[Taboo]) -> Option<&str> {
    taboos.iter().find(|t| t.kind == TabooKind::Allergy).map(|t| t.description.as_str())
}

/// Interests staff picked up; sorted, as the profile keeps them.
pub fn tags(rng: &mut DemoRng, facts: &[(bool, &'static str)]) -> Vec<String> {
    let mut tags: Vec<String> = facts.iter().filter(|(yes, _)| *yes).map(|(_, t)| (*t).to_string()).collect();
    if rng.gen_bool(0.15) {
        tags.push(
            pick(
                rng,
                &["wine lover", "golfer", "spa lover", "foodie", "art lover", "runner", "photographer"],
            )
            .to_string(),
        );
    }
    tags.sort();
    tags.dedup();
    tags
}

/// Fictional employers by market, with the domain of their work addresses.
pub fn company(rng: &mut DemoRng, locale: Locale) -> (&'static str, &'static str) {
    let local: &[(&str, &str)] = match locale {
        Locale::China => &[
            ("Huaxin Technology", "huaxin-tech.example"),
            ("Pudong Logistics", "pudong-logistics.example"),
            ("Zhongtian Securities", "zhongtian-sec.example"),
            ("Jiangnan Textiles", "jiangnan-textiles.example"),
            ("Lanting Pharmaceuticals", "lanting-pharma.example"),
        ],
        Locale::HongKong | Locale::Singapore => &[
            ("Straits Shipping", "straits-shipping.example"),
            ("Harbour Front Capital", "harbourfront.example"),
            ("Lion City Foods", "lioncity-foods.example"),
        ],
        Locale::Japan => &[
            ("Tokai Precision", "tokai-precision.example"),
            ("Sakura Trading", "sakura-trading.example"),
        ],
        Locale::Korea => &[("Hanbit Electronics", "hanbit.example"), ("Daehan Motors", "daehan-motors.example")],
        Locale::Portugal | Locale::Brazil => &[
            ("Lusitânia Seguros", "lusitania-seguros.example"),
            ("Banco Atlântico", "bancoatlantico.example"),
        ],
        Locale::France => &[
            ("Maison Lumière", "maison-lumiere.example"),
            ("Société Générale d'Ingénierie", "sgi-ingenierie.example"),
        ],
        Locale::Germany => &[
            ("Rheinwerk Maschinenbau", "rheinwerk.example"),
            ("Nordlicht Versicherung", "nordlicht.example"),
        ],
        Locale::Spain | Locale::Italy => &[
            ("Grupo Ibérico", "grupo-iberico.example"),
            ("Tessitura Lombarda", "tessitura-lombarda.example"),
        ],
        _ => &[
            ("Meridian Consulting", "meridian-consulting.example"),
            ("Northwind Traders", "northwind.example"),
            ("Blue Harbour Capital", "blueharbour.example"),
            ("Atlas Engineering", "atlas-eng.example"),
        ],
    };
    let global: &[(&str, &str)] = &[
        ("Helios Energy", "helios-energy.example"),
        ("Orbis Pharma", "orbis-pharma.example"),
        ("Vantage Software", "vantage-software.example"),
    ];
    let pool = if rng.gen_bool(0.75) { local } else { global };
    pick(rng, pool)
}
