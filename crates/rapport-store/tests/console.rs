//! What the staff console relies on from storage, on a fresh SQLite and PostgreSQL
//! database: sessions that end when they should, arrival touches, dashboard figures.

use chrono::{Duration, NaiveDate, Utc};
use rapport_domain::access::{Role, Scope};
use rapport_domain::guest::GuestProfile;
use rapport_domain::hotel::NewHotel;
use rapport_domain::money::{Currency, Money};
use rapport_domain::names::GuestName;
use rapport_domain::stay::{NewSpendLine, NewStay, SpendCategory, StayStatus};
use rapport_store::{backend_tests, NewSession, NewUser, StaffUser, Store, StoreError};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn user(store: &dyn Store, login: &str) -> StaffUser {
    store
        .create_user(NewUser {
            login: login.into(),
            display_name: login.into(),
            password_hash: "$argon2id$stub-not-checked-here".into(),
            role: Role::FrontDesk,
            scope: Scope::Group,
            language: "en".into(),
        })
        .await
        .unwrap()
}

fn session(id: &str, user: &StaffUser, hours: i64) -> NewSession {
    NewSession {
        id_hash: id.into(),
        user_id: user.id,
        csrf_token: format!("csrf-{id}"),
        expires_at: Utc::now() + Duration::hours(hours),
    }
}

fn guest(given: &str) -> GuestProfile {
    GuestProfile {
        name: GuestName {
            given: given.into(),
            family: "Test".into(),
            ..Default::default()
        },
        ..Default::default()
    }
}

fn stay(hotel: i64, arrival: NaiveDate, nights: i64, status: StayStatus, spend_minor: i64) -> NewStay {
    let eur = Currency::parse("EUR").unwrap();
    NewStay {
        hotel_id: hotel,
        external_ref: None,
        arrival,
        departure: arrival + Duration::days(nights),
        room_type: None,
        rate: None,
        channel: None,
        market_segment: None,
        adults: 1,
        children: 0,
        special_requests: None,
        status,
        booked_at: None,
        spend: if spend_minor > 0 {
            vec![NewSpendLine {
                category: SpendCategory::Room,
                amount: Money {
                    minor: spend_minor,
                    currency: eur,
                },
                posted_on: arrival,
                description: None,
            }]
        } else {
            vec![]
        },
    }
}

