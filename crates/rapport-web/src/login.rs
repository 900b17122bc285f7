//! Signing in and out. Sign-in answers the same way for an unknown login, a disabled
//! account and a wrong password (and takes as long: an unknown login is checked against a
//! decoy hash), gives the browser a fresh session id every time, and is throttled.

use std::net::SocketAddr;
use std::sync::LazyLock;

use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use chrono::{Duration, Utc};
use rapport_http::credentials::verify_password;
use rapport_store::{NewSession, StoreError};
use serde::Deserialize;

use crate::error::{render, PageError};
use crate::i18n::{Lang, Tr};
use crate::session::{self, anonymous_lang, cookie, random_token, same_token, secure, Staff, LANG_COOKIE, SESSION_COOKIE};
use crate::ConsoleState;

/// Guards the sign-in form itself against cross-site posts (login CSRF): the form's hidden
/// token must match this cookie.
const LOGIN_CSRF_COOKIE: &str = "rapport_login_csrf";

/// An argon2id hash of a random password, made with the same parameters as real ones, so
/// an unknown login costs one full verification like a known one does.
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| rapport_http::credentials::hash_password(&random_token()).expect("hashing a random password"));

pub fn router() -> Router<ConsoleState> {
    Router::new()
        .route("/login", get(form).post(sign_in))
        .route("/logout", post(sign_out))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    csrf: String,
    next: String,
    login: String,
    error: Option<String>,
    langs: Vec<(&'static str, &'static str)>,
}

impl LoginPage {
    fn new(t: Tr, csrf: String, next: String, login: String, error: Option<String>) -> Self {
        let langs = Lang::ALL
            .iter()
            .filter(|l| **l != t.lang)
            .map(|l| (l.tag(), l.own_name()))
            .collect();
        Self {
            t,
            csrf,
            next,
            login,
            error,
            langs,
        }
    }
}

#[derive(Deserialize)]
struct FormQuery {
    next: Option<String>,
    lang: Option<String>,
}

/// Only a path on this site, never `//evil.example` or a full URL.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n.to_string(),
        _ => "/".to_string(),
    }
}

async fn form(State(state): State<ConsoleState>, headers: HeaderMap, jar: CookieJar, Query(q): Query<FormQuery>) -> Response {
    let secure = secure(&state, &headers);
    let mut jar = jar;
    let lang = match q.lang.as_deref().and_then(Lang::parse) {
        Some(l) => {
            jar = jar.add(cookie(LANG_COOKIE, l.tag().to_string(), secure));
            l
        }
        None => anonymous_lang(&jar, &headers),
    };
    let csrf = random_token();
    let jar = jar.add(cookie(LOGIN_CSRF_COOKIE, csrf.clone(), secure));
    let page = LoginPage::new(Tr::new(lang), csrf, safe_next(q.next.as_deref()), String::new(), None);
    (jar, render(Tr::new(lang), &page)).into_response()
}

#[derive(Deserialize)]
struct SignIn {
    login: String,
    password: String,
    #[serde(default)]
    csrf: String,
    next: Option<String>,
}

async fn sign_in(
    State(state): State<ConsoleState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(input): Form<SignIn>,
) -> Response {
    let lang = anonymous_lang(&jar, &headers);
    let tr = Tr::new(lang);
    let secure = secure(&state, &headers);
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_string()).unwrap_or_default();
    if !same_token(&input.csrf, &expected) {
        return PageError::csrf(tr).into_response();
    }
    let next = safe_next(input.next.as_deref());
    let again = |status: StatusCode, message: String, jar: CookieJar| {
        let csrf = random_token();
        let jar = jar.add(cookie(LOGIN_CSRF_COOKIE, csrf.clone(), secure));
        let page = LoginPage::new(tr, csrf, next.clone(), input.login.clone(), Some(message));
        (status, jar, render(tr, &page)).into_response()
    };
    let address = peer.ip().to_string();
    if let Err(wait) = state.throttle.check(&input.login, &address) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return again(StatusCode::TOO_MANY_REQUESTS, tr.t1("login-throttled", "minutes", minutes), jar);
    }
    let found = match state.app.store.user_by_login(input.login.trim()).await {
        Ok(found) => Some(found),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return PageError::from_store(e, tr).into_response(),
    };
    let (hash, user) = match found {
        Some((user, hash)) => (hash, Some(user)),
        None => (DECOY_HASH.clone(), None),
    };
    let password = input.password.clone();
    let verified = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let user = match user {
        Some(u) if verified && !u.disabled => u,
        _ => {
            state.throttle.failed(&input.login, &address);
            tracing::info!(login = %input.login, %address, "console sign-in refused");
            return again(StatusCode::UNAUTHORIZED, tr.t("login-failed"), jar);
        }
    };
    state.throttle.succeeded(&input.login);
    // A fresh id at every sign-in: an id planted before sign-in is worth nothing after.
    let id = random_token();
    let new = NewSession {
        id_hash: session::session_hash(&id),
        user_id: user.id,
        csrf_token: random_token(),
        expires_at: Utc::now() + Duration::hours(session::SESSION_HOURS),
    };
    if let Err(e) = state.app.store.create_session(new).await {
        return PageError::from_store(e, tr).into_response();
    }
    tracing::info!(login = %user.login, "console sign-in");
    let jar = jar
        .add(cookie(SESSION_COOKIE, id, secure))
        .remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/"));
    (jar, Redirect::to(&next)).into_response()
}

/// Ends the session on the server (the cookie alone would not be enough) and forgets it.
async fn sign_out(State(state): State<ConsoleState>, staff: Staff, jar: CookieJar) -> Response {
    if let Err(e) = state.app.store.end_session(&staff.id_hash).await {
        return PageError::from_store(e, staff.tr).into_response();
    }
    tracing::info!(login = %staff.login(), "console sign-out");
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    (jar, Redirect::to("/login")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_stays_on_this_site() {
        assert_eq!(safe_next(Some("/guests/12")), "/guests/12");
        assert_eq!(safe_next(Some("//evil.example/x")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn the_decoy_hash_costs_a_real_verification() {
        assert!(DECOY_HASH.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let started = std::time::Instant::now();
        assert!(!verify_password("anything", &DECOY_HASH));
        assert!(
            started.elapsed() > std::time::Duration::from_millis(1),
            "the hash was actually computed"
        );
    }
}
