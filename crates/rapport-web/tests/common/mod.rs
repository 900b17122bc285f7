//! The console on a real server (port 0, fresh database) with a small hotel group, and a
//! cookie-keeping HTTP client that signs in like a browser does.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, Utc};
use rapport_domain::access::{Role, Scope};
use rapport_domain::contact::{ContactPoint, Region};
use rapport_domain::guest::{FamilyMember, GuestProfile, Preference, PreferenceKind, Taboo, TabooKind};
use rapport_domain::hotel::NewHotel;
use rapport_domain::money::{Currency, Money};
use rapport_domain::names::GuestName;
use rapport_domain::stay::{NewSpendLine, NewStay, SpendCategory, StayStatus};
use rapport_store::testing::TestDb;
use rapport_store::{NewUser, Store};

pub const PASSWORD: &str = "correct horse battery staple";

/// What the seeded group holds, by name.
pub struct Seed {
    pub lisbon: i64,
    pub shanghai: i64,
    pub zhang_wei: i64,
    pub hostile: i64,
    pub arriving_stay: i64,
    pub shanghai_stay: i64,
    /// Today in Shanghai, the arrival day of Zhang Wei's stay.
    pub today_sha: NaiveDate,
}

pub struct Console {
    pub base: String,
    pub store: Arc<dyn Store>,
    pub seed: Seed,
    /// The server's check of arriving profiles, when started with one.
    pub identity: Option<Arc<rapport_dedupe::IdentityWatch>>,
    _db: TestDb,
}

impl Console {
    pub async fn start(db: TestDb) -> Console {
        Self::start_with(db, false).await
    }

    /// With the demo group's `guests` loaded first and the match index built on the base, as
    /// `rapport serve` does at start.
    pub async fn start_with_identity(db: TestDb, guests: u64) -> Console {
        let config = rapport_demo::DemoConfig {
            guests,
            ..Default::default()
        };
        rapport_demo::load(db.store.clone(), &config, false).await.unwrap();
        Self::start_with(db, true).await
    }

    async fn start_with(db: TestDb, with_identity: bool) -> Console {
        let store = db.store.clone();
        let seed = seed(store.as_ref()).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut app = rapport_http::AppState::new(store.clone(), Region::parse("US").unwrap());
        let identity = match with_identity {
            true => Some(
                rapport_dedupe::IdentityWatch::build(store.clone(), Default::default())
                    .await
                    .unwrap(),
            ),
            false => None,
        };
        if let Some(watch) = &identity {
            app = app.with_identity(watch.clone());
        }
        let state = rapport_web::ConsoleState::new(app);
        tokio::spawn(rapport_web::serve(listener, state));
        for (login, role, scope) in [
            ("anna", Role::FrontDesk, Scope::Group),
            ("lis-desk", Role::FrontDesk, Scope::Hotels(vec![seed.lisbon])),
            ("mark", Role::Marketing, Scope::Group),
            ("lis-manager", Role::Manager, Scope::Hotels(vec![seed.lisbon])),
            ("gina", Role::GuestRelations, Scope::Group),
        ] {
            store
                .create_user(NewUser {
                    login: login.into(),
                    display_name: format!("{login} (display)"),
                    password_hash: rapport_http::credentials::hash_password(PASSWORD).unwrap(),
                    role,
                    scope,
                    language: "en".into(),
                })
                .await
                .unwrap();
        }
        Console {
            base,
            store,
            seed,
            identity,
            _db: db,
        }
    }