backend_tests! {
    fn a_session_lives_until_logout_expiry_or_disabling(db) {
        let store = db.store.as_ref();
        let anna = user(store, "anna").await;
        let now = Utc::now();
        store.create_session(session("s1", &anna, 12)).await.unwrap();
        store.create_session(session("s2", &anna, 12)).await.unwrap();
        store.create_session(session("old", &anna, -1)).await.unwrap();
        let live = store.session("s1", now).await.unwrap();
        assert_eq!(live.user.login, "anna");
        assert_eq!(live.csrf_token, "csrf-s1");
        assert!(matches!(store.session("old", now).await, Err(StoreError::NotFound(_))), "an expired session is over");
        assert!(matches!(store.session("nope", now).await, Err(StoreError::NotFound(_))));

        store.end_session("s1").await.unwrap();
        store.end_session("s1").await.unwrap();
        assert!(matches!(store.session("s1", now).await, Err(StoreError::NotFound(_))), "logout ends the session");
        assert!(store.session("s2", now).await.is_ok(), "other sessions go on");

        store.set_user_disabled("anna", true).await.unwrap();
        assert!(matches!(store.session("s2", now).await, Err(StoreError::NotFound(_))), "disabling ends every session");
        store.set_user_disabled("anna", false).await.unwrap();
        assert!(matches!(store.session("s2", now).await, Err(StoreError::NotFound(_))), "re-enabling does not revive them");
    }

    fn a_user_language_is_kept(db) {
        let store = db.store.as_ref();
        let anna = user(store, "anna").await;
        store.set_user_language(anna.id, "zh-CN").await.unwrap();
        assert_eq!(store.user_by_login("anna").await.unwrap().0.language, "zh-CN");
        assert!(matches!(store.set_user_language(9999, "en").await, Err(StoreError::NotFound(_))));
    }

    fn arrivals_and_their_touches(db) {
        let store = db.store.as_ref();
        let h = rapport_store::testing::hotel(store, "LIS", "Europe/Lisbon", "EUR").await;
        let a = store.create_guest(guest("Ana"), vec![]).await.unwrap();
        let b = store.create_guest(guest("Bea"), vec![]).await.unwrap();
        let d = day(2026, 11, 23);
        let arriving = store.add_stay(a.id, stay(h.id, d, 2, StayStatus::Booked, 0)).await.unwrap();
        store.add_stay(b.id, stay(h.id, d, 2, StayStatus::Cancelled, 0)).await.unwrap();
        store.add_stay(b.id, stay(h.id, d + Duration::days(1), 2, StayStatus::Booked, 0)).await.unwrap();

        let arrivals = store.arrivals(h.id, d).await.unwrap();
        assert_eq!(arrivals.iter().map(|s| s.id).collect::<Vec<_>>(), vec![arriving.id], "cancelled and other days left out");

        store.set_touch(arriving.id, "pref:room:high floor", Some("anna")).await.unwrap();
        store.set_touch(arriving.id, "allergy:peanuts", Some("anna")).await.unwrap();
        store.set_touch(arriving.id, "allergy:peanuts", Some("ben")).await.unwrap();
        let touches = store.arrival_touches(h.id, d).await.unwrap();
        assert_eq!(touches.len(), 2);
        assert_eq!(touches[0].touch, "allergy:peanuts");
        assert_eq!(touches[0].done_by, "ben", "ticking again records the latest hand");
        store.set_touch(arriving.id, "allergy:peanuts", None).await.unwrap();
        assert_eq!(store.arrival_touches(h.id, d).await.unwrap().len(), 1, "unticked");
        assert!(matches!(store.set_touch(424242, "x", Some("anna")).await, Err(StoreError::NotFound(_))));
    }

    fn dashboard_figures_count_only_stays_that_happened(db) {
        let store = db.store.as_ref();
        let mk = |code: &str| NewHotel {
            code: code.into(),
            name: code.into(),
            country: "PT".into(),
            timezone: "Europe/Lisbon".into(),
            currency: Currency::parse("EUR").unwrap(),
        };
        let lis = store.create_hotel(mk("LIS")).await.unwrap();
        let por = store.create_hotel(mk("POR")).await.unwrap();
        let a = store.create_guest(guest("Ana"), vec![]).await.unwrap();
        let b = store.create_guest(guest("Bea"), vec![]).await.unwrap();
        // Ana: twice at LIS and once at POR; Bea: once at LIS, once cancelled at POR.
        store.add_stay(a.id, stay(lis.id, day(2026, 1, 10), 2, StayStatus::CheckedOut, 30_000)).await.unwrap();
        store.add_stay(a.id, stay(lis.id, day(2026, 2, 10), 2, StayStatus::CheckedOut, 20_000)).await.unwrap();
        store.add_stay(a.id, stay(por.id, day(2026, 2, 11), 1, StayStatus::CheckedOut, 5_000)).await.unwrap();
        store.add_stay(b.id, stay(lis.id, day(2026, 2, 20), 1, StayStatus::CheckedOut, 10_000)).await.unwrap();
        store.add_stay(b.id, stay(por.id, day(2026, 3, 1), 1, StayStatus::Cancelled, 0)).await.unwrap();

        let f = store.figures().await.unwrap();
        let lis_v = f.hotels.iter().find(|(h, _)| *h == lis.id).unwrap().1;
        assert_eq!((lis_v.guests, lis_v.stays, lis_v.returning_guests), (2, 3, 1));
        let por_v = f.hotels.iter().find(|(h, _)| *h == por.id).unwrap().1;
        assert_eq!((por_v.guests, por_v.stays, por_v.returning_guests), (1, 1, 0));
        assert_eq!((f.group.guests, f.group.stays, f.group.returning_guests), (2, 4, 1), "Ana came back; Bea's second booking was cancelled");
        let lis_feb: i64 = f.revenue.iter().filter(|r| r.hotel_id == lis.id && r.month == "2026-02").map(|r| r.minor).sum();
        assert_eq!(lis_feb, 30_000);
        assert!(f.revenue.iter().all(|r| r.currency == "EUR"));
    }
}
