//! The staff console through a real server and database (SQLite and PostgreSQL): sign-in
//! and sessions, CSRF, roles and hotel scope on every screen, the guest page, editing,
//! notes, the arrivals brief, the dashboard, both languages, and escaping.

mod common;

use common::{form_fields, hidden, Client, Console, PASSWORD};
use rapport_store::backend_tests;

/// Anna at Zhang Wei's edit form: its CSRF token, the version it was read at and the
/// profile as stored then.
struct EditForm {
    app: Console,
    c: Client,
    id: i64,
    csrf: String,
    version: String,
    before: rapport_domain::guest::Guest,
}

/// The note form's text as a page shows it.
fn note_draft(html: &str) -> String {
    form_fields(html)
        .into_iter()
        .find(|(name, _)| name == "body")
        .expect("a note form")
        .1
}

impl EditForm {
    async fn open(db: rapport_store::testing::TestDb) -> EditForm {
        let app = Console::start(db).await;
        let id = app.seed.zhang_wei;
        let mut c = app.signed_in("anna").await;
        let form = c.get(&format!("/guests/{id}/edit")).await.body;
        let before = app.store.guest(id).await.unwrap();
        let (csrf, version) = (hidden(&form, "csrf"), hidden(&form, "version"));
        EditForm {
            app,
            c,
            id,
            csrf,
            version,
            before,
        }
    }

    /// Saves the form with Zhang Wei's name and `fields`.
    async fn save(&mut self, fields: &[(&str, &str)]) -> common::Page {
        let mut form = vec![
            ("csrf", self.csrf.as_str()),
            ("version", self.version.as_str()),
            ("given", "Wei"),
            ("family", "Zhang"),
        ];
        form.extend_from_slice(fields);
        self.c.post(&format!("/guests/{}", self.id), &form).await
    }
}

