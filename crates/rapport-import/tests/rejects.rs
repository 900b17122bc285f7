//! Bad input of every kind: the row goes to the rejects file with its line, column and
//! reason; the good rows of the same file and everything stored before are kept.

mod common;

use common::*;
use rapport_domain::hotel::HotelInput;
use rapport_import::format::STAY_COLUMNS;
use rapport_import::ImportOptions;
use rapport_store::{backend_tests, Store};

async fn hotel(store: &dyn Store, code: &str) {
    let input = HotelInput {
        code: code.into(),
        name: format!("Hotel {code}"),
        country: "CN".into(),
        timezone: "Asia/Shanghai".into(),
        currency: "CNY".into(),
    };
    store.create_hotel(input.validate().unwrap()).await.unwrap();
}

/// One rapport-stays row from `(column, value)` pairs over a good default.
fn stay_row(changes: &[(&str, &str)]) -> Vec<u8> {
    let good = [
        ("reservation_id", "R0"),
        ("hotel", "H1"),
        ("arrival", "2024-05-01"),
        ("departure", "2024-05-03"),
        ("status", "checked_out"),
        ("rate", "880"),
        ("currency", "CNY"),
        ("given_name", "Wei"),
        ("family_name", "Zhang"),
        ("email", "wei@example.com"),
        ("spend_room", "1760"),
    ];
    let mut rec = csv::ByteRecord::new();
    for c in STAY_COLUMNS {
        let v = changes
            .iter()
            .find(|(k, _)| k == c)
            .or_else(|| good.iter().find(|(k, _)| k == c))
            .map_or("", |(_, v)| *v);
        rec.push_field(v.as_bytes());
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_byte_record(&rec).unwrap();
    w.into_inner().unwrap()
}

fn stays_file(rows: &[Vec<u8>]) -> Vec<u8> {
    let mut out = STAY_COLUMNS.join(",").into_bytes();
    out.push(b'\n');
    for r in rows {
        out.extend_from_slice(r);
    }
    out
}

backend_tests! {
    fn every_kind_of_bad_row_is_rejected_and_the_rest_kept(db) {
        hotel(db.store.as_ref(), "H1").await;
        let dir = tempfile::tempdir().unwrap();
        // Stored before: one guest with one stay.
        let before = write_file(dir.path(), "before.csv", &stays_file(&[stay_row(&[("reservation_id", "OLD"), ("email", "old@example.com")])]));
        assert_eq!(import(&db.store, &before, "rapport-stays").await.imported, 1);

        let mut bad_encoding = stay_row(&[("reservation_id", "R6"), ("email", "r6@example.com")]);
        let at = bad_encoding.windows(3).position(|w| w == b"Wei").unwrap();
        bad_encoding[at + 1] = 0xE9; // Latin-1 é in a UTF-8 file
        let rows = vec![
            stay_row(&[("reservation_id", "R1"), ("email", "r1@example.com")]),           // line 2: good
            b"R2,H1,2024-05-01\n".to_vec(),                                                  // line 3: too few fields
            stay_row(&[("reservation_id", "R4"), ("arrival", "2024-13-01")]),               // line 4
            stay_row(&[("reservation_id", "R5"), ("departure", "2024-04-28")]),             // line 5
            bad_encoding,                                                                    // line 6
            stay_row(&[("reservation_id", "R7"), ("hotel", "NOPE")]),                       // line 7
            stay_row(&[("reservation_id", "")]),                                            // line 8
            stay_row(&[("reservation_id", "R9"), ("special_requests", "quiet room,\nhigh floor"), ("email", "r9@example.com")]), // lines 9-10: good
            stay_row(&[("reservation_id", "R11"), ("status", "tentative")]),                // line 11
            stay_row(&[("reservation_id", "R12"), ("rate", "lots")]),                       // line 12
            stay_row(&[("reservation_id", "R13"), ("given_name", ""), ("family_name", ""), ("email", "")]), // line 13
            stay_row(&[("reservation_id", "R14"), ("special_requests", "late\0check-in"), ("email", "r14@example.com")]), // line 14
        ];
        let path = write_file(dir.path(), "stays.csv", &stays_file(&rows));
        let s = import(&db.store, &path, "rapport-stays").await;
        assert_eq!((s.rows, s.rejected, s.imported), (12, 10, 2), "{s:?}");
        let rejects_path = s.rejects_file.clone().expect("a rejects file");
        assert_eq!(rejects_path, dir.path().join("stays.csv.rejects.csv"));

        let rejects = read_rejects(&rejects_path);
        let got: Vec<(u64, &str)> = rejects.iter().map(|(l, c, _, _)| (*l, c.as_str())).collect();
        assert_eq!(got, vec![(3, ""), (4, "arrival"), (5, "departure"), (6, "given_name"), (7, "hotel"), (8, "reservation_id"), (11, "status"), (12, "rate"), (13, ""), (14, "special_requests")]);
        let reasons: Vec<&str> = rejects.iter().map(|(_, _, r, _)| r.as_str()).collect();
        for (reason, wanted) in reasons.iter().zip([
            "expected 33 fields, found 3",
            "'2024-13-01' is not a date",
            "before arrival",
            "not valid UTF-8",
            "unknown hotel 'NOPE'",
            "missing required field",
            "unknown status 'tentative'",
            "not a decimal amount",
            "missing required field",
            "holds a NUL character",
        ]) {
            assert!(reason.contains(wanted), "'{reason}' should say '{wanted}'");
        }
        assert!(rejects[0].3.starts_with("R2,H1,2024-05-01"), "the record is kept for fixing: {}", rejects[0].3);

        let stays = all_stays(db.store.as_ref()).await;
        let mut refs: Vec<String> = stays.iter().filter_map(|s| s.external_ref.clone()).collect();
        refs.sort();
        assert_eq!(refs, vec!["rapport:OLD", "rapport:R1", "rapport:R9"], "earlier and good rows are stored");
        let r9 = stays.iter().find(|s| s.external_ref.as_deref() == Some("rapport:R9")).unwrap();
        assert_eq!(r9.special_requests.as_deref(), Some("quiet room,\nhigh floor"));
        let old_guest = all_guests(db.store.as_ref()).await.into_iter().find(|g| g.profile.emails[0].value == "old@example.com");
        assert!(old_guest.is_some(), "the profile stored before survives");

        // Fixing nothing and importing again: good rows unchanged, the same rows rejected.
        let again = import(&db.store, &path, "rapport-stays").await;
        assert_eq!((again.unchanged, again.rejected, again.imported), (2, 10, 0));
    }

    fn negative_nights_and_bad_split_dates_are_rejected(db) {
        let dir = tempfile::tempdir().unwrap();
        let sample = std::fs::read_to_string(sample_file()).unwrap();
        let mut lines = sample.lines();
        let header = lines.next().unwrap();
        let good: Vec<&str> = lines.take(3).collect();
        let col = |name: &str| header.split(',').position(|c| c == name).unwrap();
        let with = |line: &str, name: &str, value: &str| {
            let mut f: Vec<String> = line.split(',').map(String::from).collect();
            f[col(name)] = value.to_string();
            f.join(",")
        };
        let content = [
            header.to_string(),
            good[0].to_string(),
            with(good[1], "stays_in_week_nights", "-1"),
            with(good[2], "arrival_date_month", "Julember"),
            with(&with(good[2], "row_id", "9999999"), "hotel", "Grand Budapest"),
        ]
        .join("\n");
        let path = write_file(dir.path(), "hbd.csv", content.as_bytes());
        let rejects = dir.path().join("custom-rejects.csv");
        let options = ImportOptions { rejects_path: Some(rejects.clone()), progress: true, ..ImportOptions::default() };
        let s = import_with(&db.store, &path, "hotel-booking-demand", options).await;
        assert_eq!((s.rows, s.imported, s.rejected), (4, 1, 3), "{s:?}");
        assert_eq!(s.rejects_file.as_deref(), Some(rejects.as_path()));
        let got: Vec<(u64, String)> = read_rejects(&rejects).into_iter().map(|(l, c, _, _)| (l, c)).collect();
        assert_eq!(got, vec![(3, "stays_in_week_nights".into()), (4, "arrival_date_month".into()), (5, "hotel".into())]);
        let text = std::fs::read_to_string(&rejects).unwrap();
        assert!(!text.contains("************"), "masked card numbers are not copied into rejects: {text}");
    }

    fn a_clean_file_leaves_no_rejects_file(db) {
        hotel(db.store.as_ref(), "H1").await;
        let dir = tempfile::tempdir().unwrap();
        let path = write_file(dir.path(), "stays.csv", &stays_file(&[stay_row(&[("arrival", "someday")])]));
        let s = import(&db.store, &path, "rapport-stays").await;
        assert!(s.rejects_file.as_ref().is_some_and(|p| p.exists()));
        std::fs::write(&path, stays_file(&[stay_row(&[])])).unwrap();
        let s = import(&db.store, &path, "rapport-stays").await;
        assert_eq!((s.rejected, s.rejects_file.clone()), (0, None));
        assert!(!dir.path().join("stays.csv.rejects.csv").exists(), "the stale rejects file of the first run is gone");
    }
}
