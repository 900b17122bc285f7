//! The value analysis's storage on a fresh SQLite and PostgreSQL database: what it reads
//! (stays that happened, with their revenue) and what it keeps (latest scores, tier history).

use chrono::{Duration, NaiveDate};
use rapport_domain::guest::GuestProfile;
use rapport_domain::ingest::IncomingBooking;
use rapport_domain::money::{Currency, Money};
use rapport_domain::names::GuestName;
use rapport_domain::stay::{NewSpendLine, NewStay, SpendCategory, StayStatus};
use rapport_store::{backend_tests, Store};
use rapport_value::analysis::{analyse, AnalysisSettings, HotelInfo, Scope};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn stay(hotel: i64, arrival: NaiveDate, status: StayStatus, lines: &[i64]) -> NewStay {
    let eur = Currency::parse("EUR").unwrap();
    NewStay {
        hotel_id: hotel,
        external_ref: None,
        arrival,
        departure: arrival + Duration::days(2),
        room_type: Some("Deluxe".into()),
        rate: None,
        channel: Some("Direct".into()),
        market_segment: None,
        adults: 1,
        children: 0,
        special_requests: (lines.len() > 1).then(|| "late check-in".into()),
        status,
        booked_at: Some(arrival - Duration::days(14)),
        spend: lines
            .iter()
            .enumerate()
            .map(|(i, m)| NewSpendLine {
                // The first line is the room, any further one food and drink.
                category: if i == 0 { SpendCategory::Room } else { SpendCategory::FoodBeverage },
                amount: Money { minor: *m, currency: eur },
                posted_on: arrival,
                description: None,
            })
            .collect(),
    }
}

