//! The duplicate screens through a real server (SQLite and PostgreSQL): the review queue
//! with both profiles and the evidence, each decision, the merge history with undo on the
//! guest page, both languages, CSRF and roles.

mod common;

use common::{day, form_fields, stay, Console, PASSWORD};
use rapport_domain::duplicates::{FieldEvidence, FieldOutcome, MatchThresholds, ScoredPair};
use rapport_domain::guest::GuestProfile;
use rapport_domain::names::GuestName;
use rapport_domain::stay::StayStatus;
use rapport_store::{backend_tests, MergeRequest};

async fn look_alike(app: &Console, given: &str, family: &str) -> i64 {
    let profile = GuestProfile {
        name: GuestName {
            given: given.into(),
            family: family.into(),
            ..Default::default()
        },
        birthday: chrono::NaiveDate::from_ymd_opt(1980, 4, 3),
        ..Default::default()
    };
    app.store.create_guest(profile, vec![]).await.unwrap().id
}

fn pair(left: i64, right: i64, probability: f64) -> ScoredPair {
    ScoredPair {
        left,
        right,
        weight: 8.25,
        probability,
        evidence: vec![
            FieldEvidence {
                field: "name".into(),
                outcome: FieldOutcome::Partial,
                weight: 4.5,
                detail: "Wei Zhang ~ Wei Chang".into(),
            },
            FieldEvidence {
                field: "birth_date".into(),
                outcome: FieldOutcome::Agreed,
                weight: 6.0,
                detail: String::new(),
            },
            FieldEvidence {
                field: "loyalty_card".into(),
                outcome: FieldOutcome::Missing,
                weight: 0.0,
                detail: "<b>none</b>".into(),
            },
        ],
    }
}