    /// Runs the value analysis as of today and stores it, as `rapport analyze` does.
    pub async fn analyse_now(&self) {
        use rapport_value::analysis::{analyse, AnalysisSettings, HotelInfo};
        let hotels: Vec<HotelInfo> = self
            .store
            .hotels()
            .await
            .unwrap()
            .iter()
            .map(|h| HotelInfo {
                id: h.id,
                currency: h.currency.code().into(),
                exponent: h.currency.exponent(),
            })
            .collect();
        let today = Utc::now().date_naive();
        let analysis = analyse(
            &self.store.stay_facts().await.unwrap(),
            &hotels,
            &AnalysisSettings::new(today, "EUR", 2),
        );
        self.store.save_analysis(today, analysis).await.unwrap();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client signed in as `login`.
    pub async fn signed_in(&self, login: &str) -> Client {
        let mut c = Client::new(&self.base);
        let r = c.sign_in(login, PASSWORD).await;
        assert_eq!(r.status, 303, "sign-in of {login}: {}", r.body);
        c
    }
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn seed(store: &dyn Store) -> Seed {
    let hotel = |code: &str, tz: &str, cur: &str| NewHotel {
        code: code.into(),
        name: format!("Aurelia {code}"),
        country: "PT".into(),
        timezone: tz.into(),
        currency: Currency::parse(cur).unwrap(),
    };
    // A base loaded with the demo group already has both hotels.
    let existing = store.hotels().await.unwrap();
    let id_of = |code: &str, tz: &str, cur: &str| {
        let found = existing.iter().find(|h| h.code == code).map(|h| h.id);
        let new = hotel(code, tz, cur);
        async move {
            match found {
                Some(id) => id,
                None => store.create_hotel(new).await.unwrap().id,
            }
        }
    };
    let lisbon = id_of("LIS", "Europe/Lisbon", "EUR").await;
    let shanghai = id_of("SHA", "Asia/Shanghai", "CNY").await;
    let today_sha = Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    // Zhang Wei's birthday falls on the second day of the stay that starts today.
    let birthday = rapport_domain::occasions::in_year(today_sha + Duration::days(1), 1984);
    let zhang = GuestProfile {
        name: GuestName {
            given: "Wei".into(),
            family: "Zhang".into(),
            native: Some("张伟".into()),
            title: None,
        },
        birthday: Some(birthday),
        phones: vec![ContactPoint::phone_lenient("+86 138 1234 5678", Region::default())],
        emails: vec![ContactPoint::email_lenient("zhang.wei@example.cn")],
        preferences: vec![Preference {
            kind: PreferenceKind::Room,
            key: "floor".into(),
            value: "high".into(),
        }],
        taboos: vec![Taboo {
            kind: TabooKind::Allergy,
            description: "peanuts".into(),
        }],
        family: vec![FamilyMember {
            name: "Lily".into(),
            relation: "daughter".into(),
            birthday: Some(day(2018, 3, 3)),
        }],
        vip_code: Some("GOLD".into()),
        ..Default::default()
    };
    let zhang_wei = store.create_guest(zhang, vec![]).await.unwrap().id;
    let hostile = store
        .create_guest(
            GuestProfile {
                name: GuestName {
                    given: "<script>window.__pwned=1</script>".into(),
                    family: "O'Brien <b>bold</b>".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
            vec![],
        )
        .await
        .unwrap()
        .id;
    let shanghai_stay = store
        .add_stay(
            zhang_wei,
            stay(shanghai, day(2025, 5, 1), 3, StayStatus::CheckedOut, "CNY", 888_800),
        )
        .await
        .unwrap()
        .id;
    store
        .add_stay(zhang_wei, stay(lisbon, day(2025, 9, 10), 2, StayStatus::CheckedOut, "EUR", 45_000))
        .await
        .unwrap();
    let arriving_stay = store
        .add_stay(zhang_wei, stay(shanghai, today_sha, 3, StayStatus::Booked, "CNY", 0))
        .await
        .unwrap()
        .id;
    store
        .add_note(
            zhang_wei,
            Some(shanghai_stay),
            Some(shanghai),
            "Prefers green tea on arrival",
            "ming",
        )
        .await
        .unwrap();
    Seed {
        lisbon,
        shanghai,
        zhang_wei,
        hostile,
        arriving_stay,
        shanghai_stay,
        today_sha,
    }
}

/// A direct Deluxe King stay for two with one room spend line (none when `minor` is 0).
pub fn stay(hotel: i64, arrival: NaiveDate, nights: i64, status: StayStatus, cur: &str, minor: i64) -> NewStay {
    NewStay {
        hotel_id: hotel,
        external_ref: None,
        arrival,
        departure: arrival + Duration::days(nights),
        room_type: Some("Deluxe King".into()),
        rate: None,
        channel: Some("direct".into()),
        market_segment: None,
        adults: 2,
        children: 0,
        special_requests: None,
        status,
        booked_at: None,
        spend: (minor > 0)
            .then(|| NewSpendLine {
                category: SpendCategory::Room,
                amount: Money {
                    minor,
                    currency: Currency::parse(cur).unwrap(),
                },
                posted_on: arrival,
                description: None,
            })
            .into_iter()
            .collect(),
    }
}

/// A response as a test looks at it.
pub struct Page {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
}

/// Keeps cookies like a browser and never follows redirects, so tests see them.
pub struct Client {
    base: String,
    http: reqwest::Client,
    pub cookies: HashMap<String, String>,
}

impl Client {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn finish(&mut self, r: reqwest::Response) -> Page {
        let set_cookies: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        for c in &set_cookies {
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        Page {
            status: r.status().as_u16(),
            location: r.headers().get("location").map(|v| v.to_str().unwrap().to_string()),
            set_cookies,
            body: r.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    pub async fn post_with_headers(&mut self, path: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Page {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(form);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.send().await.unwrap();
        self.finish(r).await
    }

    /// Loads the sign-in form (for its CSRF token) and posts it.
    pub async fn sign_in(&mut self, login: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        let csrf = hidden(&form.body, "csrf");
        self.post(
            "/login",
            &[("login", login), ("password", password), ("csrf", &csrf), ("next", "/")],
        )
        .await
    }

    /// The session's CSRF token, as every page carries it.
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/arrivals").await;
        hidden(&page.body, "csrf")
    }
}

/// The value of the first hidden input named `name`.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no hidden {name} in page")) + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// Every `<input name=…>` and `<textarea name=…>` of a form with its value as rendered,
/// what a browser posts when the user submits it unchanged.
pub fn form_fields(html: &str) -> Vec<(String, String)> {
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&amp;", "&")
    };
    let attr = |tag: &str, name: &str| {
        let marker = format!(" {name}=\"");
        tag.find(&marker).map(|i| {
            let rest = &tag[i + marker.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
    };
    let mut fields = Vec::new();
    for (i, _) in html.match_indices('<') {
        let rest = &html[i..];
        let tag = &rest[..rest.find('>').unwrap() + 1];
        if tag.starts_with("<input ") {
            if let Some(name) = attr(tag, "name") {
                fields.push((name, unescape(&attr(tag, "value").unwrap_or_default())));
            }
        } else if tag.starts_with("<textarea ") {
            let body = &rest[tag.len()..];
            let text = &body[..body.find("</textarea>").unwrap()];
            fields.push((attr(tag, "name").unwrap(), unescape(text)));
        }
    }
    fields
}