async fn guest(store: &dyn Store, given: &str) -> i64 {
    let p = GuestProfile {
        name: GuestName {
            given: given.into(),
            family: "Test".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    store.create_guest(p, vec![]).await.unwrap().id
}

backend_tests! {
    fn the_analysis_reads_realised_stays_and_keeps_scores_and_tier_changes(db) {
        let store = db.store.as_ref();
        let h = rapport_store::testing::hotel(store, "LIS", "Europe/Lisbon", "EUR").await;
        let (ana, bea) = (guest(store, "Ana").await, guest(store, "Bea").await);
        store.add_stay(ana, stay(h.id, day(2026, 1, 10), StayStatus::CheckedOut, &[30_000, 4_500])).await.unwrap();
        store.add_stay(ana, stay(h.id, day(2026, 3, 10), StayStatus::CheckedOut, &[20_000])).await.unwrap();
        store.add_stay(bea, stay(h.id, day(2026, 2, 1), StayStatus::CheckedOut, &[10_000])).await.unwrap();
        store.add_stay(bea, stay(h.id, day(2026, 4, 1), StayStatus::Cancelled, &[])).await.unwrap();

        let mut facts = store.stay_facts().await.unwrap();
        facts.stays.sort_by_key(|f| f.arrival);
        let first = facts.stays[0];
        assert_eq!(facts.stays.len(), 3, "the cancelled stay is not a visit");
        assert_eq!(first.revenue(), 34_500, "every line of the stay counts");
        assert_eq!(first.spend[..2], [30_000, 4_500], "room, then food and drink");
        assert_eq!((first.nights, first.lead_days, first.special_requests), (2, Some(14), true));
        assert_eq!(facts.labels[first.channel as usize], "Direct");
        assert_eq!(facts.labels[first.room_type as usize], "Deluxe");
        assert_eq!(first.market, 0, "no market segment recorded");
        assert_eq!((facts.stays[1].guest, facts.stays[1].revenue()), (bea, 10_000));

        let hotels = vec![HotelInfo { id: h.id, currency: "EUR".into(), exponent: 2 }];
        let first = analyse(&facts, &hotels, &AnalysisSettings::new(day(2026, 5, 1), "EUR", 2));
        store.save_analysis(day(2026, 5, 1), first).await.unwrap();
        let (values, history) = store.guest_values(ana).await.unwrap();
        assert_eq!(values.len(), 2, "the group and the hotel");
        let hotel_row = values.iter().find(|v| v.hotel_id == Some(h.id)).unwrap();
        assert_eq!((hotel_row.stays, hotel_row.revenue, hotel_row.tier.as_str(), hotel_row.currency.as_str()), (2, 54_500, "vip", "EUR"));
        assert_eq!(history.len(), 2, "a first tier is a change");
        assert_eq!(store.value_reports().await.unwrap().len(), 2);

        // Bea spends big: the next run moves her up and Ana down, and history keeps both.
        store.add_stay(bea, stay(h.id, day(2026, 5, 2), StayStatus::CheckedOut, &[500_000])).await.unwrap();
        let facts = store.stay_facts().await.unwrap();
        let second = analyse(&facts, &hotels, &AnalysisSettings::new(day(2026, 6, 1), "EUR", 2));
        assert!(second.guests.iter().any(|g| g.guest == bea && g.scope == Scope::Group));
        store.save_analysis(day(2026, 6, 1), second).await.unwrap();
        let (values, history) = store.guest_values(ana).await.unwrap();
        assert!(values.iter().all(|v| v.tier != "vip"), "Ana is no longer the top guest");
        assert_eq!(history.len(), 4, "both moves recorded, per scope");
        let (bea_values, _) = store.guest_values(bea).await.unwrap();
        assert!(bea_values.iter().all(|v| v.tier == "vip"));
    }

    fn saved_segments_keep_their_rule_and_find_their_members(db) {
        use rapport_store::segments::{members, NewSegment};
        use rapport_store::StoreError;
        use rapport_value::segments::SegmentRule;
        let store = db.store.as_ref();
        let h = rapport_store::testing::hotel(store, "LIS", "Europe/Lisbon", "EUR").await;
        // Ana: the big spender who stopped coming; Bea: a small recent guest who likes the spa.
        let (ana, bea) = (guest(store, "Ana").await, guest(store, "Bea").await);
        for m in [1, 2, 3] {
            store.add_stay(ana, stay(h.id, day(2024, m, 10), StayStatus::CheckedOut, &[400_000])).await.unwrap();
        }
        store.add_stay(bea, stay(h.id, day(2026, 5, 1), StayStatus::CheckedOut, &[9_000])).await.unwrap();
        let mut profile = store.guest(bea).await.unwrap().profile;
        profile.preferences.push(rapport_domain::guest::Preference {
            kind: rapport_domain::guest::PreferenceKind::Service,
            key: "spa".into(),
            value: "morning massage".into(),
        });
        store.update_guest(bea, profile, None).await.unwrap();
        let hotels = vec![HotelInfo { id: h.id, currency: "EUR".into(), exponent: 2 }];
        let as_of = day(2026, 6, 1);
        store.save_analysis(as_of, analyse(&store.stay_facts().await.unwrap(), &hotels, &AnalysisSettings::new(as_of, "EUR", 2))).await.unwrap();

        let lapsed: SegmentRule = serde_json::from_str(r#"{"tiers": ["vip"], "no_stay_for_days": 180}"#).unwrap();
        let saved = store
            .create_segment(NewSegment { name: "Lapsed VIPs".into(), description: "win back".into(), rule: lapsed.clone(), created_by: "mark".into() })
            .await
            .unwrap();
        assert_eq!(store.segment(saved.id).await.unwrap().rule, lapsed, "the rule survives the round trip");
        let again = store
            .create_segment(NewSegment { name: "Lapsed VIPs".into(), description: String::new(), rule: SegmentRule::default(), created_by: "mark".into() })
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "names are unique");
        assert_eq!(store.segments().await.unwrap().len(), 1, "the clash lost nothing and added nothing");

        let found = members(store, &lapsed, None, as_of, 0, 50).await.unwrap();
        assert_eq!((found.total, found.items[0].guest_id), (1, ana));
        let in_lisbon = members(store, &lapsed, Some(h.id), as_of, 0, 50).await.unwrap();
        assert_eq!(in_lisbon.total, 1, "the hotel's own figures");
        let spa: SegmentRule = serde_json::from_str(r#"{"preference": "spa", "stayed_within_days": 90}"#).unwrap();
        let found = members(store, &spa, None, as_of, 0, 50).await.unwrap();
        assert_eq!(found.items.iter().map(|m| m.guest_id).collect::<Vec<_>>(), vec![bea]);
        let everyone = members(store, &SegmentRule::default(), None, as_of, 1, 1).await.unwrap();
        assert_eq!((everyone.total, everyone.items.len(), everyone.items[0].guest_id), (2, 1, bea), "paged, most revenue first");

        store.delete_segment(saved.id).await.unwrap();
        assert!(matches!(store.segment(saved.id).await, Err(StoreError::NotFound(_))));
        assert!(matches!(store.delete_segment(saved.id).await, Err(StoreError::NotFound(_))));
    }

    fn each_stays_spend_totals_follow_lines_written_by_any_path(db) {
        // The analysis reads per-stay totals that triggers keep; lines changed by hand (or
        // moved by a merge) must show in them as the import's lines do.
        let store = db.store.as_ref();
        let h = rapport_store::testing::hotel(store, "LIS", "Europe/Lisbon", "EUR").await;
        let (ana, bea) = (guest(store, "Ana").await, guest(store, "Bea").await);
        let s = store.add_stay(ana, stay(h.id, day(2026, 1, 10), StayStatus::CheckedOut, &[30_000, 4_500])).await.unwrap();
        let edits = [
            format!("INSERT INTO spend_lines (stay_id, guest_id, hotel_id, category, amount_minor, currency, posted_on) \
                     VALUES ({}, {ana}, {}, 'spa', 2500, 'EUR', '2026-01-11')", s.id, h.id),
            format!("UPDATE spend_lines SET amount_minor = amount_minor + 100 WHERE stay_id = {} AND category = 'room'", s.id),
            format!("DELETE FROM spend_lines WHERE stay_id = {} AND category = 'food_beverage'", s.id),
            format!("UPDATE spend_lines SET guest_id = {bea} WHERE stay_id = {}", s.id),
        ];
        if store.backend() == "sqlite" {
            let conn = rusqlite::Connection::open(db.url.trim_start_matches("sqlite://")).unwrap();
            for e in &edits {
                conn.execute(e, []).unwrap();
            }
        } else {
            let (client, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            for e in &edits {
                client.execute(e.as_str(), &[]).await.unwrap();
            }
        }
        let facts = store.stay_facts().await.unwrap();
        assert_eq!(facts.stays.len(), 1);
        assert_eq!(facts.stays[0].spend, [30_100, 0, 2_500, 0, 0, 0], "room, food and drink, spa, ...");
    }

    fn imported_stays_get_their_spend_totals_and_later_lines_still_add_to_them(db) {
        // The import writes each stay's totals itself, with the per-line triggers off for
        // its spend lines; every other writer, on the same connection too, relies on them.
        let store = db.store.as_ref();
        let h = rapport_store::testing::hotel(store, "LIS", "Europe/Lisbon", "EUR").await;
        let booking = |i: u32, lines: &[i64]| {
            let mut stay = stay(h.id, day(2026, 1, i), StayStatus::CheckedOut, lines);
            stay.external_ref = Some(format!("R{i}"));
            if let Some(extra) = stay.spend.get_mut(2) {
                extra.category = SpendCategory::Spa;
            }
            IncomingBooking {
                line: u64::from(i),
                profile: GuestProfile { name: GuestName { given: format!("Guest {i}"), family: "Silva".into(), ..Default::default() }, ..Default::default() },
                consents: vec![],
                stay: Some(stay),
                notes: vec![],
            }
        };
        let rows = vec![booking(1, &[30_000, 4_500, 2_000, 1_000]), booking(2, &[]), booking(3, &[12_000])];
        store.import_batch(rows.clone().into()).await.unwrap();
        store.import_batch(rows.into()).await.unwrap();
        let ana = guest(store, "Ana").await;
        store.add_stay(ana, stay(h.id, day(2026, 2, 1), StayStatus::CheckedOut, &[7_000, 800])).await.unwrap();

        let mut facts = store.stay_facts().await.unwrap();
        facts.stays.sort_by_key(|f| f.arrival);
        let spend: Vec<_> = facts.stays.iter().map(|f| f.spend).collect();
        assert_eq!(
            spend,
            [
                [30_000, 4_500 + 1_000, 2_000, 0, 0, 0],
                [0; 6],
                [12_000, 0, 0, 0, 0, 0],
                [7_000, 800, 0, 0, 0, 0],
            ],
            "a re-import adds nothing; the stay added after the import has its totals from the triggers"
        );
    }
}
