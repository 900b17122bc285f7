//! The demo group: five hotels, one in China, with what makes each one different —
//! price level, season, where its guests come from, who works there.

use rapport_domain::hotel::{Hotel, HotelId, NewHotel};
use rapport_domain::money::Currency;

use crate::locale::Locale;

/// What the generator knows about one demo hotel beyond its [`NewHotel`] record.
#[derive(Debug)]
pub struct HotelProfile {
    pub code: &'static str,
    pub name: &'static str,
    pub country: &'static str,
    pub timezone: &'static str,
    pub currency: &'static str,
    /// Rack rate of the standard room in major units of the currency.
    pub base_rate: f64,
    /// Relative demand by month, January first.
    pub season: [f64; 12],
    /// Share of the group's guests for whom this is the home hotel.
    pub share: f64,
    /// Where its guests come from.
    pub markets: &'static [(Locale, f64)],
    /// Staff who write notes and take consents.
    pub staff: &'static [&'static str],
    /// Whether staff write notes in Chinese.
    pub chinese_notes: bool,
}

pub const GROUP: &[HotelProfile] = &[
    HotelProfile {
        code: "SHA",
        name: "Aurelia Bund Shanghai",
        country: "CN",
        timezone: "Asia/Shanghai",
        currency: "CNY",
        base_rate: 1180.0,
        // Spring and autumn fairs, Golden Week; quiet around Spring Festival.
        season: [0.7, 0.6, 1.0, 1.15, 1.1, 1.0, 0.95, 0.95, 1.1, 1.25, 1.2, 0.95],
        share: 0.30,
        markets: &[
            (Locale::China, 0.76),
            (Locale::HongKong, 0.04),
            (Locale::Singapore, 0.02),
            (Locale::Japan, 0.05),
            (Locale::Korea, 0.03),
            (Locale::UnitedStates, 0.04),
            (Locale::Britain, 0.02),
            (Locale::Germany, 0.02),
            (Locale::France, 0.01),
            (Locale::Australia, 0.01),
        ],
        staff: &["李静", "王磊", "陈晓燕", "Zhou Min", "Grace Liu"],
        chinese_notes: true,
    },
    HotelProfile {
        code: "LIS",
        name: "Aurelia Chiado Lisbon",
        country: "PT",
        timezone: "Europe/Lisbon",
        currency: "EUR",
        base_rate: 165.0,
        season: [0.6, 0.65, 0.85, 1.0, 1.15, 1.3, 1.4, 1.4, 1.25, 1.0, 0.7, 0.75],
        share: 0.15,
        markets: &[
            (Locale::Portugal, 0.28),
            (Locale::Spain, 0.10),
            (Locale::France, 0.10),
            (Locale::Britain, 0.12),
            (Locale::Germany, 0.10),
            (Locale::UnitedStates, 0.11),
            (Locale::Brazil, 0.11),
            (Locale::Italy, 0.04),
            (Locale::China, 0.02),
            (Locale::Japan, 0.02),
        ],
        staff: &["Ana Costa", "João Magalhães", "Inês Simões", "Rui Brandão"],
        chinese_notes: false,
    },
    HotelProfile {
        code: "LON",
        name: "Aurelia Mayfair London",
        country: "GB",
        timezone: "Europe/London",
        currency: "GBP",
        base_rate: 245.0,
        season: [0.75, 0.8, 0.9, 1.0, 1.1, 1.2, 1.25, 1.2, 1.1, 1.05, 0.9, 1.1],
        share: 0.22,
        markets: &[
            (Locale::Britain, 0.40),
            (Locale::UnitedStates, 0.15),
            (Locale::France, 0.06),
            (Locale::Germany, 0.07),
            (Locale::Italy, 0.05),
            (Locale::Spain, 0.05),
            (Locale::China, 0.06),
            (Locale::Japan, 0.04),
            (Locale::Australia, 0.05),
            (Locale::Portugal, 0.02),
            (Locale::HongKong, 0.02),
            (Locale::Singapore, 0.03),
        ],
        staff: &["Oliver Hughes", "Siobhán Kelly", "Priya Nair", "James Wright"],
        chinese_notes: false,
    },
    HotelProfile {
        code: "PAR",
        name: "Aurelia Saint-Germain Paris",
        country: "FR",
        timezone: "Europe/Paris",
        currency: "EUR",
        base_rate: 290.0,
        season: [0.7, 0.75, 0.9, 1.1, 1.2, 1.25, 1.1, 0.95, 1.2, 1.15, 0.85, 1.05],
        share: 0.20,
        markets: &[
            (Locale::France, 0.38),
            (Locale::Britain, 0.10),
            (Locale::UnitedStates, 0.12),
            (Locale::Germany, 0.08),
            (Locale::Italy, 0.06),
            (Locale::Spain, 0.05),
            (Locale::China, 0.08),
            (Locale::Japan, 0.06),
            (Locale::Brazil, 0.02),
            (Locale::Korea, 0.03),
            (Locale::Portugal, 0.02),
        ],
        staff: &["Camille Roux", "Jérôme Lefèvre", "Élodie Fontaine", "Gaël Mercier"],
        chinese_notes: false,
    },
    HotelProfile {
        code: "SIN",
        name: "Aurelia Marina Singapore",
        country: "SG",
        timezone: "Asia/Singapore",
        currency: "SGD",
        base_rate: 385.0,
        season: [0.95, 1.0, 1.0, 0.95, 0.95, 1.05, 1.15, 1.15, 1.05, 1.0, 0.95, 1.15],
        share: 0.13,
        markets: &[
            (Locale::Singapore, 0.26),
            (Locale::China, 0.20),
            (Locale::Australia, 0.12),
            (Locale::Britain, 0.08),
            (Locale::UnitedStates, 0.08),
            (Locale::Japan, 0.07),
            (Locale::Korea, 0.05),
            (Locale::HongKong, 0.06),
            (Locale::Germany, 0.04),
            (Locale::France, 0.04),
        ],
        staff: &["Tan Mei Ling", "Rajesh Kumar", "Nur Aisyah", "Kevin Lim"],
        chinese_notes: false,
    },
];

