//! A real server on port 0 over a fresh database, and a client that talks to it.

#![allow(dead_code)]

use std::sync::Arc;

use rapport_domain::access::{Role, Scope};
use rapport_domain::contact::Region;
use rapport_http::credentials;
use rapport_store::testing::TestDb;
use rapport_store::{NewToken, Store};
use reqwest::{Client, RequestBuilder, Response};
use serde_json::{json, Value};

pub struct TestApp {
    pub base: String,
    pub store: Arc<dyn Store>,
    pub admin: String,
    pub client: Client,
    _db: TestDb,
}

impl TestApp {
    pub async fn start(db: TestDb) -> TestApp {
        let state = rapport_http::AppState::new(db.store.clone(), Region::parse("US").unwrap());
        Self::serve(db, state).await
    }

    /// A server that checks arriving profiles against a base of `guests` demo profiles
    /// (the model is fitted on them, as `rapport serve` does at start).
    #[allow(dead_code)]
    pub async fn start_with_identity(db: TestDb, guests: u64) -> TestApp {
        let config = rapport_demo::DemoConfig {
            guests,
            ..Default::default()
        };
        rapport_demo::load(db.store.clone(), &config, false).await.unwrap();
        let watch = rapport_dedupe::IdentityWatch::build(db.store.clone(), Default::default())
            .await
            .unwrap();
        let state = rapport_http::AppState::new(db.store.clone(), Region::parse("US").unwrap()).with_identity(watch);
        Self::serve(db, state).await
    }

    async fn serve(db: TestDb, state: rapport_http::AppState) -> TestApp {
        let store = db.store.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, rapport_http::router(state)).await });
        let mut app = TestApp {
            base,
            store,
            admin: String::new(),
            client: Client::new(),
            _db: db,
        };
        app.admin = app.token(Role::Admin, Scope::Group).await;
        app
    }

    pub async fn token(&self, role: Role, scope: Scope) -> String {
        let (secret, token_hash) = credentials::new_token();
        self.store
            .create_token(NewToken {
                name: format!("{role:?}"),
                token_hash,
                role,
                scope,
                created_by: "test".into(),
            })
            .await
            .unwrap();
        secret
    }

    pub fn get(&self, token: &str, path: &str) -> RequestBuilder {
        self.client.get(format!("{}{path}", self.base)).bearer_auth(token)
    }

    pub fn post(&self, token: &str, path: &str, body: Value) -> RequestBuilder {
        self.client.post(format!("{}{path}", self.base)).bearer_auth(token).json(&body)
    }

    pub fn patch(&self, token: &str, path: &str, body: Value) -> RequestBuilder {
        self.client.patch(format!("{}{path}", self.base)).bearer_auth(token).json(&body)
    }

    pub async fn hotel(&self, code: &str, currency: &str) -> i64 {
        let r = self
            .post(
                &self.admin,
                "/api/v1/hotels",
                json!({"code": code, "name": format!("Hotel {code}"), "country": "PT", "timezone": "Europe/Lisbon", "currency": currency}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    }

    pub async fn guest(&self, body: Value) -> Value {
        let r = self.post(&self.admin, "/api/v1/guests", body).send().await.unwrap();
        assert_eq!(r.status(), 201, "{:?}", r.text().await);
        r.json().await.unwrap()
    }
}

/// Reads a problem document and checks its content type.
pub async fn problem(r: Response, status: u16) -> Value {
    assert_eq!(r.status().as_u16(), status);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    r.json().await.unwrap()
}
