//! The real sample export, `data/hotel_booking_10k.csv`, through the built-in
//! `hotel-booking-demand` mapping, on both backends.

mod common;

use std::collections::{HashMap, HashSet};

use common::*;
use rapport_domain::contact::{Email, Phone, Region};
use rapport_domain::stay::{SpendCategory, StayStatus};
use rapport_store::backend_tests;
use rapport_store::testing::search_ids;

/// What the file should produce, worked out from the raw CSV independently of the importer.
struct Expected {
    rows: u64,
    /// Distinct people by the identity rule: same valid email (case-folded), or same valid
    /// phone with the same name.
    identities: u64,
    /// Σ adr × nights in cents over bookings that were neither cancelled nor no-shows.
    revenue_cents: i64,
    cancelled: usize,
}

fn expected() -> Expected {
    let mut r = csv::Reader::from_path(sample_file()).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (email, phone, name, adr, we, wk, canc, status) = (
        col("email"),
        col("phone-number"),
        col("name"),
        col("adr"),
        col("stays_in_weekend_nights"),
        col("stays_in_week_nights"),
        col("is_canceled"),
        col("reservation_status"),
    );
    let mut rows = 0;
    let mut parent: Vec<usize> = Vec::new();
    let mut owner: HashMap<String, usize> = HashMap::new();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut i = i;
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let (mut revenue_cents, mut cancelled) = (0i64, 0usize);
    for rec in r.records() {
        let rec = rec.unwrap();
        let me = parent.len();
        parent.push(me);
        let mut keys = Vec::new();
        if let Ok(e) = Email::parse(&rec[email]) {
            keys.push(format!("e:{e}"));
        }
        if let Ok(p) = Phone::parse(&rec[phone], Region::parse("US").unwrap()) {
            keys.push(format!("p:{p}:{}", rec[name].to_lowercase()));
        }
        for key in keys {
            if let Some(&other) = owner.get(&key) {
                let (a, b) = (find(&mut parent, me), find(&mut parent, other));
                parent[a] = b;
            } else {
                owner.insert(key, me);
            }
        }
        let nights: i64 = rec[we].parse::<i64>().unwrap() + rec[wk].parse::<i64>().unwrap();
        if &rec[canc] == "1" || &rec[status] == "Canceled" {
            if &rec[status] != "No-Show" {
                cancelled += 1;
            }
        } else if &rec[status] == "Check-Out" {
            let cents = (rec[adr].parse::<f64>().unwrap() * 100.0).round() as i64;
            revenue_cents += cents * nights;
        }
        rows += 1;
    }
    let identities = (0..parent.len()).map(|i| find(&mut parent, i)).collect::<HashSet<_>>().len() as u64;
    Expected {
        rows,
        identities,
        revenue_cents,
        cancelled,
    }
}