/// The five hotels of the demo group, ready for [`rapport_store::Store::create_hotel`].
pub fn demo_hotels() -> Vec<NewHotel> {
    GROUP
        .iter()
        .map(|h| NewHotel {
            code: h.code.to_string(),
            name: h.name.to_string(),
            country: h.country.to_string(),
            timezone: h.timezone.to_string(),
            currency: Currency::parse(h.currency).expect("demo currencies are ISO 4217"),
        })
        .collect()
}

/// A hotel the generator writes stays for: its stored id and code with the profile that
/// shapes its guests and prices.
#[derive(Debug, Clone)]
pub struct Site {
    pub id: HotelId,
    pub code: String,
    pub currency: Currency,
    pub profile: &'static HotelProfile,
}

impl Site {
    /// The demo profile for a hotel: the one with its code, else one in its country, else
    /// the `position`-th, so any set of hotels gets plausible guests.
    pub fn new(id: HotelId, code: &str, country: Option<&str>, currency: Option<Currency>, position: usize) -> Site {
        let profile = GROUP
            .iter()
            .find(|p| p.code.eq_ignore_ascii_case(code))
            .or_else(|| country.and_then(|c| GROUP.iter().find(|p| p.country.eq_ignore_ascii_case(c))))
            .unwrap_or(&GROUP[position % GROUP.len()]);
        let currency = currency.unwrap_or_else(|| Currency::parse(profile.currency).expect("demo currencies are ISO 4217"));
        Site {
            id,
            code: code.to_string(),
            currency,
            profile,
        }
    }

    pub fn from_hotels(hotels: &[Hotel]) -> Vec<Site> {
        hotels
            .iter()
            .enumerate()
            .map(|(i, h)| Site::new(h.id, &h.code, Some(&h.country), Some(h.currency), i))
            .collect()
    }

    /// Sites for a CSV file, which names hotels by code only.
    pub fn from_codes<S: AsRef<str>>(codes: &[S]) -> Vec<Site> {
        codes
            .iter()
            .enumerate()
            .map(|(i, c)| Site::new(i as HotelId + 1, c.as_ref(), None, None, i))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_group_has_five_hotels_one_in_china() {
        let hotels = demo_hotels();
        assert_eq!(hotels.len(), 5);
        assert_eq!(hotels.iter().filter(|h| h.country == "CN").count(), 1);
        for h in hotels {
            let input = rapport_domain::hotel::HotelInput {
                code: h.code.clone(),
                name: h.name.clone(),
                country: h.country.clone(),
                timezone: h.timezone.clone(),
                currency: h.currency.code().to_string(),
            };
            assert_eq!(input.validate().unwrap(), h, "demo hotels pass the API's validation");
        }
        let shares: f64 = GROUP.iter().map(|h| h.share).sum();
        assert!((shares - 1.0).abs() < 1e-9);
        for h in GROUP {
            let m: f64 = h.markets.iter().map(|(_, w)| w).sum();
            assert!((m - 1.0).abs() < 1e-9, "{} markets sum to {m}", h.code);
        }
    }

    #[test]
    fn unknown_codes_borrow_a_profile() {
        let s = Site::new(9, "XYZ", Some("CN"), None, 3);
        assert_eq!(s.profile.code, "SHA");
        assert_eq!(s.currency.code(), "CNY");
    }
}