backend_tests! {
    fn an_unauthenticated_visit_leads_to_the_sign_in_form(db) {
        let app = Console::start(db).await;
        let mut c = Client::new(&app.base);
        for path in ["/", "/arrivals", "/guests?q=zhang", &format!("/guests/{}", app.seed.zhang_wei)] {
            let r = c.get(path).await;
            assert_eq!(r.status, 303, "{path}");
            assert!(r.location.as_deref().unwrap().starts_with("/login?next="), "{path}: {:?}", r.location);
        }
        let form = c.get("/login").await;
        assert_eq!(form.status, 200);
        assert!(form.body.contains(r#"action="/login""#) && form.body.contains(r#"name="password""#));
    }

    fn sign_in_gives_a_fresh_session_with_safe_cookies_and_sign_out_ends_it_on_the_server(db) {
        let app = Console::start(db).await;
        let mut c = Client::new(&app.base);
        c.cookies.insert("rapport_session".into(), "planted-by-an-attacker".into());
        let r = c.sign_in("anna", PASSWORD).await;
        assert_eq!((r.status, r.location.as_deref()), (303, Some("/")));
        let session = r.set_cookies.iter().find(|c| c.starts_with("rapport_session=")).expect("a session cookie");
        assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"), "{session}");
        assert!(!session.contains("Secure"), "plain HTTP: not Secure");
        let first = c.cookies["rapport_session"].clone();
        assert_ne!(first, "planted-by-an-attacker");
        assert_eq!(c.get("/").await.status, 200);

        // Signing in again gives another id.
        let mut again = Client::new(&app.base);
        again.sign_in("anna", PASSWORD).await;
        assert_ne!(again.cookies["rapport_session"], first);

        // Sign-out ends the session in the database: the old cookie is worth nothing.
        let csrf = c.csrf().await;
        let out = c.post("/logout", &[("csrf", &csrf)]).await;
        assert_eq!((out.status, out.location.as_deref()), (303, Some("/login")));
        let mut replay = Client::new(&app.base);
        replay.cookies.insert("rapport_session".into(), first);
        assert_eq!(replay.get("/").await.status, 303, "the ended session does not come back");
        assert_eq!(again.get("/").await.status, 200, "the other session goes on");
    }

    fn cookies_are_secure_behind_tls(db) {
        let app = Console::start(db).await;
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let r = http.get(app.url("/login")).header("x-forwarded-proto", "https").send().await.unwrap();
        let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
        assert!(cookie.contains("Secure") && cookie.contains("HttpOnly"), "{cookie}");
    }

    fn wrong_password_and_unknown_user_get_the_same_answer_then_throttling(db) {
        let app = Console::start(db).await;
        let mut c = Client::new(&app.base);
        let wrong = c.sign_in("anna", "not it").await;
        let unknown = c.sign_in("nobody", "not it").await;
        assert_eq!(wrong.status, 401);
        assert_eq!(unknown.status, 401);
        let msg = |b: &str| b[b.find("login-error").unwrap()..].split('<').next().unwrap().to_string();
        assert_eq!(msg(&wrong.body), msg(&unknown.body));
        assert!(wrong.body.contains("Wrong login or password."));
        assert!(!c.cookies.contains_key("rapport_session"));
        for _ in 0..4 {
            c.sign_in("anna", "still not it").await;
        }
        // Five failures: now even the right password is refused for a while.
        let locked = c.sign_in("anna", PASSWORD).await;
        assert_eq!(locked.status, 429, "{}", locked.body);
        assert!(locked.body.contains("Too many failed attempts"));
        assert!(!c.cookies.contains_key("rapport_session"));
        // A colleague at the same desk is not locked out.
        assert_eq!(Client::new(&app.base).sign_in("mark", PASSWORD).await.status, 303);
    }

    fn a_sign_in_form_from_elsewhere_is_refused(db) {
        let app = Console::start(db).await;
        let mut c = Client::new(&app.base);
        let r = c.post("/login", &[("login", "anna"), ("password", PASSWORD), ("csrf", "guessed")]).await;
        assert_eq!(r.status, 403);
        assert!(!c.cookies.contains_key("rapport_session"));
    }

    fn state_changes_need_the_session_csrf_token_and_get_changes_nothing(db) {
        let app = Console::start(db).await;
        let mut c = app.signed_in("anna").await;
        let id = app.seed.zhang_wei;
        let before = app.store.guest_notes(id, &rapport_domain::access::Scope::Group).await.unwrap().len();
        for token in ["", "0123456789abcdef"] {
            let r = c.post(&format!("/guests/{id}/notes"), &[("body", "forged"), ("csrf", token)]).await;
            assert_eq!(r.status, 403, "token {token:?}");
            assert!(r.body.contains("This form has expired"));
        }
        let r = c.post_with_headers("/arrivals/touch", &[("stay", &app.seed.arriving_stay.to_string()), ("touch", "x"), ("done", "1")], &[("x-csrf-token", "wrong")]).await;
        assert_eq!(r.status, 403);
        let r = c.post("/logout", &[]).await;
        assert_eq!(r.status, 403, "even sign-out needs the token");
        // A GET with the same parameters changes nothing either.
        let r = c.get(&format!("/guests/{id}/notes?body=forged")).await;
        assert_eq!(r.status, 405);
        assert_eq!(app.store.guest_notes(id, &rapport_domain::access::Scope::Group).await.unwrap().len(), before);
        assert!(app.store.arrival_touches(app.seed.shanghai, app.seed.today_sha).await.unwrap().is_empty());
        // With the token it works.
        let csrf = c.csrf().await;
        let r = c.post(&format!("/guests/{id}/notes"), &[("body", "Real note"), ("csrf", &csrf)]).await;
        assert_eq!(r.status, 303);
        assert_eq!(app.store.guest_notes(id, &rapport_domain::access::Scope::Group).await.unwrap().len(), before + 1);
    }

    fn disabling_a_user_ends_all_their_sessions(db) {
        let app = Console::start(db).await;
        let mut one = app.signed_in("anna").await;
        let mut two = app.signed_in("anna").await;
        assert_eq!(one.get("/").await.status, 200);
        app.store.set_user_disabled("anna", true).await.unwrap();
        assert_eq!(one.get("/").await.status, 303);
        assert_eq!(two.get("/arrivals").await.status, 303);
        assert_eq!(Client::new(&app.base).sign_in("anna", PASSWORD).await.status, 401, "and cannot sign in");
    }

    fn the_guest_page_shows_everything_in_scope_and_nothing_outside(db) {
        let app = Console::start(db).await;
        let id = app.seed.zhang_wei;
        let mut anna = app.signed_in("anna").await;
        let page = anna.get(&format!("/guests/{id}")).await;
        assert_eq!(page.status, 200);
        let b = &page.body;
        assert!(b.find("张伟").unwrap() < b.find("Wei Zhang").unwrap(), "own script first");
        for text in ["VIP GOLD", "peanuts", "floor", "high", "Lily", "daughter", "+8613812345678", "zhang.wei@example.cn",
                     "Aurelia SHA", "Aurelia LIS", "¥8,888.00", "€450.00", "Prefers green tea on arrival", "ming", "WeChat"] {
            assert!(b.contains(text), "guest page shows {text}");
        }
        assert!(b.contains("id=\"upcoming\""), "the birthday tomorrow is flagged");
        // A Lisbon-only desk sees the profile but not Shanghai's stays, spend or notes.
        let mut lis = app.signed_in("lis-desk").await;
        let b = lis.get(&format!("/guests/{id}")).await.body;
        assert!(b.contains("张伟") && b.contains("peanuts"));
        assert!(b.contains("Aurelia LIS") && b.contains("€450.00"));
        assert!(!b.contains("Aurelia SHA") && !b.contains("¥") && !b.contains("green tea"), "nothing from Shanghai leaks");
        assert_eq!(lis.get("/guests/999999").await.status, 404);
    }

    fn search_finds_guests_by_pinyin_characters_and_phone(db) {
        let app = Console::start(db).await;
        let mut c = app.signed_in("anna").await;
        let link = format!("/guests/{}", app.seed.zhang_wei);
        for q in ["zhangwei", "zhang%20wei", "zhang1%20wei3", "%E5%BC%A0%E4%BC%9F", "138%201234%205678", "%2B86-138-1234-5678", "ZHANG.WEI%40example.cn"] {
            let r = c.get(&format!("/search?q={q}")).await;
            assert_eq!(r.status, 200);
            assert!(r.body.contains(&link), "{q} finds Zhang Wei: {}", r.body);
        }
        let none = c.get("/search?q=nobody-by-this-name").await;
        assert!(none.body.contains("No guest found"));
        let page = c.get("/guests?q=zhang").await;
        assert!(page.body.contains(&link) && page.body.contains("One guest found"));
    }

    // The results page shows the first 50 matches; it says how many there are in all
    // (counted up to 200) instead of passing the 50 off as every match.
    fn the_search_page_says_how_many_guests_match_in_all(db) {
        use rapport_domain::guest::GuestProfile;
        use rapport_domain::ingest::IncomingBooking;
        use rapport_domain::names::GuestName;

        let app = Console::start(db).await;
        let family = |name: &str, n: u64| -> Vec<IncomingBooking> {
            (0..n)
                .map(|i| IncomingBooking {
                    line: i + 2,
                    profile: GuestProfile {
                        name: GuestName {
                            given: format!("Guest{i}"),
                            family: name.into(),
                            ..Default::default()
                        },
                        ..Default::default()
                    },
                    consents: vec![],
                    stay: None,
                    notes: vec![],
                })
                .collect()
        };
        app.store.import_batch(family("Sixtyfold", 60).into()).await.unwrap();
        app.store.import_batch(family("Manifold", 230).into()).await.unwrap();
        let mut c = app.signed_in("anna").await;

        let sixty = c.get("/guests?q=sixtyfold").await.body;
        assert!(sixty.contains("60 guests found · showing the first 50"), "{sixty}");
        assert_eq!(sixty.matches("class=\"hit\"").count(), 50);
        let many = c.get("/guests?q=manifold").await.body;
        assert!(many.contains("More than 200 guests found · showing the first 50"), "{many}");
        let few = c.get("/guests?q=sixtyfold%20guest59").await.body;
        assert!(few.contains("One guest found") && !few.contains("showing the first"), "{few}");
    }

    fn hostile_names_are_shown_as_text(db) {
        let app = Console::start(db).await;
        let mut c = app.signed_in("anna").await;
        let page = c.get(&format!("/guests/{}", app.seed.hostile)).await.body;
        assert!(!page.contains("<script>window"), "never raw");
        // askama escapes with numeric entities: the browser shows the characters as text.
        assert!(page.contains("&#60;script&#62;window.__pwned=1&#60;/script&#62;"));
        assert!(page.contains("O&#39;Brien &#60;b&#62;bold&#60;/b&#62;"));
        assert!(!page.contains("<b>bold"));
        let found = c.get("/search?q=brien").await.body;
        assert!(!found.contains("<script>") && found.contains("&#60;script&#62;"));
    }

    fn editing_shows_each_problem_at_its_field_and_stores_nothing_until_all_are_right(db) {
        let mut edit = EditForm::open(db).await;
        let bad = edit.save(&[("native", "张伟"), ("emails", "not-an-email"), ("phones", "+86 138 1234 5678"), ("birthday", "1984-13-45"),
            ("preferences", "room floor high")]).await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains(r#"id="e-emails""#) && bad.body.contains(r#"id="e-birthday""#) && bad.body.contains(r#"id="e-preferences""#));
        assert!(bad.body.contains("not-an-email"), "what was typed is kept in the form");
        let (app, id, before) = (&edit.app, edit.id, edit.before.clone());
        assert_eq!(app.store.guest(id).await.unwrap(), before, "nothing stored");

        let birthday = before.profile.birthday.unwrap().to_string();
        let good = edit.save(&[("native", "张伟"), ("emails", "wei@example.cn\nzhang.wei@example.cn"), ("phones", "+86 138 1234 5678"),
            ("birthday", &birthday), ("preferences", "room: floor = high\nfood: tea = green"),
            ("taboos", "allergy: peanuts"), ("family_members", "Lily; daughter; 2018-03-03"), ("vip_code", "GOLD")]).await;
        assert_eq!(good.status, 303, "{}", good.body);
        let app = &edit.app;
        let after = app.store.guest(id).await.unwrap();
        assert_eq!(after.profile.emails.len(), 2);
        assert_eq!(after.profile.preferences.len(), 2);
        assert_eq!(after.version, before.version + 1);

        // A second save from the stale form is refused, not merged over the colleague's edit.
        let (csrf, version) = (edit.csrf.clone(), edit.version.clone());
        let stale = edit.c.post(&format!("/guests/{id}"), &[("csrf", &csrf), ("version", &version), ("given", "Overwrite"), ("family", "Zhang")]).await;
        let app = &edit.app;
        assert_eq!(stale.status, 409);
        assert_eq!(app.store.guest(id).await.unwrap().profile.name.given, "Wei");
    }

    fn editing_one_field_keeps_contact_labels_and_imported_flagged_contacts(db) {
        use rapport_domain::contact::{ContactPoint, Region};
        let app = Console::start(db).await;
        let id = app.seed.zhang_wei;
        // As the demo and an import store them: labelled, and one of each flagged as entered.
        let mut g = app.store.guest(id).await.unwrap();
        g.profile.emails[0].label = Some("work".into());
        g.profile.phones[0].label = Some("mobile".into());
        g.profile.emails.push(ContactPoint::email_lenient("n/a"));
        g.profile.phones.push(ContactPoint::phone_lenient("020 7946 0000", Region::parse("US").unwrap()));
        assert!(!g.profile.emails[1].is_valid() && !g.profile.phones[1].is_valid());
        let before = app.store.update_guest(id, g.profile, None).await.unwrap();

        let mut c = app.signed_in("anna").await;
        let mut fields = form_fields(&c.get(&format!("/guests/{id}/edit")).await.body);
        fields.iter_mut().find(|(k, _)| k == "company").unwrap().1 = "Aurelia Trading".into();
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let saved = c.post(&format!("/guests/{id}"), &form).await;
        assert_eq!(saved.status, 303, "{}", saved.body);

        let after = app.store.guest(id).await.unwrap();
        assert_eq!(after.profile.company.as_deref(), Some("Aurelia Trading"));
        let mut expected = before.profile.clone();
        expected.company = Some("Aurelia Trading".into());
        assert_eq!(after.profile, expected, "only the company changed: labels and flagged contacts are kept");

        // A new value must still be a real address.
        let mut fields = form_fields(&c.get(&format!("/guests/{id}/edit")).await.body);
        fields.iter_mut().find(|(k, _)| k == "emails").unwrap().1.push_str("\nstill-not-an-email");
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = c.post(&format!("/guests/{id}"), &form).await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains(r#"id="e-emails""#) && !refused.body.contains(r#"id="e-phones""#));
        assert_eq!(app.store.guest(id).await.unwrap(), after);
    }

    fn an_unchanged_form_keeps_the_version_and_a_blank_birthday_clears_it(db) {
        let app = Console::start(db).await;
        let id = app.seed.zhang_wei;
        let before = app.store.guest(id).await.unwrap();
        let mut c = app.signed_in("anna").await;
        let post = |fields: &[(String, String)]| fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>();
        let fields = form_fields(&c.get(&format!("/guests/{id}/edit")).await.body);
        let form = post(&fields);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(c.post(&format!("/guests/{id}"), &pairs).await.status, 303);
        assert_eq!(app.store.guest(id).await.unwrap().version, before.version, "nothing changed, no new version");

        let mut form = post(&fields);
        form.iter_mut().find(|(k, _)| k == "birthday").unwrap().1.clear();
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(c.post(&format!("/guests/{id}"), &pairs).await.status, 303);
        let after = app.store.guest(id).await.unwrap();
        assert_eq!((after.profile.birthday, after.version), (None, before.version + 1));
    }

    fn an_overlong_company_or_street_is_shown_at_its_field(db) {
        let app = Console::start(db).await;
        let id = app.seed.zhang_wei;
        let before = app.store.guest(id).await.unwrap();
        let mut c = app.signed_in("anna").await;
        let mut fields = form_fields(&c.get(&format!("/guests/{id}/edit")).await.body);
        fields.iter_mut().find(|(k, _)| k == "company").unwrap().1 = "c".repeat(201);
        fields.iter_mut().find(|(k, _)| k == "street").unwrap().1 = "s\0".into();
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = c.post(&format!("/guests/{id}"), &form).await;
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains(r#"id="e-company""#) && refused.body.contains(r#"id="e-street""#), "{}", refused.body);
        assert_eq!(app.store.guest(id).await.unwrap(), before);
    }

    fn card_numbers_typed_into_the_profile_or_a_note_are_refused_at_their_field(db) {
        let mut edit = EditForm::open(db).await;
        let bad = edit.save(&[("company", "Card 5500-0000-0000-0004 exp 01/29"), ("street", "4111 1111 1111 1111"), ("city", "Room 1204, call +86 138 1234 5678")]).await;
        assert_eq!(bad.status, 422);
        let at = |field: &str| {
            let from = bad.body.find(&format!(r#"id="e-{field}""#)).unwrap_or_else(|| panic!("no error at {field}"));
            bad.body[from..from + bad.body[from..].find("</p>").unwrap()].to_string()
        };
        assert!(at("company").contains("card data is never stored") && at("street").contains("card data is never stored"));
        assert!(!bad.body.contains(r#"id="e-city""#), "a phone number and a room are no card");
        let EditForm { app, mut c, id, csrf, before, .. } = edit;
        assert_eq!(app.store.guest(id).await.unwrap(), before, "nothing stored");

        let notes_before = app.store.guest_notes(id, &rapport_domain::access::Scope::Group).await.unwrap().len();
        // A note about one of the guest's stays: the page offers them in the note form.
        let page = c.get(&format!("/guests/{id}")).await.body;
        let options = &page[page.find(r#"id="note-stay""#).unwrap()..];
        let stay = options.split(r#"<option value=""#).nth(2).and_then(|o| o.split('"').next()).unwrap().to_string();
        let typed = "Paid with visa 4111 1111 1111 1111 cvv 123, wants the receipt by mail";
        let r = c.post(&format!("/guests/{id}/notes"), &[("csrf", &csrf), ("body", typed), ("stay", &stay)]).await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("This looks like a payment card number; card data is never stored."), "the reason is shown at the note");
        // What was typed is kept in the form but for the card number, never sent back.
        assert_eq!(note_draft(&r.body), "Paid with visa [card ending 1111] cvv 123, wants the receipt by mail");
        assert!(!r.body.contains("4111 1111"), "{}", r.body);
        assert!(r.body.contains(&format!(r#"<option value="{stay}" selected>"#)), "the stay it was about stays chosen");
        assert_eq!(app.store.guest_notes(id, &rapport_domain::access::Scope::Group).await.unwrap().len(), notes_before, "the note was not stored");

        let long = "Allergic to shellfish. ".repeat(200);
        let r = c.post(&format!("/guests/{id}/notes"), &[("csrf", &csrf), ("body", &long)]).await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("A note needs 1 to 4,000 characters."), "{}", r.body);
        assert_eq!(note_draft(&r.body), long, "an over-long note comes back as typed, to be shortened");
        assert_eq!(app.store.guest_notes(id, &rapport_domain::access::Scope::Group).await.unwrap().len(), notes_before);

        // A NUL pasted from another program is named as the reason, not the note's length.
        let r = c.post(&format!("/guests/{id}/notes"), &[("csrf", &csrf), ("body", "Late arrival\0, keep the room")]).await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("A note cannot hold a NUL character"), "{}", r.body);
        assert!(!r.body.contains("A note needs 1 to 4,000 characters."), "{}", r.body);
        assert_eq!(note_draft(&r.body), "Late arrival, keep the room");
        assert_eq!(app.store.guest_notes(id, &rapport_domain::access::Scope::Group).await.unwrap().len(), notes_before);
    }

    fn marketing_reads_but_cannot_edit_or_tick(db) {
        let app = Console::start(db).await;
        let mut m = app.signed_in("mark").await;
        let id = app.seed.zhang_wei;
        assert_eq!(m.get(&format!("/guests/{id}")).await.status, 200);
        assert_eq!(m.get(&format!("/guests/{id}/edit")).await.status, 403);
        let csrf = m.csrf().await;
        let r = m.post(&format!("/guests/{id}/notes"), &[("csrf", &csrf), ("body", "x")]).await;
        assert_eq!(r.status, 403);
    }

    fn the_arrivals_brief_lists_what_to_prepare_and_keeps_ticks(db) {
        let app = Console::start(db).await;
        let mut c = app.signed_in("anna").await;
        let page = c.get("/arrivals?hotel=SHA").await;
        assert_eq!(page.status, 200);
        let b = &page.body;
        for text in ["张伟 (Wei Zhang)", "VIP GOLD", "peanuts", "floor: high", "Birthday: turns", "Returning guest", "2 earlier stays",
                     "Prefers green tea on arrival", "One arrival"] {
            assert!(b.contains(text), "brief shows {text}");
        }
        assert!(b.find("peanuts").unwrap() < b.find("floor: high").unwrap(), "allergies first");
        let csrf = hidden(b, "csrf");
        let stay = app.seed.arriving_stay.to_string();
        let r = c.post_with_headers("/arrivals/touch", &[("stay", &stay), ("touch", "taboo:allergy:peanuts"), ("done", "1")],
            &[("x-csrf-token", &csrf), ("x-requested-with", "fetch")]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.body.contains("anna"));
        let again = c.get("/arrivals?hotel=SHA").await.body;
        assert!(again.contains("✓ anna"), "the tick is stored with who");
        let marks = app.store.arrival_touches(app.seed.shanghai, app.seed.today_sha).await.unwrap();
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].done_by, "anna");
        // Another day, and another hotel outside a Lisbon desk's scope.
        let tomorrow = (app.seed.today_sha + chrono::Duration::days(1)).to_string();
        let chosen = c.get(&format!("/arrivals?hotel=SHA&date={tomorrow}")).await.body;
        assert!(chosen.contains("No arrivals on this day."));
        assert!(chosen.contains(&format!(r#"name="date" type="date" value="{tomorrow}""#)), "a chosen day stays in the form");
        // Unchosen, the day is today at whichever hotel the form switches to: the form sent
        // from Lisbon carries no Lisbon date to Shanghai, where today may already be tomorrow.
        let lisbon = c.get("/arrivals?hotel=LIS").await.body;
        assert!(lisbon.contains(r#"name="date" type="date" value="""#));
        assert!(c.get("/arrivals?hotel=SHA&date=").await.body.contains("张伟"), "today in Shanghai");
        let mut lis = app.signed_in("lis-desk").await;
        assert_eq!(lis.get("/arrivals?hotel=SHA").await.status, 404);
        let csrf = lis.csrf().await;
        let r = lis.post("/arrivals/touch", &[("csrf", &csrf), ("stay", &stay), ("touch", "x"), ("done", "1")]).await;
        assert_eq!(r.status, 404, "cannot tick another hotel's arrival");
    }

    fn the_dashboard_shows_each_hotel_and_the_group(db) {
        let app = Console::start(db).await;
        let mut c = app.signed_in("anna").await;
        let b = c.get("/").await.body;
        assert!(b.contains(r#"data-hotel="SHA""#) && b.contains(r#"data-hotel="LIS""#) && b.contains(r#"data-hotel="group""#));
        assert!(b.contains("¥8,888") && b.contains("€450"), "revenue in each hotel's currency");
        assert!(b.contains("100.0%"), "Zhang Wei came back to the group");
        assert!(b.contains("<svg") && b.contains("<rect"), "a chart drawn on the server");
        let mut lis = app.signed_in("lis-desk").await;
        let b = lis.get("/").await.body;
        assert!(!b.contains(r#"data-hotel="SHA""#) && !b.contains(r#"data-hotel="group""#));
    }

    fn chinese_is_chosen_per_user_and_formats_dates_and_money(db) {
        let app = Console::start(db).await;
        let mut c = app.signed_in("anna").await;
        let csrf = c.csrf().await;
        let r = c.post("/language", &[("csrf", &csrf), ("lang", "zh-CN"), ("back", "/arrivals?hotel=SHA")]).await;
        assert_eq!((r.status, r.location.as_deref()), (303, Some("/arrivals?hotel=SHA")));
        let b = c.get("/arrivals?hotel=SHA").await.body;
        assert!(b.contains(r#"<html lang="zh-CN">"#));
        assert!(b.contains("到店简报") && b.contains("过敏") && b.contains("回头客"), "{b}");
        assert!(b.contains("年") && b.contains("月"));
        let g = c.get(&format!("/guests/{}", app.seed.zhang_wei)).await.body;
        assert!(g.contains("入住记录") && g.contains("¥8,888.00"));
        assert!(!g.contains(">Stays<") && !g.contains("Sign out"), "no English left on the page");
        // It sticks to the user, on another browser too.
        let mut other = app.signed_in("anna").await;
        assert!(other.get("/").await.body.contains("概览"));
        // Before signing in, the browser's language decides.
        let http = reqwest::Client::new();
        let login = http.get(app.url("/login")).header("accept-language", "zh-CN,zh;q=0.9").send().await.unwrap().text().await.unwrap();
        assert!(login.contains("登录"));
    }
}

backend_tests! {
    fn the_guest_page_shows_value_tier_rfm_and_churn_once_analysed(db) {
        let app = Console::start(db).await;
        let mut c = app.signed_in("anna").await;
        let page = c.get(&format!("/guests/{}", app.seed.zhang_wei)).await.body;
        assert!(page.contains("Not analysed yet"));
        app.analyse_now().await;
        let page = c.get(&format!("/guests/{}", app.seed.zhang_wei)).await.body;
        assert!(page.contains(r#"class="badge tier-vip""#), "the only paying guest is a VIP");
        let benefits = &page[page.find(r#"id="benefits""#).expect("a VIP's benefits")..];
        assert!(benefits.contains("Late check-out until 16:00") && benefits.contains("Best available room"), "{benefits}");
        // The arrivals brief tells the desk what the arriving VIP is entitled to.
        let brief = c.get("/arrivals?hotel=SHA").await.body;
        let arrival = &brief[brief.find(&format!(r#"data-stay="{}""#, app.seed.arriving_stay)).unwrap()..];
        assert!(arrival.contains("Benefits:") && arrival.contains("Late check-out until 16:00"), "{arrival}");
        assert!(page.contains("Aurelia SHA") && page.contains("Whole group"));
        // A Lisbon desk sees the Lisbon line only: neither Shanghai's nor the group's, whose
        // revenue includes the Shanghai stays.
        let mut lis = app.signed_in("lis-desk").await;
        let b = lis.get(&format!("/guests/{}", app.seed.zhang_wei)).await.body;
        let value = &b[b.find(r#"id="value""#).unwrap()..b.find(r#"id="stays-h""#).unwrap()];
        assert!(value.contains("Aurelia LIS") && !value.contains("Aurelia SHA"), "{value}");
        assert!(!b.contains("Whole group"), "no group-wide value or tier history: {value}");
        assert!(value.contains("€450<"), "Lisbon's revenue: {value}");
        assert!(!b.contains("8,888") && !b.contains("¥"), "nothing of the Shanghai spend: {value}");
    }

    fn the_value_page_shows_the_80_20_view_tiers_profiles_cohorts_and_valuable_guests_at_risk(db) {
        use rapport_domain::guest::GuestProfile;
        use rapport_domain::names::GuestName;
        use rapport_domain::stay::StayStatus;
        let app = Console::start(db).await;
        let mut mark = app.signed_in("mark").await;
        let before = mark.get("/value").await;
        assert_eq!(before.status, 200);
        assert!(before.body.contains(r#"id="no-analysis""#), "nothing analysed yet");

        // A big spender who came three times two years ago and never since, and a dozen
        // small recent guests.
        let guest = |family: &str| GuestProfile {
            name: GuestName { given: "Olga".into(), family: family.into(), ..Default::default() },
            ..Default::default()
        };
        let lis = app.seed.lisbon;
        let two_years_ago = chrono::Utc::now().date_naive() - chrono::Duration::days(730);
        let faithful = app.store.create_guest(guest("Faithful"), vec![]).await.unwrap().id;
        for k in 0..3 {
            let arrival = two_years_ago + chrono::Duration::days(30 * k);
            app.store.add_stay(faithful, common::stay(lis, arrival, 4, StayStatus::CheckedOut, "EUR", 900_000)).await.unwrap();
        }
        for k in 0..12 {
            let g = app.store.create_guest(guest(&format!("Smallstay{k}")), vec![]).await.unwrap().id;
            let arrival = chrono::Utc::now().date_naive() - chrono::Duration::days(20 + k);
            app.store.add_stay(g, common::stay(lis, arrival, 1, StayStatus::CheckedOut, "EUR", 9_000 + 100 * k)).await.unwrap();
        }
        app.analyse_now().await;

        let b = mark.get("/value").await.body;
        assert!(b.contains(r#"id="lorenz-curve""#) && b.contains(r#"id="top-20""#) && b.contains(r#"id="gini""#));
        assert!(b.contains(r#"data-tier="vip""#) && b.contains(r#"data-tier="small""#), "tier distribution");
        assert!(b.contains(r#"id="profiles""#) && b.contains("Deluxe King") && b.contains("direct"), "segment profiles");
        assert!(b.contains(r#"id="cohorts""#) && b.contains("heat-10"), "a cohort heatmap starting at 100%");
        let risk = &b[b.find(r#"id="risk-h""#).unwrap()..];
        assert!(
            risk.contains(&format!(r#"href="/guests/{faithful}""#)) && risk.contains("Faithful"),
            "the lapsed big spender heads the at-risk list: {risk}"
        );
        assert!(!risk.contains("Smallstay"), "small recent guests are not listed");
        // Any top k%, any window, any hotel in scope.
        let all = mark.get("/value?scope=LIS&window=all&k=100").await.body;
        assert!(all.contains(r#"<output id="top-k" for="k">100.0%</output>"#), "the top 100% bring everything");
        let year = mark.get("/value?scope=LIS&window=365&k=20").await.body;
        assert!(year.contains(r#"aria-current="page">Last year</a>"#), "the one-year window is chosen");
        let guests_in = |b: &str| {
            let from = b.find(r#"id="window-guests">"#).unwrap() + r#"id="window-guests">"#.len();
            b[from..from + b[from..].find('<').unwrap()].to_string()
        };
        assert_eq!(guests_in(&all), "14", "Zhang Wei, Olga Faithful and twelve small guests stayed in Lisbon");
        assert_eq!(guests_in(&year), "12", "only the small guests stayed there in the last year");

        // The front desk has no guest lists by value; a Lisbon manager sees Lisbon only.
        let mut desk = app.signed_in("anna").await;
        assert_eq!(desk.get("/value").await.status, 403);
        assert!(!desk.get("/").await.body.contains(r#"href="/value""#), "not offered in the nav");
        let mut lisbon = app.signed_in("lis-manager").await;
        assert_eq!(lisbon.get("/value?scope=group").await.status, 404);
        assert_eq!(lisbon.get("/value?scope=SHA").await.status, 404);
        let own = lisbon.get("/value").await.body;
        assert!(own.contains(r#"aria-current="page">Aurelia LIS</a>"#) && own.contains(r#"id="lorenz-curve""#));
        assert!(!own.contains("/value?scope=group"), "no group figures offered");

        // In Chinese.
        let csrf = mark.csrf().await;
        mark.post("/language", &[("csrf", &csrf), ("lang", "zh-CN"), ("back", "/value")]).await;
        let zh = mark.get("/value").await.body;
        assert!(zh.contains("客户价值") && zh.contains("洛伦兹曲线") && zh.contains("有流失风险的高价值客户"), "{zh}");
    }
}
