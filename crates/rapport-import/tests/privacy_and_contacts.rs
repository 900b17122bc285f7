//! No payment-card data reaches the database; contacts that do not normalise are kept,
//! flagged and never used to join profiles; profile-only files import idempotently.

mod common;

use common::*;
use rapport_domain::hotel::HotelInput;
use rapport_import::format::{GUEST_COLUMNS, STAY_COLUMNS};
use rapport_import::{Mapping, MappingError};
use rapport_store::backend_tests;

const CARDS: &[&str] = &[
    "4111 1111 1111 1111",
    "4111111111111111",
    "5500-0000-0000-0004",
    "5500000000000004",
    "4012888888881881",
    "************1881",
];

fn csv_file(header: &[&str], rows: &[&[(&str, &str)]]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).unwrap();
    for row in rows {
        w.write_record(header.iter().map(|c| row.iter().find(|(k, _)| k == c).map_or("", |(_, v)| *v)))
            .unwrap();
    }
    w.into_inner().unwrap()
}

backend_tests! {
    fn card_numbers_are_stored_nowhere(db) {
        let dir = tempfile::tempdir().unwrap();
        // The sample's masked `credit_card` column is never read.
        import(&db.store, &sample_file(), "hotel-booking-demand").await;
        // A PMS that typed card numbers into ordinary fields.
        let hotel = HotelInput { code: "H1".into(), name: "H1".into(), country: "CN".into(), timezone: "Asia/Shanghai".into(), currency: "CNY".into() };
        db.store.create_hotel(hotel.validate().unwrap()).await.unwrap();
        let content = csv_file(STAY_COLUMNS, &[&[
            ("reservation_id", "C1"), ("hotel", "H1"), ("arrival", "2024-05-01"), ("departure", "2024-05-02"), ("currency", "CNY"),
            ("given_name", "Card"), ("family_name", "Holder"), ("email", "holder@example.com"),
            ("room_type", CARDS[0]), ("special_requests", CARDS[2]), ("phone", CARDS[4]), ("company", CARDS[5]),
        ]]);
        let path = write_file(dir.path(), "cards.csv", &content);
        let s = import(&db.store, &path, "rapport-stays").await;
        assert_eq!((s.imported, s.rejected, s.card_values_dropped), (1, 0, 4), "{s:?}");
        assert!(s.warnings.iter().any(|w| w.contains("payment-card")), "{:?}", s.warnings);

        let text = everything_as_text(db.store.as_ref()).await;
        assert!(text.contains("holder@example.com"), "the booking itself is kept");
        for card in CARDS {
            assert!(!text.contains(card), "{card} was stored");
        }
        assert!(!text.contains("****"), "a masked card number was stored");
        if let Some(bytes) = sqlite_bytes(&db.url) {
            assert!(contains(&bytes, b"holder@example.com"), "the scan reads the database");
            for card in CARDS {
                assert!(!contains(&bytes, card.as_bytes()), "{card} is in the SQLite file");
            }
            assert!(!contains(&bytes, b"************"), "a masked card number is in the SQLite file");
        }
    }

    fn card_numbers_inside_free_text_are_masked_and_the_rest_kept(db) {
        let dir = tempfile::tempdir().unwrap();
        let hotel = HotelInput { code: "H1".into(), name: "H1".into(), country: "CN".into(), timezone: "Asia/Shanghai".into(), currency: "CNY".into() };
        db.store.create_hotel(hotel.validate().unwrap()).await.unwrap();
        let row = |id: &str, arrival: &str, requests: &str, company: &str| [
            ("reservation_id", id.to_string()), ("hotel", "H1".into()), ("arrival", arrival.into()), ("departure", "2024-05-09".into()),
            ("currency", "CNY".into()), ("given_name", "Free".into()), ("family_name", id.into()), ("email", format!("{id}@example.com")),
            ("special_requests", requests.into()), ("company", company.into()),
        ];
        let kept = row("T1", "2024-05-01", "pay by 4111 1111 1111 1111, late arrival", "Card 5500-0000-0000-0004 exp 01/29");
        // Phone numbers, dates, amounts and reservation numbers are not cards.
        let plain = row("T2", "2024-05-02", "call +86 138 1234 5678 on 2024-05-01 re RES-000123456789, deposit 1234567.89", "Acme 1234 5678 9012 3456");
        // A rejected row (departure before arrival) goes to the rejects file masked too.
        let rejected = row("T3", "2024-06-01", "visa 4012 8888 8888 1881 please", "");
        let rows: Vec<Vec<(&str, &str)>> = [&kept, &plain, &rejected].iter().map(|r| r.iter().map(|(k, v)| (*k, v.as_str())).collect()).collect();
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
        let path = write_file(dir.path(), "free-text.csv", &csv_file(STAY_COLUMNS, &rows));
        let s = import(&db.store, &path, "rapport-stays").await;
        assert_eq!((s.imported, s.rejected, s.card_values_dropped), (2, 1, 2), "{s:?}");

        let text = everything_as_text(db.store.as_ref()).await;
        assert!(text.contains("pay by [card ending 1111], late arrival"), "the request is kept without the card: {text}");
        assert!(text.contains("Card [card ending 0004] exp 01/29"), "{text}");
        for card in ["4111 1111 1111 1111", "5500-0000-0000-0004", "4012 8888 8888 1881"] {
            assert!(!text.contains(card), "{card} was stored");
        }
        assert!(text.contains(&plain[8].1), "text without a card is untouched");
        assert!(text.contains("Acme 1234 5678 9012 3456"), "16 digits failing the Luhn check are no card");
        let rejects = std::fs::read_to_string(s.rejects_file.as_ref().unwrap()).unwrap();
        assert!(rejects.contains("visa [card ending 1881] please") && !rejects.contains("4012 8888"), "{rejects}");
    }

    fn invalid_contacts_are_kept_flagged_and_never_join(db) {
        let dir = tempfile::tempdir().unwrap();
        let content = csv_file(GUEST_COLUMNS, &[
            &[("guest_id", "G1"), ("given_name", "Ann"), ("family_name", "Lee"), ("email", "ann at example"), ("phone", "12")],
            &[("guest_id", "G2"), ("given_name", "Bo"), ("family_name", "Chen"), ("email", "ann at example"), ("phone", "12")],
            &[("guest_id", "G3"), ("given_name", "Cy"), ("family_name", "Do"), ("email", "Cy@Example.com"), ("phone_2", "+1 669 792 1661")],
        ]);
        let path = write_file(dir.path(), "guests.csv", &content);
        let s = import(&db.store, &path, "rapport-guests").await;
        assert_eq!((s.rows, s.guests_created, s.flagged_contacts), (3, 3, 4), "{s:?}");
        let guests = all_guests(db.store.as_ref()).await;
        let ann = guests.iter().find(|g| g.profile.name.given == "Ann").unwrap();
        assert_eq!(ann.profile.emails[0].value, "ann at example");
        assert!(ann.profile.emails[0].invalid.is_some());
        assert_eq!(ann.profile.phones[0].value, "12");
        assert!(ann.profile.phones[0].invalid.is_some());
        let cy = guests.iter().find(|g| g.profile.name.given == "Cy").unwrap();
        assert_eq!((cy.profile.emails[0].value.as_str(), cy.profile.phones[0].value.as_str()), ("cy@example.com", "+16697921661"));
        assert!(cy.profile.emails[0].invalid.is_none());
    }

    fn a_profile_file_imports_twice_without_duplicates(db) {
        let dir = tempfile::tempdir().unwrap();
        let content = csv_file(GUEST_COLUMNS, &[
            &[("guest_id", "G1"), ("given_name", "Wei"), ("family_name", "Zhang"), ("native_name", "张伟"), ("birthday", "1980-02-29"), ("nationality", "cn"), ("city", "Shanghai")],
            &[("given_name", "Ann"), ("family_name", "Lee"), ("email", "ann@example.com")],
            &[("given_name", "Nobody"), ("family_name", "Known"), ("email", "not an email")],
            &[("given_name", "Ann"), ("family_name", "Lee"), ("email", "ANN@example.com"), ("language", "en")],
        ]);
        let path = write_file(dir.path(), "guests.csv", &content);
        let first = import(&db.store, &path, "rapport-guests").await;
        assert_eq!((first.rows, first.rejected, first.guests_created, first.guests_matched), (4, 1, 2, 1), "{first:?}");
        let rejects = read_rejects(first.rejects_file.as_deref().unwrap());
        assert_eq!((rejects[0].0, rejects[0].1.as_str()), (4, "guest_id"));
        assert!(rejects[0].2.contains("no identity"));
        let second = import(&db.store, &path, "rapport-guests").await;
        assert_eq!((second.unchanged, second.guests_created, second.imported), (3, 0, 0), "{second:?}");

        let guests = all_guests(db.store.as_ref()).await;
        assert_eq!(guests.len(), 2);
        let wei = guests.iter().find(|g| g.profile.name.given == "Wei").unwrap();
        assert_eq!(wei.profile.external_ids[0].id, "G1");
        assert_eq!(wei.profile.nationality.as_deref(), Some("CN"));
        assert_eq!(wei.profile.address.as_ref().and_then(|a| a.city.as_deref()), Some("Shanghai"));
        let ann = guests.iter().find(|g| g.profile.name.given == "Ann").unwrap();
        assert_eq!(ann.profile.language.as_deref(), Some("en"), "the second row filled a gap");
    }
}

#[test]
fn a_user_mapping_that_names_a_card_column_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(
        dir.path(),
        "pms.toml",
        br#"
[source]
name = "opera"
currency = "EUR"
[guest]
full_name = "name"
vip = "credit_card"
"#,
    );
    match Mapping::resolve(path.to_str().unwrap()) {
        Err(MappingError::CardColumn { column, field, .. }) => assert_eq!((column.as_str(), field.as_str()), ("credit_card", "guest.vip")),
        other => panic!("expected a refusal, got {other:?}"),
    }
}
