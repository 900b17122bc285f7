//! Signed-in staff: the session cookie, the [`Staff`] extractor every page takes, and the
//! CSRF check in front of every state-changing request.
//!
//! The browser holds a random session id; the database holds its SHA-256 and a per-session
//! CSRF token. Forms echo the token in a hidden `csrf` field, scripts in `X-CSRF-Token`.

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::Utc;
use rand::RngCore;
use rapport_domain::access::{Action, Principal};
use rapport_store::{Session, StoreError};
use subtle::ConstantTimeEq;

use crate::error::PageError;
use crate::i18n::{Lang, Tr};
use crate::ConsoleState;

pub const SESSION_COOKIE: &str = "rapport_session";
/// The language chosen before signing in (the login page).
pub const LANG_COOKIE: &str = "rapport_lang";
/// A session lasts one long shift.
pub const SESSION_HOURS: i64 = 12;
/// Forms are small; a larger body is refused before it is read into memory.
const FORM_LIMIT: usize = 256 * 1024;

/// 32 random bytes, hex: session ids and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn session_hash(id: &str) -> String {
    rapport_http::credentials::token_hash(id)
}

/// Equal without leaking where the first difference is.
pub fn same_token(a: &str, b: &str) -> bool {
    !a.is_empty() && a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Whether cookies must be `Secure`: configured, or the request came through TLS.
pub fn secure(state: &ConsoleState, headers: &HeaderMap) -> bool {
    state.secure_cookies || headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https")
}

/// A cookie only this site's pages send, never readable by scripts.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

/// The language for a page seen before signing in: the cookie, then the browser's.
pub fn anonymous_lang(jar: &CookieJar, headers: &HeaderMap) -> Lang {
    jar.get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map(Lang::from_accept_language)
        })
        .unwrap_or(Lang::En)
}

/// A signed-in member of staff.
pub struct Staff {
    pub session: Session,
    pub id_hash: String,
    pub tr: Tr,
}

impl Staff {
    pub fn principal(&self) -> Principal {
        self.session.user.principal()
    }

    pub fn login(&self) -> &str {
        &self.session.user.login
    }

    pub fn csrf(&self) -> &str {
        &self.session.csrf_token
    }

    /// Refuses the request unless the user's role allows `action`.
    pub fn require(&self, action: Action) -> Result<(), PageError> {
        if self.session.user.role.may(action) {
            Ok(())
        } else {
            Err(PageError::forbidden(self.tr))
        }
    }
}

async fn current_session(state: &ConsoleState, jar: &CookieJar) -> Result<Option<(Session, String)>, StoreError> {
    let Some(id) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    let hash = session_hash(&id);
    match state.app.store.session(&hash, Utc::now()).await {
        Ok(s) => Ok(Some((s, hash))),
        Err(StoreError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

impl FromRequestParts<ConsoleState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &ConsoleState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        match current_session(state, &jar).await {
            Ok(Some((session, id_hash))) => {
                let tr = Tr::new(Lang::parse(&session.user.language).unwrap_or(Lang::En));
                Ok(Staff { session, id_hash, tr })
            }
            Ok(None) => {
                // A page asks the user to sign in and come back; a script's request is told.
                let wants_page = parts.method == Method::GET && !parts.headers.contains_key("x-requested-with");
                if wants_page {
                    let back = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                    let to = format!("/login?next={}", percent_encode(back));
                    Err(Redirect::to(&to).into_response())
                } else {
                    Err(PageError::signed_out(anonymous_lang(&jar, &parts.headers)).into_response())
                }
            }
            Err(e) => Err(PageError::store(e, anonymous_lang(&jar, &parts.headers)).into_response()),
        }
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Every request that may change something (anything but GET/HEAD) carries the session's
/// CSRF token, or is refused before it reaches a handler. Sign-in has its own check: there
/// is no session yet (see `login.rs`).
pub async fn require_csrf(State(state): State<ConsoleState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) || request.uri().path() == "/login" {
        return next.run(request).await;
    }
    let jar = CookieJar::from_headers(request.headers());
    let lang = anonymous_lang(&jar, request.headers());
    let session = match current_session(&state, &jar).await {
        Ok(Some((s, _))) => s,
        Ok(None) => return PageError::signed_out(lang).into_response(),
        Err(e) => return PageError::store(e, lang).into_response(),
    };
    let tr = Tr::new(Lang::parse(&session.user.language).unwrap_or(lang));
    let header_token = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(token) = header_token {
        if same_token(&token, &session.csrf_token) {
            return next.run(request).await;
        }
        return PageError::csrf(tr).into_response();
    }
    // A form post: read the (small) body for its `csrf` field, then hand it on intact.
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, FORM_LIMIT).await {
        Ok(b) => b,
        Err(_) => return PageError::bad_request(tr, tr.t("error-form-too-large")).into_response(),
    };
    let token = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    match token {
        Some(t) if same_token(&t, &session.csrf_token) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        _ => PageError::csrf(tr).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &b));
        assert!(!same_token("", ""), "an empty token never matches");
        assert!(!same_token(&a, &a[..63]));
    }

    #[test]
    fn the_way_back_after_sign_in_is_encoded() {
        assert_eq!(percent_encode("/guests?q=张 伟&x=1"), "/guests%3Fq%3D%E5%BC%A0%20%E4%BC%9F%26x%3D1");
    }
}
