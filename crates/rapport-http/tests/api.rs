//! The REST API through a real server, on SQLite and PostgreSQL.

mod common;

use common::{problem, TestApp};
use rapport_domain::access::{Role, Scope};
use rapport_store::backend_tests;
use serde_json::{json, Value};

fn zhang_wei() -> Value {
    json!({
        "name": {"given": "Wei", "family": "Zhang", "native": "张伟", "title": "Mr"},
        "emails": ["Wei.Zhang@Example.com"],
        "phones": ["+86 138 1234 5678"],
        "birthday": "1980-05-17",
        "nationality": "cn",
        "external_ids": [{"source": "opera", "id": "OP-55120"}],
        "preferences": [{"kind": "room", "key": "pillow", "value": "buckwheat"}],
        "taboos": [{"kind": "allergy", "description": "peanuts"}]
    })
}

backend_tests! {
    fn every_api_route_requires_a_token(db) {
        let app = TestApp::start(db).await;
        let doc: Value = app.client.get(format!("{}/api/openapi.json", app.base)).send().await.unwrap().json().await.unwrap();
        let paths = doc["paths"].as_object().unwrap();
        assert_eq!(paths.len(), 18, "every documented path is checked");
        for (path, ops) in paths {
            let concrete = path.replace("{id}", "1").replace("{code}", "X").replace("{left}", "1").replace("{right}", "2");
            for method in ops.as_object().unwrap().keys() {
                let req = app.client.request(method.to_uppercase().parse().unwrap(), format!("{}{concrete}", app.base)).json(&json!({}));
                let r = req.send().await.unwrap();
                assert_eq!(r.status(), 401, "{method} {path}");
                let r = app.client.request(method.to_uppercase().parse().unwrap(), format!("{}{concrete}", app.base))
                    .bearer_auth("rpt_not-a-real-token").send().await.unwrap();
                assert_eq!(r.status(), 401, "{method} {path} with a wrong token");
            }
        }
    }

    fn a_guest_is_created_read_and_updated(db) {
        let app = TestApp::start(db).await;
        let created = app.guest(zhang_wei()).await;
        let id = created["id"].as_i64().unwrap();
        assert_eq!(created["emails"][0]["value"], "wei.zhang@example.com");
        assert_eq!(created["phones"][0]["value"], "+8613812345678");
        assert_eq!(created["nationality"], "CN");

        let read: Value = app.get(&app.admin, &format!("/api/v1/guests/{id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(read, created);

        let r = app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"vip_code": "V1", "phones": ["+86 139 0000 1111", "+86 138 1234 5678"]})).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let updated: Value = r.json().await.unwrap();
        assert_eq!(updated["vip_code"], "V1");
        assert_eq!(updated["version"], 2);
        assert_eq!(updated["name"]["native"], "张伟", "fields not sent are kept");
        assert_eq!(updated["phones"].as_array().unwrap().len(), 2);
    }

    fn a_partial_name_patch_changes_only_the_parts_sent(db) {
        let app = TestApp::start(db).await;
        let created = app.guest(json!({"name": {"given": "Ann", "family": "Tester", "native": "安·特斯特", "title": "Ms"}, "emails": ["Ann.Tester@Example.COM"]})).await;
        let id = created["id"].as_i64().unwrap();
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"name": {"given": "Annie"}})).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let g: Value = r.json().await.unwrap();
        assert_eq!(g["name"], json!({"given": "Annie", "family": "Tester", "native": "安·特斯特", "title": "Ms"}));
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"name": {"native": null, "title": null}})).send().await.unwrap();
        let g: Value = r.json().await.unwrap();
        assert_eq!(g["name"], json!({"given": "Annie", "family": "Tester"}), "null clears an optional part");
        let p = problem(app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"name": {"given": null, "family": ""}})).send().await.unwrap(), 422).await;
        assert_eq!(p["errors"][0]["field"], "name");
    }

    fn contacts_keep_their_labels_and_imported_flags_unless_changed(db) {
        use rapport_domain::contact::{ContactPoint, Region};
        let app = TestApp::start(db).await;
        let id = app.guest(json!({"name": {"given": "Ann", "family": "Tester"},
            "emails": [{"value": "Ann.Tester@Example.COM", "label": "work"}], "phones": ["+44 20 7946 0958"]})).await["id"].as_i64().unwrap();
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"phones": [{"value": "+44 20 7946 0958", "label": "mobile"}, "+1 669 792 1661"]})).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"emails": ["ann.tester@example.com"], "phones": ["+442079460958", {"value": "+16697921661", "label": "home"}]})).send().await.unwrap();
        let g: Value = r.json().await.unwrap();
        assert_eq!(g["emails"], json!([{"value": "ann.tester@example.com", "label": "work"}]), "a plain string keeps the stored label");
        assert_eq!(g["phones"], json!([{"value": "+442079460958", "label": "mobile"}, {"value": "+16697921661", "label": "home"}]));

        // An imported profile: the values the PMS had, kept and flagged.
        let mut profile = app.store.guest(id).await.unwrap().profile;
        profile.emails = vec![ContactPoint::email_lenient("n/a")];
        profile.phones = vec![ContactPoint::phone_lenient("020 7946 0000", Region::parse("US").unwrap())];
        let imported = app.store.create_guest(profile, vec![]).await.unwrap();
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{}", imported.id), json!({"emails": ["n/a"], "phones": ["020 7946 0000"], "company": "Acme"})).send().await.unwrap();
        assert_eq!(r.status(), 200, "unchanged flagged values do not block the edit");
        let g: Value = r.json().await.unwrap();
        assert_eq!(g["company"], "Acme");
        assert_eq!(g["emails"], serde_json::to_value(&imported.profile.emails).unwrap(), "still flagged");
        assert_eq!(g["phones"], serde_json::to_value(&imported.profile.phones).unwrap());
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{}", imported.id), json!({"emails": ["n/a", "none"], "phones": [{"value": "020 7946 0001"}]})).send().await.unwrap();
        let p = problem(r, 422).await;
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["emails[1]", "phones[0]"], "a new or changed value must normalise");
    }

    fn null_clears_a_field_and_a_patch_that_changes_nothing_keeps_the_version(db) {
        let app = TestApp::start(db).await;
        let created = app.guest(json!({"name": {"given": "Ann", "family": "Tester"}, "birthday": "1980-01-02", "anniversary": "2005-06-07",
            "company": "Acme", "address": {"street": "1 Rua Augusta", "city": "Porto", "country": "pt"}})).await;
        let id = created["id"].as_i64().unwrap();
        let path = format!("/api/v1/guests/{id}");
        let r = app.patch(&app.admin, &path, json!({"birthday": null, "company": null, "address": {"city": "Lisbon"}})).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let g: Value = r.json().await.unwrap();
        assert!(g.get("birthday").is_none() && g.get("company").is_none(), "{g}");
        assert_eq!(g["anniversary"], "2005-06-07", "a field not sent is kept");
        assert_eq!(g["address"], json!({"street": "1 Rua Augusta", "city": "Lisbon", "country": "PT"}));
        assert_eq!(g["version"], 2);
        for same in [json!({}), json!({"birthday": null, "name": {"given": "Ann"}, "address": {"city": "Lisbon"}})] {
            let r = app.patch(&app.admin, &path, same).send().await.unwrap();
            assert_eq!(r.status(), 200);
            assert_eq!(r.json::<Value>().await.unwrap()["version"], 2, "nothing changed, no new version");
        }
        problem(app.patch(&app.admin, &path, json!({})).header("If-Match", "1").send().await.unwrap(), 409).await;
        let p = problem(app.patch(&app.admin, &path, json!({"birthday": ""})).send().await.unwrap(), 422).await;
        assert_eq!(p["errors"][0]["field"], "birthday", "{p}");
    }

    fn every_free_text_field_is_capped_with_field_errors(db) {
        let app = TestApp::start(db).await;
        app.hotel("LIS", "EUR").await;
        let before = app.guest(zhang_wei()).await;
        let id = before["id"].as_i64().unwrap();
        let tags: Vec<String> = (0..20_000).map(|i| format!("t{i}")).collect();
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"company": "x".repeat(900_000), "vip_code": "v".repeat(50_000), "tags": tags})).send().await.unwrap();
        let p = problem(r, 422).await;
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["company", "vip_code", "tags"]);
        let r = app.post(&app.admin, &format!("/api/v1/guests/{id}/stays"), json!({"hotel": "LIS", "arrival": "2026-03-01", "departure": "2026-03-02",
            "special_requests": "r".repeat(2001), "room_type": "k".repeat(201)})).send().await.unwrap();
        let p = problem(r, 422).await;
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["room_type", "special_requests"]);
        let r = app.post(&app.admin, &format!("/api/v1/guests/{id}/notes"), json!({"body": "n".repeat(4001)})).send().await.unwrap();
        assert_eq!(problem(r, 422).await["errors"][0]["field"], "body");
        let after: Value = app.get(&app.admin, &format!("/api/v1/guests/{id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(after, before);
        assert_eq!(app.store.counts().await.unwrap().stays, 0);
    }

    fn invalid_input_is_refused_with_field_details_and_loses_nothing(db) {
        let app = TestApp::start(db).await;
        let before = app.guest(zhang_wei()).await;
        let id = before["id"].as_i64().unwrap();

        let r = app.post(&app.admin, "/api/v1/guests", json!({"name": {"given": "", "family": ""}, "emails": ["not-an-email"], "phones": ["12"]})).send().await.unwrap();
        let p = problem(r, 422).await;
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["name", "emails[0]", "phones[0]"]);

        let r = app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"emails": ["x@y"], "vip_code": "LOST"})).send().await.unwrap();
        let p = problem(r, 422).await;
        assert_eq!(p["errors"][0]["field"], "emails[0]");

        let r = app.client.post(format!("{}/api/v1/guests", app.base)).bearer_auth(&app.admin)
            .header("content-type", "application/json").body("{not json").send().await.unwrap();
        problem(r, 400).await;
        let r = app.post(&app.admin, "/api/v1/guests", json!({"name": {"given": "A", "family": "B"}, "credit_card": "4111111111111111"})).send().await.unwrap();
        problem(r, 422).await;

        let after: Value = app.get(&app.admin, &format!("/api/v1/guests/{id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(after, before, "a refused change leaves the stored profile as it was");
        assert_eq!(app.store.counts().await.unwrap().guests, 1);
    }

    fn every_error_names_the_field_at_fault_in_a_problem_document(db) {
        let app = TestApp::start(db).await;
        app.hotel("LIS", "EUR").await;
        let gid = app.guest(zhang_wei()).await["id"].as_i64().unwrap();
        let fields = |p: &Value| -> Vec<String> { p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect() };
        for (body, field) in [
            (json!({"name": {"given": "A", "family": "B"}, "birthday": "1990-02-30"}), "birthday"),
            (json!({"name": {"given": "A", "family": "B"}, "foo": 1}), "foo"),
            (json!({"name": {"given": "A", "family": "B"}, "tags": [1]}), "tags[0]"),
        ] {
            let p = problem(app.post(&app.admin, "/api/v1/guests", body.clone()).send().await.unwrap(), 422).await;
            assert_eq!(fields(&p), vec![field], "{body}");
        }
        let p = problem(app.get(&app.admin, "/api/v1/hotels/LIS/stays?from=2025-13-01&to=2026-01-01").send().await.unwrap(), 400).await;
        assert_eq!(fields(&p), vec!["from"]);
        let stay = json!({"hotel": "LIS", "arrival": "2026-03-01", "departure": "2026-03-04", "adults": -2, "children": -1});
        let p = problem(app.post(&app.admin, &format!("/api/v1/guests/{gid}/stays"), stay).send().await.unwrap(), 422).await;
        assert_eq!(fields(&p), vec!["adults", "children"], "every field error at once");

        // Declared too large: refused before the body is sent. A raw request, so the client
        // waits for the answer instead of racing the server's close with 3 MB of body.
        let head = large_body_answer(&app.base, &app.admin, 3_000_000).await;
        assert!(head.starts_with("HTTP/1.1 413"), "{head}");
        assert!(head.to_ascii_lowercase().contains("content-type: application/problem+json"), "{head}");
        let r = app.client.put(format!("{}/api/v1/guests", app.base)).bearer_auth(&app.admin).send().await.unwrap();
        assert!(r.headers()["allow"].to_str().unwrap().contains("GET"), "{:?}", r.headers());
        let p = problem(r, 405).await;
        assert_eq!(p["status"], 405);
        assert_eq!(app.store.counts().await.unwrap().guests, 1, "nothing refused was stored");
    }

    fn card_numbers_are_refused_in_every_text_field_naming_it_and_nothing_is_stored(db) {
        let app = TestApp::start(db).await;
        app.hotel("LIS", "EUR").await;
        let before = app.guest(zhang_wei()).await;
        let id = before["id"].as_i64().unwrap();
        let card_fields = |p: &Value| -> Vec<String> {
            p["errors"].as_array().unwrap().iter()
                .filter(|e| e["message"] == "looks like a payment card number; card data is never stored")
                .map(|e| e["field"].as_str().unwrap().to_string()).collect()
        };

        let r = app.post(&app.admin, "/api/v1/guests", json!({"name": {"given": "Card", "family": "Holder"}, "company": "4111-1111-1111-1111", "tags": ["vip", "5500 0000 0000 0004"]})).send().await.unwrap();
        assert_eq!(card_fields(&problem(r, 422).await), vec!["company", "tags[1]"]);
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"preferences": [{"kind": "service", "key": "billing", "value": "charge 4012 8888 8888 1881"}], "vip_code": "V2"})).send().await.unwrap();
        assert_eq!(card_fields(&problem(r, 422).await), vec!["preferences[0].value"]);

        let stays = format!("/api/v1/guests/{id}/stays");
        let r = app.post(&app.admin, &stays, json!({"hotel": "LIS", "arrival": "2026-03-01", "departure": "2026-03-02",
            "special_requests": "card 4111111111111111 exp 12/27", "external_ref": "4111111111111111"})).send().await.unwrap();
        assert_eq!(card_fields(&problem(r, 422).await), vec!["external_ref", "special_requests"]);
        let notes = format!("/api/v1/guests/{id}/notes");
        let r = app.post(&app.admin, &notes, json!({"body": "paid with visa 4111 1111 1111 1111 cvv 123"})).send().await.unwrap();
        assert_eq!(card_fields(&problem(r, 422).await), vec!["body"]);
        let r = app.post(&app.admin, &format!("/api/v1/guests/{id}/consents"), json!({"channel": "email", "granted": true, "source": "card 4111 1111 1111 1111"})).send().await.unwrap();
        assert_eq!(card_fields(&problem(r, 422).await), vec!["source"]);

        // Nothing refused was stored, and nothing stored was lost.
        let after: Value = app.get(&app.admin, &format!("/api/v1/guests/{id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(after, before);
        assert_eq!(app.store.counts().await.unwrap().guests, 1);
        let kept: Vec<Value> = app.get(&app.admin, &stays).send().await.unwrap().json().await.unwrap();
        assert!(kept.is_empty());
        let kept: Vec<Value> = app.get(&app.admin, &notes).send().await.unwrap().json().await.unwrap();
        assert!(kept.is_empty());

        // Phone numbers, dates, amounts and reservation numbers are no cards.
        let plain = "call +86 138 1234 5678 on 2026-03-01, deposit 1234567.89, ref 1234 5678 9012 3456";
        let r = app.post(&app.admin, &stays, json!({"hotel": "LIS", "arrival": "2026-03-01", "departure": "2026-03-02",
            "special_requests": plain, "external_ref": "RES-000123456789"})).send().await.unwrap();
        assert_eq!(r.status(), 201);
        assert_eq!(app.post(&app.admin, &notes, json!({"body": plain})).send().await.unwrap().status(), 201);
    }

    fn a_stale_version_is_a_conflict(db) {
        let app = TestApp::start(db).await;
        let id = app.guest(zhang_wei()).await["id"].as_i64().unwrap();
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"company": "Acme"})).header("If-Match", "1").send().await.unwrap();
        assert_eq!(r.status(), 200);
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"company": "Other"})).header("If-Match", "1").send().await.unwrap();
        problem(r, 409).await;
        let g: Value = app.get(&app.admin, &format!("/api/v1/guests/{id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(g["company"], "Acme");
    }

    fn missing_rows_are_404_problems(db) {
        let app = TestApp::start(db).await;
        problem(app.get(&app.admin, "/api/v1/guests/999").send().await.unwrap(), 404).await;
        problem(app.get(&app.admin, "/api/v1/stays/999").send().await.unwrap(), 404).await;
        problem(app.get(&app.admin, "/api/v1/guests/abc").send().await.unwrap(), 400).await;
        problem(app.get(&app.admin, "/api/v1/hotels/NOPE/stays?from=2026-01-01&to=2026-02-01").send().await.unwrap(), 404).await;
        problem(app.get(&app.admin, "/api/v1/no-such-thing").send().await.unwrap(), 404).await;
    }

    fn search_finds_guests_in_any_script_and_format(db) {
        let app = TestApp::start(db).await;
        let zw = app.guest(zhang_wei()).await["id"].as_i64().unwrap();
        let zoe = app.guest(json!({"name": {"given": "Zoë", "family": "Müller"}, "phones": ["(669) 792-1661"], "emails": ["zoe@example.de"]})).await["id"].as_i64().unwrap();
        app.guest(json!({"name": {"given": "Fang", "family": "Wang", "native": "王芳"}})).await;
        for (q, want) in [
            ("张伟", zw), ("zhangwei", zw), ("zhang wei", zw), ("Zhāng Wěi", zw), ("138-1234-5678", zw), ("+8613812345678", zw),
            ("wei.zhang@example.com", zw), ("OP-55120", zw),
            ("zoe muller", zoe), ("Müller", zoe), ("669 792 1661", zoe), ("+1 669-792-1661", zoe), ("ZOE@EXAMPLE.DE", zoe),
        ] {
            let page: Value = app.get(&app.admin, "/api/v1/guests").query(&[("q", q)]).send().await.unwrap().json().await.unwrap();
            let ids: Vec<i64> = page["items"].as_array().unwrap().iter().map(|g| g["id"].as_i64().unwrap()).collect();
            assert_eq!(ids, vec![want], "searching {q:?}");
            assert_eq!(page["total"], 1);
        }
        let page: Value = app.get(&app.admin, "/api/v1/guests?q=nobody-like-this").send().await.unwrap().json().await.unwrap();
        assert_eq!(page["total"], 0);
    }

    fn lists_are_paged_with_a_total(db) {
        let app = TestApp::start(db).await;
        for i in 0..7 {
            app.guest(json!({"name": {"given": format!("G{i}"), "family": "Page"}})).await;
        }
        let page: Value = app.get(&app.admin, "/api/v1/guests?offset=5&limit=5").send().await.unwrap().json().await.unwrap();
        assert_eq!(page["total"], 7);
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        let p = problem(app.get(&app.admin, "/api/v1/guests?limit=100000").send().await.unwrap(), 422).await;
        assert_eq!(p["errors"][0]["field"], "limit");
    }

    fn nul_characters_and_endless_offsets_are_refused_alike_on_both_backends(db) {
        let app = TestApp::start(db).await;
        app.hotel("LIS", "EUR").await;
        let before = app.guest(zhang_wei()).await;
        let id = before["id"].as_i64().unwrap();
        let r = app.post(&app.admin, &format!("/api/v1/guests/{id}/notes"), json!({"body": "x\u{0}y"})).send().await.unwrap();
        assert_eq!(problem(r, 422).await["errors"], json!([{"field": "body", "message": "must not contain a NUL character"}]));
        let r = app.post(&app.admin, &format!("/api/v1/guests/{id}/stays"), json!({"hotel": "LIS", "arrival": "2026-03-01", "departure": "2026-03-02", "special_requests": "a\u{0}b"})).send().await.unwrap();
        assert_eq!(problem(r, 422).await["errors"][0]["field"], "special_requests");
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({"company": "A\u{0}", "name": {"native": "\u{0}"}})).send().await.unwrap();
        let p = problem(r, 422).await;
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["company", "name.native"]);
        assert_eq!(app.store.counts().await.unwrap().stays, 0);
        let notes: Vec<Value> = app.get(&app.admin, &format!("/api/v1/guests/{id}/notes")).send().await.unwrap().json().await.unwrap();
        assert!(notes.is_empty());
        let after: Value = app.get(&app.admin, &format!("/api/v1/guests/{id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(after, before);

        let r = app.get(&app.admin, "/api/v1/guests?q=%00").send().await.unwrap();
        assert_eq!(r.status(), 200, "a NUL in a search is no part of it");
        assert_eq!(r.json::<Value>().await.unwrap()["total"], 0);
        let r = app.get(&app.admin, "/api/v1/guests?q=zha%00ng").send().await.unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["items"][0]["id"], id);
        for path in ["/api/v1/guests?q=smith&offset=9223372036854775000&limit=500", "/api/v1/guests?offset=9223372036854775000&limit=500", "/api/v1/guests?q=smith&offset=20000"] {
            let p = problem(app.get(&app.admin, path).send().await.unwrap(), 422).await;
            assert_eq!(p["errors"][0]["field"], "offset", "{path}");
        }
    }

    fn a_search_is_paged_with_the_number_of_matching_profiles(db) {
        let app = TestApp::start(db).await;
        for i in 0..12 {
            app.guest(json!({"name": {"given": "Wei", "family": "Zhang"}, "emails": [format!("wei{i}@example.cn")]})).await;
        }
        app.guest(json!({"name": {"given": "Fang", "family": "Zhang"}})).await;
        let mut seen = std::collections::HashSet::new();
        for (offset, on_page) in [(0, 5), (5, 5), (10, 2)] {
            let page: Value = app.get(&app.admin, &format!("/api/v1/guests?q=zhang%20wei&limit=5&offset={offset}")).send().await.unwrap().json().await.unwrap();
            assert_eq!(page["total"], 12, "offset {offset}");
            assert_eq!(page["total_capped"], false);
            let items = page["items"].as_array().unwrap();
            assert_eq!(items.len(), on_page, "offset {offset}");
            seen.extend(items.iter().map(|g| g["id"].as_i64().unwrap()));
        }
        assert_eq!(seen.len(), 12, "paging through the total shows each match once");
    }

    fn stays_outside_the_scope_are_never_shown(db) {
        let app = TestApp::start(db).await;
        let lis = app.hotel("LIS", "EUR").await;
        app.hotel("SHA", "CNY").await;
        let gid = app.guest(zhang_wei()).await["id"].as_i64().unwrap();
        for (hotel, reference) in [("LIS", "L-1"), ("SHA", "S-1")] {
            let r = app.post(&app.admin, &format!("/api/v1/guests/{gid}/stays"), json!({
                "hotel": hotel, "external_ref": reference, "arrival": "2026-03-01", "departure": "2026-03-04", "rate": "100.00",
                "status": "checked_out", "spend": [{"category": "food_beverage", "amount": "55.20", "posted_on": "2026-03-02"}]
            })).send().await.unwrap();
            assert_eq!(r.status(), 201);
        }
        let all: Vec<Value> = app.get(&app.admin, &format!("/api/v1/guests/{gid}/stays")).send().await.unwrap().json().await.unwrap();
        assert_eq!(all.len(), 2);
        let sha_stay = all.iter().find(|s| s["external_ref"] == "S-1").unwrap()["id"].as_i64().unwrap();

        let lisbon_desk = app.token(Role::FrontDesk, Scope::Hotels(vec![lis])).await;
        let mine: Vec<Value> = app.get(&lisbon_desk, &format!("/api/v1/guests/{gid}/stays")).send().await.unwrap().json().await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0]["external_ref"], "L-1");
        let spend: Vec<Value> = app.get(&lisbon_desk, &format!("/api/v1/guests/{gid}/spend")).send().await.unwrap().json().await.unwrap();
        assert_eq!(spend.len(), 1);
        assert_eq!(spend[0]["amount"], json!({"minor": 5520, "currency": "EUR"}));
        problem(app.get(&lisbon_desk, &format!("/api/v1/stays/{sha_stay}")).send().await.unwrap(), 404).await;
        problem(app.get(&lisbon_desk, "/api/v1/hotels/SHA/stays?from=2026-01-01&to=2027-01-01").send().await.unwrap(), 403).await;
        let r = app.post(&lisbon_desk, &format!("/api/v1/guests/{gid}/stays"), json!({"hotel": "SHA", "arrival": "2026-05-01", "departure": "2026-05-02"})).send().await.unwrap();
        problem(r, 403).await;
        let page: Value = app.get(&lisbon_desk, "/api/v1/hotels/LIS/stays?from=2026-01-01&to=2027-01-01").send().await.unwrap().json().await.unwrap();
        assert_eq!(page["total"], 1);
        // The profile itself is group-wide: a Lisbon clerk recognises a Shanghai guest.
        let g = app.get(&lisbon_desk, &format!("/api/v1/guests/{gid}")).send().await.unwrap();
        assert_eq!(g.status(), 200);
    }

    fn a_duplicate_reservation_or_bad_stay_is_refused(db) {
        let app = TestApp::start(db).await;
        app.hotel("LIS", "EUR").await;
        let gid = app.guest(zhang_wei()).await["id"].as_i64().unwrap();
        let stay = json!({"hotel": "LIS", "external_ref": "R1", "arrival": "2026-03-01", "departure": "2026-03-02"});
        assert_eq!(app.post(&app.admin, &format!("/api/v1/guests/{gid}/stays"), stay.clone()).send().await.unwrap().status(), 201);
        problem(app.post(&app.admin, &format!("/api/v1/guests/{gid}/stays"), stay).send().await.unwrap(), 409).await;
        let r = app.post(&app.admin, &format!("/api/v1/guests/{gid}/stays"), json!({"hotel": "LIS", "arrival": "2026-03-05", "departure": "2026-03-01", "rate": "-5", "status": "gone"})).send().await.unwrap();
        let p = problem(r, 422).await;
        let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["rate", "status", "departure"]);
        for (arrival, departure, want) in [("0015-07-01", "0015-07-05", vec!["arrival", "departure"]), ("2026-01-01", "2028-01-01", vec!["departure"])] {
            let r = app.post(&app.admin, &format!("/api/v1/guests/{gid}/stays"), json!({"hotel": "LIS", "arrival": arrival, "departure": departure})).send().await.unwrap();
            let p = problem(r, 422).await;
            let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
            assert_eq!(fields, want, "{arrival} to {departure}");
        }
        assert_eq!(app.store.counts().await.unwrap().stays, 1);
    }

    fn roles_limit_what_a_token_may_change(db) {
        let app = TestApp::start(db).await;
        let marketing = app.token(Role::Marketing, Scope::Group).await;
        let id = app.guest(zhang_wei()).await["id"].as_i64().unwrap();
        assert_eq!(app.get(&marketing, &format!("/api/v1/guests/{id}")).send().await.unwrap().status(), 200);
        problem(app.patch(&marketing, &format!("/api/v1/guests/{id}"), json!({"vip_code": "X"})).send().await.unwrap(), 403).await;
        problem(app.post(&marketing, "/api/v1/hotels", json!({"code": "X", "name": "X", "country": "PT", "timezone": "UTC", "currency": "EUR"})).send().await.unwrap(), 403).await;
    }

    fn notes_and_consents_record_who_and_when(db) {
        let app = TestApp::start(db).await;
        let id = app.guest(zhang_wei()).await["id"].as_i64().unwrap();
        let r = app.post(&app.admin, &format!("/api/v1/guests/{id}/notes"), json!({"body": "Prefers a room away from the lift"})).send().await.unwrap();
        assert_eq!(r.status(), 201);
        let notes: Vec<Value> = app.get(&app.admin, &format!("/api/v1/guests/{id}/notes")).send().await.unwrap().json().await.unwrap();
        assert_eq!(notes[0]["author"], "token:Admin");
        for granted in [true, false] {
            let r = app.post(&app.admin, &format!("/api/v1/guests/{id}/consents"), json!({"channel": "email", "granted": granted, "source": "registration card"})).send().await.unwrap();
            assert_eq!(r.status(), 201);
        }
        let history: Vec<Value> = app.get(&app.admin, &format!("/api/v1/guests/{id}/consents")).send().await.unwrap().json().await.unwrap();
        assert_eq!(history.len(), 2, "consent records are appended, never replaced");
        let g: Value = app.get(&app.admin, &format!("/api/v1/guests/{id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(g["consents"].as_array().unwrap().len(), 1);
        assert_eq!(g["consents"][0]["granted"], false);
        let r = app.post(&app.admin, &format!("/api/v1/guests/{id}/consents"), json!({"channel": "pigeon", "granted": true, "source": ""})).send().await.unwrap();
        assert_eq!(problem(r, 422).await["errors"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn the_openapi_document_matches_the_snapshot() {
    let doc = serde_json::to_value(<rapport_http::openapi::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
    insta::assert_json_snapshot!("openapi", doc);
}

/// The responses documented for `method` on the documented `path`.
fn documented(doc: &Value, method: &str, path: &str) -> Vec<String> {
    doc["paths"][path][method]["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("{method} {path} is documented"))
        .keys()
        .cloned()
        .collect()
}

#[tokio::test]
async fn each_operation_has_its_own_id_and_documents_the_errors_it_answers() {
    let app = TestApp::start(rapport_store::testing::TestDb::sqlite().await).await;
    let doc: Value = app
        .client
        .get(format!("{}/api/openapi.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut ids = std::collections::HashSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has an operationId"));
            assert!(ids.insert(id.to_string()), "operationId {id} used twice");
            if path.starts_with("/api/v1/") {
                assert!(op["responses"].get("401").is_some(), "{method} {path} documents 401");
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.as_str() >= "300" {
                    assert_eq!(
                        response["$ref"], "#/components/responses/Problem",
                        "{method} {path} {status} is a problem document"
                    );
                }
            }
        }
    }
    let problem = &doc["components"]["responses"]["Problem"]["content"];
    assert!(problem.get("application/problem+json").is_some() && problem.get("application/json").is_none());

    // What the API answers is what it documents.
    app.hotel("LIS", "EUR").await;
    let id = app.guest(zhang_wei()).await["id"].as_i64().unwrap();
    let marketing = app.token(Role::Marketing, Scope::Group).await;
    let sent = [
        ("get", "/api/v1/guests", app.get(&app.admin, "/api/v1/guests?limit=0")),
        ("get", "/api/v1/guests", app.get(&app.admin, "/api/v1/guests?offset=x")),
        ("post", "/api/v1/guests", app.post(&marketing, "/api/v1/guests", zhang_wei())),
        (
            "get",
            "/api/v1/hotels/{code}/stays",
            app.get(&app.admin, "/api/v1/hotels/LIS/stays?from=2025-13-01&to=2026-01-01"),
        ),
        (
            "get",
            "/api/v1/hotels/{code}/stays",
            app.get(&app.admin, "/api/v1/hotels/LIS/stays?from=2026-02-01&to=2026-01-01"),
        ),
        (
            "patch",
            "/api/v1/guests/{id}",
            app.patch(&app.admin, &format!("/api/v1/guests/{id}"), json!({}))
                .header("If-Match", "W/x"),
        ),
        ("get", "/api/v1/hotels", app.client.get(format!("{}/api/v1/hotels", app.base))),
    ];
    for (method, path, request) in sent {
        let status = request.send().await.unwrap().status().as_u16();
        assert!(status >= 400, "{method} {path}: {status}");
        assert!(
            documented(&doc, method, path).contains(&status.to_string()),
            "{method} {path} answered {status}, which it does not document"
        );
    }
}

backend_tests! {
    fn concurrent_writers_all_succeed(db) {
        let app = std::sync::Arc::new(TestApp::start(db).await);
        let mut tasks = Vec::new();
        for i in 0..40 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                let r = app.post(&app.admin, "/api/v1/guests", json!({"name": {"given": format!("G{i}"), "family": "Busy"}, "emails": [format!("g{i}@busy.example.com")]})).send().await.unwrap();
                r.status().as_u16()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 201, "no writer fails with a busy database");
        }
        assert_eq!(app.store.counts().await.unwrap().guests, 40);
    }

    fn a_guests_value_and_benefits_are_served_within_the_callers_scope(db) {
        use rapport_value::analysis::{analyse, AnalysisSettings, HotelInfo};
        let app = TestApp::start(db).await;
        let lis = app.hotel("LIS", "EUR").await;
        let sha = app.hotel("SHA", "CNY").await;
        let gid = app.guest(zhang_wei()).await["id"].as_i64().unwrap();
        problem(app.get(&app.admin, "/api/v1/guests/999999/value").send().await.unwrap(), 404).await;
        let before: Value = app.get(&app.admin, &format!("/api/v1/guests/{gid}/value")).send().await.unwrap().json().await.unwrap();
        assert_eq!(before["values"], json!([]), "not analysed yet");
        assert_eq!(before["benefits"]["because"], json!([]));

        for (hotel, reference, amount) in [("LIS", "L-1", "900.00"), ("SHA", "S-1", "3000.00")] {
            let r = app.post(&app.admin, &format!("/api/v1/guests/{gid}/stays"), json!({
                "hotel": hotel, "external_ref": reference, "arrival": "2026-03-01", "departure": "2026-03-04",
                "status": "checked_out", "spend": [{"category": "room", "amount": amount, "posted_on": "2026-03-01"}]
            })).send().await.unwrap();
            assert_eq!(r.status(), 201);
        }
        let other = app.guest(json!({"name": {"given": "Ana", "family": "Small"}})).await["id"].as_i64().unwrap();
        let r = app.post(&app.admin, &format!("/api/v1/guests/{other}/stays"), json!({
            "hotel": "LIS", "arrival": "2026-02-01", "departure": "2026-02-02", "status": "checked_out",
            "spend": [{"category": "room", "amount": "10.00", "posted_on": "2026-02-01"}]
        })).send().await.unwrap();
        assert_eq!(r.status(), 201);
        let hotels = vec![
            HotelInfo { id: lis, currency: "EUR".into(), exponent: 2 },
            HotelInfo { id: sha, currency: "CNY".into(), exponent: 2 },
        ];
        let mut settings = AnalysisSettings::new(chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), "EUR", 2);
        settings.rates.insert("CNY".into(), 0.13);
        let analysis = analyse(&app.store.stay_facts().await.unwrap(), &hotels, &settings);
        app.store.save_analysis(settings.as_of, analysis).await.unwrap();

        let all: Value = app.get(&app.admin, &format!("/api/v1/guests/{gid}/value")).send().await.unwrap().json().await.unwrap();
        assert_eq!(all["values"].as_array().unwrap().len(), 3, "the group and both hotels");
        assert!(all["values"].as_array().unwrap().iter().all(|v| v["tier"] == "vip"));
        assert_eq!(all["benefits"]["discount_percent"], 10.0, "the default plan's VIP discount");
        assert_eq!(all["benefits"]["late_checkout"], "16:00");
        assert_eq!(all["benefits"]["because"], json!(["tier:vip"]));
        assert!(!all["tier_history"].as_array().unwrap().is_empty());

        let lisbon_desk = app.token(Role::FrontDesk, Scope::Hotels(vec![lis])).await;
        let mine: Value = app.get(&lisbon_desk, &format!("/api/v1/guests/{gid}/value")).send().await.unwrap().json().await.unwrap();
        let scopes: Vec<Value> = mine["values"].as_array().unwrap().iter().map(|v| v["hotel_id"].clone()).collect();
        assert_eq!(scopes, vec![json!(lis)], "Lisbon only: never Shanghai, nor the group's row that adds Shanghai in");
        assert!(mine["tier_history"].as_array().unwrap().iter().all(|c| c["hotel_id"] == json!(lis)));
        let small: Value = app.get(&app.admin, &format!("/api/v1/guests/{other}/value")).send().await.unwrap().json().await.unwrap();
        assert_eq!(small["benefits"]["because"], json!([]), "small guests get no benefits");
    }

    fn countries_are_stored_as_alpha2_and_a_segment_finds_every_spelling(db) {
        use rapport_value::analysis::{analyse, AnalysisSettings, HotelInfo};
        let app = TestApp::start(db).await;
        let p = problem(app.post(&app.admin, "/api/v1/guests", json!({"name": {"given": "A", "family": "B"}, "nationality": "ZZ"})).send().await.unwrap(), 422).await;
        assert_eq!(p["errors"][0]["field"], "nationality");
        let hotel = |country: &str| json!({"code": "LHR", "name": "Heathrow", "country": country, "timezone": "Europe/London", "currency": "GBP"});
        let p = problem(app.post(&app.admin, "/api/v1/hotels", hotel("ZZ")).send().await.unwrap(), 422).await;
        assert_eq!(p["errors"][0]["field"], "country");
        let r = app.post(&app.admin, "/api/v1/hotels", hotel("gbr")).send().await.unwrap();
        assert_eq!(r.status(), 201);
        let lhr: Value = r.json().await.unwrap();
        assert_eq!(lhr["country"], "GB");

        let alpha3 = app.guest(json!({"name": {"given": "Ann", "family": "Lee"}, "nationality": "GBR"})).await;
        assert_eq!(alpha3["nationality"], "GB");
        let alpha2 = app.guest(json!({"name": {"given": "Bob", "family": "Lee"}, "nationality": "gb"})).await;
        // A profile stored before countries were normalised, as the import wrote them.
        let mut legacy = rapport_domain::guest::GuestProfile::default();
        legacy.name.given = "Cat".into();
        legacy.name.family = "Lee".into();
        legacy.nationality = Some("GBR".into());
        let legacy = app.store.create_guest(legacy, vec![]).await.unwrap().id;
        let portuguese = app.guest(json!({"name": {"given": "Rui", "family": "Lee"}, "nationality": "PRT"})).await;
        let ids = [alpha3["id"].as_i64().unwrap(), alpha2["id"].as_i64().unwrap(), legacy, portuguese["id"].as_i64().unwrap()];
        for (i, gid) in ids.iter().enumerate() {
            let r = app.post(&app.admin, &format!("/api/v1/guests/{gid}/stays"), json!({
                "hotel": "LHR", "external_ref": format!("R-{i}"), "arrival": "2024-01-10", "departure": "2024-01-12",
                "status": "checked_out", "spend": [{"category": "room", "amount": "200.00", "posted_on": "2024-01-10"}]
            })).send().await.unwrap();
            assert_eq!(r.status(), 201);
        }
        let today = chrono::Utc::now().date_naive();
        let hotels = vec![HotelInfo { id: lhr["id"].as_i64().unwrap(), currency: "GBP".into(), exponent: 2 }];
        app.store.save_analysis(today, analyse(&app.store.stay_facts().await.unwrap(), &hotels, &AnalysisSettings::new(today, "GBP", 2))).await.unwrap();
        for (i, wanted) in ["GB", "gbr"].into_iter().enumerate() {
            let r = app.post(&app.admin, "/api/v1/segments", json!({"name": format!("British {i}"), "rule": {"nationalities": [wanted]}})).send().await.unwrap();
            assert_eq!(r.status(), 201);
            let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
            let page: Value = app.get(&app.admin, &format!("/api/v1/segments/{id}/guests")).send().await.unwrap().json().await.unwrap();
            let mut members: Vec<i64> = page["items"].as_array().unwrap().iter().map(|m| m["guest_id"].as_i64().unwrap()).collect();
            members.sort();
            assert_eq!(members, ids[..3], "rule {wanted}");
        }
    }

    fn saved_segments_are_checked_scoped_and_list_their_guests(db) {
        use rapport_value::analysis::{analyse, AnalysisSettings, HotelInfo};
        let app = TestApp::start(db).await;
        let lis = app.hotel("LIS", "EUR").await;
        let gid = app.guest(zhang_wei()).await["id"].as_i64().unwrap();
        for (reference, arrival) in [("L-1", "2024-01-10"), ("L-2", "2024-02-10")] {
            let r = app.post(&app.admin, &format!("/api/v1/guests/{gid}/stays"), json!({
                "hotel": "LIS", "external_ref": reference, "arrival": arrival, "departure": "2024-03-01",
                "status": "checked_out", "spend": [{"category": "room", "amount": "2000.00", "posted_on": arrival}]
            })).send().await.unwrap();
            assert_eq!(r.status(), 201);
        }
        let today = chrono::Utc::now().date_naive();
        let hotels = vec![HotelInfo { id: lis, currency: "EUR".into(), exponent: 2 }];
        app.store.save_analysis(today, analyse(&app.store.stay_facts().await.unwrap(), &hotels, &AnalysisSettings::new(today, "EUR", 2))).await.unwrap();

        let marketing = app.token(Role::Marketing, Scope::Group).await;
        let lapsed = json!({"name": "Lapsed VIPs", "description": "win them back", "rule": {"tiers": ["vip"], "no_stay_for_days": 180}});
        let r = app.post(&marketing, "/api/v1/segments", lapsed.clone()).send().await.unwrap();
        assert_eq!(r.status(), 201);
        let saved: Value = r.json().await.unwrap();
        assert_eq!(saved["created_by"], "token:Marketing", "who saved it");
        let id = saved["id"].as_i64().unwrap();
        problem(app.post(&marketing, "/api/v1/segments", lapsed).send().await.unwrap(), 409).await;
        let bad = problem(app.post(&marketing, "/api/v1/segments", json!({"name": "x", "rule": {"tier": ["vip"]}})).send().await.unwrap(), 422).await;
        assert!(bad.to_string().contains("tier"), "the misspelt condition is named: {bad}");
        let contradictory = problem(app.post(&marketing, "/api/v1/segments", json!({"name": "x", "rule": {"min_stays": 5, "max_stays": 1}})).send().await.unwrap(), 422).await;
        assert!(contradictory.to_string().contains("rule"), "{contradictory}");
        let all: Vec<Value> = app.get(&marketing, "/api/v1/segments").send().await.unwrap().json().await.unwrap();
        assert_eq!(all.len(), 1, "refused segments stored nothing");

        let page: Value = app.get(&marketing, &format!("/api/v1/segments/{id}/guests")).send().await.unwrap().json().await.unwrap();
        assert_eq!(page["total"], 1);
        assert_eq!(page["items"][0]["guest_id"], gid);
        assert_eq!(page["items"][0]["value"]["tier"], "vip");

        // Who may: the front desk reads no guest lists by value; a Lisbon manager uses Lisbon's figures only.
        let desk = app.token(Role::FrontDesk, Scope::Group).await;
        problem(app.get(&desk, "/api/v1/segments").send().await.unwrap(), 403).await;
        let lisbon_manager = app.token(Role::Manager, Scope::Hotels(vec![lis])).await;
        problem(app.get(&lisbon_manager, &format!("/api/v1/segments/{id}/guests")).send().await.unwrap(), 403).await;
        let r = app.post(&lisbon_manager, "/api/v1/segments", json!({"name": "Lisbon VIPs", "rule": {"hotel": "LIS", "tiers": ["vip"]}})).send().await.unwrap();
        assert_eq!(r.status(), 201);
        let lisbon_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let page: Value = app.get(&lisbon_manager, &format!("/api/v1/segments/{lisbon_id}/guests")).send().await.unwrap().json().await.unwrap();
        assert_eq!(page["items"][0]["value"]["hotel_id"], lis);

        let r = app.client.delete(format!("{}/api/v1/segments/{id}", app.base)).bearer_auth(&marketing).send().await.unwrap();
        assert_eq!(r.status(), 204);
        problem(app.get(&marketing, &format!("/api/v1/segments/{id}")).send().await.unwrap(), 404).await;
    }

    fn a_hotel_scoped_caller_neither_sees_nor_deletes_other_scopes_segments(db) {
        let app = TestApp::start(db).await;
        let lon = app.hotel("LON", "GBP").await;
        app.hotel("SHA", "CNY").await;
        let mut ids = Vec::new();
        for rule in [json!({"min_stays": 1}), json!({"hotel": "SHA", "min_stays": 1}), json!({"hotel": "lon", "min_stays": 1})] {
            let r = app.post(&app.admin, "/api/v1/segments", json!({"name": rule.to_string(), "rule": rule})).send().await.unwrap();
            assert_eq!(r.status(), 201);
            ids.push(r.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
        }
        let (group, shanghai, london) = (ids[0], ids[1], ids[2]);
        let lon_marketing = app.token(Role::Marketing, Scope::Hotels(vec![lon])).await;
        let delete = |id: i64| app.client.delete(format!("{}/api/v1/segments/{id}", app.base)).bearer_auth(&lon_marketing).send();

        let listed: Vec<Value> = app.get(&lon_marketing, "/api/v1/segments").send().await.unwrap().json().await.unwrap();
        let listed: Vec<i64> = listed.iter().map(|s| s["id"].as_i64().unwrap()).collect();
        assert_eq!(listed, vec![london], "only London's segment, neither the group's nor Shanghai's");
        for id in [group, shanghai] {
            problem(app.get(&lon_marketing, &format!("/api/v1/segments/{id}")).send().await.unwrap(), 403).await;
            problem(delete(id).await.unwrap(), 403).await;
        }
        let all: Vec<Value> = app.get(&app.admin, "/api/v1/segments").send().await.unwrap().json().await.unwrap();
        assert_eq!(all.len(), 3, "refused deletes deleted nothing");

        assert_eq!(delete(london).await.unwrap().status(), 204, "its own hotel's segment it may delete");
        let all: Vec<Value> = app.get(&app.admin, "/api/v1/segments").send().await.unwrap().json().await.unwrap();
        assert_eq!(all.len(), 2);
    }
}

/// The head of the answer to a POST of a guest declaring a `length`-byte body with
/// `Expect: 100-continue`, sent without its body.
async fn large_body_answer(base: &str, token: &str, length: usize) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST /api/v1/guests HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\nExpect: 100-continue\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("an answer")
            .unwrap();
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&answer).into_owned()
}
