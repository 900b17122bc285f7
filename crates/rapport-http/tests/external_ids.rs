//! An external id names one profile: the API refuses to give it to a second one, on
//! SQLite and PostgreSQL.

mod common;

use common::{problem, TestApp};
use rapport_store::backend_tests;
use serde_json::{json, Value};

backend_tests! {
    fn a_second_profile_cannot_take_an_external_id(db) {
        let app = TestApp::start(db).await;
        let first = app.guest(json!({"name": {"given": "Ines", "family": "Moreau"}, "external_ids": [{"source": "OPERA", "id": "Z-1"}]})).await;
        let first_id = first["id"].as_i64().unwrap();

        // The same id as another system might send it: source in another case, padded.
        let r = app.post(&app.admin, "/api/v1/guests", json!({"name": {"given": "Inès", "family": "Moreau-Blanc"}, "external_ids": [{"source": "opera", "id": " Z-1 "}]})).send().await.unwrap();
        let p = problem(r, 409).await;
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.contains("Z-1") && detail.contains(&format!("guest {first_id}")), "{detail}");
        let all: Value = app.get(&app.admin, "/api/v1/guests").send().await.unwrap().json().await.unwrap();
        assert_eq!(all["total"], 1, "no second profile was created");

        // Nor can an edit move it onto another profile; that profile is left as it was.
        let other = app.guest(json!({"name": {"given": "Paul", "family": "Girard"}, "vip_code": "V2"})).await;
        let other_id = other["id"].as_i64().unwrap();
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{other_id}"), json!({"vip_code": "V3", "external_ids": [{"source": "OPERA", "id": "Z-1"}]})).send().await.unwrap();
        problem(r, 409).await;
        let kept: Value = app.get(&app.admin, &format!("/api/v1/guests/{other_id}")).send().await.unwrap().json().await.unwrap();
        assert_eq!(kept, other);

        // The holder itself is edited as before, its id kept.
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{first_id}"), json!({"vip_code": "V1"})).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let r = app.patch(&app.admin, &format!("/api/v1/guests/{first_id}"), json!({"external_ids": [{"source": "OPERA", "id": "Z-1"}, {"source": "PROTEL", "id": "77"}]})).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let updated: Value = r.json().await.unwrap();
        assert_eq!(updated["external_ids"].as_array().unwrap().len(), 2);
    }
}