backend_tests! {
    fn a_note_written_while_its_profile_was_merged_away_comes_back_on_the_survivor(db) {
        let app = Console::start(db).await;
        let zhang = app.seed.zhang_wei;
        let chang = look_alike(&app, "Wei", "Chang").await;
        let chang_stay = app.store.add_stay(chang, stay(app.seed.lisbon, day(2024, 3, 4), 2, StayStatus::CheckedOut, "EUR", 30_000)).await.unwrap().id;
        let mut anna = app.signed_in("anna").await;
        let csrf = anna.csrf().await;
        assert_eq!(anna.get(&format!("/guests/{chang}")).await.status, 200, "the front desk has Wei Chang's page open");
        // Meanwhile guest relations merge that profile into Zhang Wei's.
        let request = MergeRequest { decided_by: "gina".into(), reason: "same passport".into(), probability: None, evidence: vec![] };
        app.store.merge_guests(zhang, chang, request).await.unwrap();
        let notes_before = app.store.guest_notes(zhang, &rapport_domain::access::Scope::Group).await.unwrap().len();

        let typed = "Asked for a quiet room away from the lift";
        let r = anna.post(&format!("/guests/{chang}/notes"), &[("csrf", &csrf), ("body", typed), ("stay", &chang_stay.to_string())]).await;
        assert_eq!(r.status, 422, "the note is neither lost nor moved unasked");
        assert!(r.body.contains("The profile you were writing in was merged into this one meanwhile; your note was not saved."), "{}", r.body);
        assert!(r.body.contains("张伟"), "the page is the survivor's");
        assert!(r.body.contains(&format!(r#"action="/guests/{zhang}/notes""#)), "the form adds to the survivor");
        let draft = form_fields(&r.body).into_iter().find(|(name, _)| name == "body").map(|(_, v)| v);
        assert_eq!(draft.as_deref(), Some(typed), "the draft comes back as typed");
        assert!(r.body.contains(&format!(r#"<option value="{chang_stay}" selected>"#)), "the stay it was about, now the survivor's, stays chosen");
        assert_eq!(app.store.guest_notes(zhang, &rapport_domain::access::Scope::Group).await.unwrap().len(), notes_before, "nothing was stored");

        // Added there, it is the survivor's note about that stay.
        let r = anna.post(&format!("/guests/{zhang}/notes"), &[("csrf", &csrf), ("body", typed), ("stay", &chang_stay.to_string())]).await;
        assert_eq!(r.status, 303);
        let notes = app.store.guest_notes(zhang, &rapport_domain::access::Scope::Group).await.unwrap();
        assert!(notes.iter().any(|n| n.body == typed && n.stay_id == Some(chang_stay)), "{notes:?}");
    }

    fn what_staff_change_in_the_console_is_what_the_next_arrival_is_checked_against(db) {
        let app = Console::start_with_identity(db, 1500).await;
        let watch = app.identity.clone().unwrap();
        let ingrid = |email: Option<&str>, birthday: Option<chrono::NaiveDate>| GuestProfile {
            name: GuestName {
                given: "Ingrid".into(),
                family: "Halvorsrud".into(),
                ..Default::default()
            },
            emails: email.into_iter().map(rapport_domain::contact::ContactPoint::email_lenient).collect(),
            birthday,
            ..Default::default()
        };
        let first = app.store.create_guest(ingrid(None, chrono::NaiveDate::from_ymd_opt(1990, 2, 2)), vec![]).await.unwrap();
        watch.arrived(&first).await.unwrap();

        // The desk adds her email on the guest page.
        let mut anna = app.signed_in("anna").await;
        let form = anna.get(&format!("/guests/{}/edit", first.id)).await.body;
        let (csrf, version) = (common::hidden(&form, "csrf"), common::hidden(&form, "version"));
        let saved = anna.post(&format!("/guests/{}", first.id), &[("csrf", &csrf), ("version", &version), ("given", "Ingrid"),
            ("family", "Halvorsrud"), ("emails", "ingrid.h@example.no"), ("birthday", "1990-02-02")]).await;
        assert_eq!(saved.status, 303, "{}", saved.body);

        // She books again with that email and nothing else: the check sees the email agree.
        let again = app.store.create_guest(ingrid(Some("ingrid.h@example.no"), None), vec![]).await.unwrap();
        let outcome = watch.arrived(&again).await.unwrap();
        assert_eq!(outcome.merged + outcome.queued, 1, "{outcome:?}");
        let evidence = match app.store.guest_merges(first.id).await.unwrap().first() {
            Some(merge) => merge.evidence.clone(),
            None => app.store.review_queue(0, 100).await.unwrap().items.into_iter().find(|p| p.left == first.id).unwrap().evidence,
        };
        let contact = evidence.iter().find(|e| e.field == "email_phone").unwrap();
        assert_eq!(contact.outcome, FieldOutcome::Agreed, "the edited email is in the index: {evidence:?}");
    }

    fn the_review_queue_shows_both_profiles_and_the_evidence_and_takes_decisions(db) {
        let app = Console::start(db).await;
        let zhang = app.seed.zhang_wei;
        let chang = look_alike(&app, "Wei", "Chang").await;
        let (li, li2) = (look_alike(&app, "Na", "Li").await, look_alike(&app, "Na", "Lee").await);
        app.store.record_candidates(vec![pair(zhang, chang, 0.95), pair(li, li2, 0.85)], MatchThresholds::default()).await.unwrap();

        let mut gina = app.signed_in("gina").await;
        let page = gina.get("/duplicates").await;
        assert_eq!(page.status, 200);
        let b = &page.body;
        assert!(b.contains("href=\"/duplicates\""), "the queue is in the menu");
        for text in ["Possible duplicates", "张伟", "Wei Chang", "zhang.wei@example.cn", "Match probability", "95", "Birth date", "agrees",
                     "partly agrees", "+4.50", "Wei Zhang ~ Wei Chang", "loyalty_card", "Not the same person", "Decide later"] {
            assert!(b.contains(text), "queue shows {text}");
        }
        assert!(b.contains("&#60;b&#62;none&#60;/b&#62;") && !b.contains("<b>none</b>"), "evidence is escaped");
        assert!(b.find(&format!("data-pair=\"{zhang}-{chang}\"")).unwrap() < b.find(&format!("data-pair=\"{li}-{li2}\"")).unwrap());

        // Without the form's token nothing is decided.
        let r = gina.post("/duplicates/decide", &[("left", &zhang.to_string()), ("right", &chang.to_string()), ("decision", "merge")]).await;
        assert_eq!(r.status, 403);
        assert_eq!(app.store.review_queue(0, 10).await.unwrap().total, 2);

        let csrf = gina.csrf().await;
        let decide = |l: i64, r: i64, d: &'static str| (l.to_string(), r.to_string(), d);
        let (l, r, d) = decide(li, li2, "later");
        let out = gina.post("/duplicates/decide", &[("csrf", &csrf), ("left", &l), ("right", &r), ("decision", d)]).await;
        assert_eq!((out.status, out.location.as_deref()), (303, Some("/duplicates?done=later")));
        assert!(gina.get("/duplicates?done=later").await.body.contains("Postponed"));
        let (l, r, d) = decide(li, li2, "distinct");
        gina.post("/duplicates/decide", &[("csrf", &csrf), ("left", &l), ("right", &r), ("decision", d)]).await;
        let (l, r, d) = decide(zhang, chang, "merge");
        let out = gina.post("/duplicates/decide", &[("csrf", &csrf), ("left", &l), ("right", &r), ("decision", d)]).await;
        assert_eq!(out.status, 303);
        let page = gina.get("/duplicates?done=merge").await.body;
        assert!(page.contains("The profiles were merged.") && page.contains("No pairs are waiting"));

        // The absorbed profile's page leads to the survivor, which shows the history with undo.
        let r = gina.get(&format!("/guests/{chang}")).await;
        assert_eq!((r.status, r.location), (303, Some(format!("/guests/{zhang}?merged={chang}"))));
        let page = gina.get(&format!("/guests/{zhang}?merged={chang}")).await.body;
        for text in ["Merge history", &format!("Profile #{chang} was merged into this one"), "gina", "review: the same person",
                     "Undo merge", "Also known as", "Wei Chang"] {
            assert!(page.contains(text), "guest page shows {text}");
        }
        let merge_id = app.store.guest_merges(zhang).await.unwrap()[0].id;
        let out = gina.post(&format!("/merges/{merge_id}/undo"), &[("csrf", &csrf)]).await;
        assert_eq!(out.location, Some(format!("/guests/{zhang}?undone={chang}#merges")));
        let page = gina.get(&format!("/guests/{zhang}?undone={chang}")).await.body;
        assert!(page.contains("The merge was undone") && page.contains("Undone · gina") && !page.contains("Undo merge"));
        assert_eq!(gina.get(&format!("/guests/{chang}")).await.status, 200);
        let again = gina.post(&format!("/merges/{merge_id}/undo"), &[("csrf", &csrf)]).await;
        assert_eq!(again.status, 409);
    }

    fn the_front_desk_neither_sees_nor_works_the_queue(db) {
        let app = Console::start(db).await;
        let chang = look_alike(&app, "Wei", "Chang").await;
        app.store.record_candidates(vec![pair(app.seed.zhang_wei, chang, 0.95)], MatchThresholds::default()).await.unwrap();
        for login in ["anna", "mark"] {
            let mut c = app.signed_in(login).await;
            assert!(!c.get("/").await.body.contains("href=\"/duplicates\""), "{login} has no queue in the menu");
            assert_eq!(c.get("/duplicates").await.status, 403);
            let csrf = c.csrf().await;
            let r = c.post("/duplicates/decide", &[("csrf", &csrf), ("left", &app.seed.zhang_wei.to_string()), ("right", &chang.to_string()), ("decision", "merge")]).await;
            assert_eq!(r.status, 403);
        }
        assert_eq!(app.store.review_queue(0, 10).await.unwrap().total, 1);
    }

    fn the_queue_speaks_chinese(db) {
        let app = Console::start(db).await;
        let chang = look_alike(&app, "Wei", "Chang").await;
        app.store.record_candidates(vec![pair(app.seed.zhang_wei, chang, 0.95)], MatchThresholds::default()).await.unwrap();
        app.store.set_user_language(app.store.user_by_login("gina").await.unwrap().0.id, "zh-CN").await.unwrap();
        let mut gina = common::Client::new(&app.base);
        assert_eq!(gina.sign_in("gina", PASSWORD).await.status, 303);
        let b = gina.get("/duplicates").await.body;
        for text in ["疑似重复档案", "匹配概率", "出生日期", "一致", "部分一致", "合并", "不是同一人", "稍后决定", "重复档案"] {
            assert!(b.contains(text), "queue shows {text}");
        }
        assert!(!b.contains("Possible duplicates") && !b.contains("Decide later"));
    }
}