backend_tests! {
    fn the_sample_export_imports_completely(db) {
        let want = expected();
        // 23 emails appear twice; one of them (`Dr..M@verizon.com`) is not a valid
        // address, so its two rows do not join.
        assert_eq!(want.identities, 9978);
        let s = import(&db.store, &sample_file(), "hotel-booking-demand").await;
        assert_eq!(s.rows, 10_000);
        assert_eq!(s.rows, want.rows);
        assert_eq!((s.rejected, s.unchanged, s.imported), (0, 0, 10_000), "{s:?}");
        assert_eq!(s.guests_created, want.identities);
        assert_eq!(s.guests_matched, want.rows - want.identities);
        assert_eq!(s.stays_created, 10_000);
        assert_eq!(s.rejects_file, None);
        let mut created = s.hotels_created.clone();
        created.sort();
        assert_eq!(created, vec!["PT-CITY", "PT-RES"]);
        assert!(s.warnings.iter().any(|w| w.contains("'credit_card'")), "{:?}", s.warnings);
        assert!(s.flagged_contacts > 0, "most invented phones are not valid numbers");

        let counts = db.store.counts().await.unwrap();
        assert_eq!((counts.hotels, counts.guests, counts.stays), (2, want.identities as i64, 10_000));
        let stays = all_stays(db.store.as_ref()).await;
        let cancelled = stays.iter().filter(|s| s.status == StayStatus::Cancelled).count();
        assert_eq!(cancelled, want.cancelled);
        assert!(stays.iter().any(|s| s.status == StayStatus::NoShow));
        assert!(stays.iter().all(|s| s.external_ref.as_deref().is_some_and(|r| r.starts_with("hotel-booking-demand:"))));

        let guests = all_guests(db.store.as_ref()).await;
        let spend = all_spend(db.store.as_ref(), &guests).await;
        assert!(spend.iter().all(|l| l.category == SpendCategory::Room && l.amount.currency.code() == "EUR"));
        assert_eq!(spend.iter().map(|l| l.amount.minor).sum::<i64>(), want.revenue_cents);

        // The file's alpha-3 countries (GBR, PRT) are stored as alpha-2, as the API stores them.
        let nationalities: HashSet<&str> = guests.iter().filter_map(|g| g.profile.nationality.as_deref()).collect();
        assert!(nationalities.contains("GB") && nationalities.contains("PT"), "{nationalities:?}");
        assert!(nationalities.iter().all(|n| n.len() == 2), "{nationalities:?}");
        assert_eq!(s.fields_flagged, 0, "every country of the file is an ISO code");
        assert_eq!(db.keys_off_their_lists().await, 0, "each profile's row lists exactly its keys");
        assert_eq!(db.spend_off_their_stays().await, 0, "every spend line belongs to its stay's profile");
    }

    fn importing_the_same_file_twice_changes_nothing(db) {
        let first = import(&db.store, &sample_file(), "hotel-booking-demand").await;
        let before = db.store.counts().await.unwrap();
        let guests_before = all_guests(db.store.as_ref()).await;
        let second = import(&db.store, &sample_file(), "hotel-booking-demand").await;
        assert_eq!(second.rows, first.rows);
        assert_eq!(second.unchanged, second.rows - second.rejected, "{second:?}");
        assert_eq!((second.imported, second.guests_created, second.stays_created), (0, 0, 0));
        assert_eq!(second.guests_matched, second.rows);
        assert!(second.hotels_created.is_empty());
        assert_eq!(db.store.counts().await.unwrap(), before);
        let guests_after = all_guests(db.store.as_ref()).await;
        assert_eq!(guests_after.iter().map(|g| g.version).collect::<Vec<_>>(), guests_before.iter().map(|g| g.version).collect::<Vec<_>>(), "no profile was rewritten");
    }

    fn people_sharing_a_name_stay_separate_profiles(db) {
        import(&db.store, &sample_file(), "hotel-booking-demand").await;
        let guests = all_guests(db.store.as_ref()).await;
        let smiths: Vec<_> = guests.iter().filter(|g| g.profile.name.given == "Michael" && g.profile.name.family == "Smith").collect();
        assert_eq!(smiths.len(), 5, "five different Michael Smiths in the file");
        let emails: HashSet<_> = smiths.iter().map(|g| g.profile.emails[0].value.clone()).collect();
        assert_eq!(emails.len(), 5);
        assert!(smiths.iter().all(|g| g.profile.emails.len() == 1 && g.profile.phones.len() == 1));
    }

    fn honorifics_and_suffixes_in_the_name_column_are_no_part_of_given_or_family(db) {
        import(&db.store, &sample_file(), "hotel-booking-demand").await;
        let guests = all_guests(db.store.as_ref()).await;
        // Row 83 of the file: `Mrs. Debra Jackson DDS`.
        let debra = guests.iter().find(|g| g.profile.emails.iter().any(|e| e.value.eq_ignore_ascii_case("DDS_Mrs.@att.com"))).expect("row 83 imported");
        let n = &debra.profile.name;
        assert_eq!((n.title.as_deref(), n.given.as_str(), n.family.as_str()), (Some("Mrs"), "Debra", "Jackson"));
        assert_eq!(search_ids(db.store.as_ref(), "Debra Jackson").await, vec![debra.id], "staff find her by her name");
        // Row 1634: `Mr. Jason Johnson Jr.`.
        let jason = guests.iter().find(|g| g.profile.emails.iter().any(|e| e.value.eq_ignore_ascii_case("Mr._J@protonmail.com"))).expect("row 1634 imported");
        let n = &jason.profile.name;
        assert_eq!((n.title.as_deref(), n.given.as_str(), n.family.as_str()), (Some("Mr"), "Jason", "Johnson"));
        assert!(search_ids(db.store.as_ref(), "jason johnson").await.contains(&jason.id));

        // Across the file: every name is one given and one family word, the 212 honorifics
        // are titles and none of the 262 suffixes is left in a name.
        let suffixes = ["MD", "DDS", "DVM", "PhD", "Jr.", "II", "III", "V"];
        let honorifics = ["Mr.", "Mrs.", "Ms.", "Miss", "Dr."];
        for g in &guests {
            let n = &g.profile.name;
            assert!(!n.given.contains(' ') && !n.family.contains(' ') && !n.family.is_empty(), "{n:?}");
            assert!(!suffixes.contains(&n.family.as_str()) && !honorifics.contains(&n.given.as_str()), "{n:?}");
        }
        let titles: HashSet<&str> = guests.iter().filter_map(|g| g.profile.name.title.as_deref()).collect();
        assert_eq!(titles, HashSet::from(["Mr", "Mrs", "Ms", "Miss", "Dr"]));
    }
}
