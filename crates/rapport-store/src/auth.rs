//! Staff accounts and API tokens as stored. Password and token hashing happen in the
//! HTTP/CLI layer; storage only ever sees hashes.

use chrono::{DateTime, Utc};
use rapport_domain::access::{Principal, Role, Scope};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StaffUser {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    /// UI language, `en` or `zh-CN`.
    pub language: String,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

impl StaffUser {
    pub fn principal(&self) -> Principal {
        Principal {
            name: self.login.clone(),
            role: self.role,
            scope: self.scope.clone(),
        }
    }
}

#[derive(Clone)]
pub struct NewUser {
    pub login: String,
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub role: Role,
    pub scope: Scope,
    pub language: String,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("login", &self.login)
            .field("role", &self.role)
            .field("password_hash", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct NewToken {
    pub name: String,
    /// Hex SHA-256 of the secret; the secret itself is shown once and never stored.
    pub token_hash: String,
    pub role: Role,
    pub scope: Scope,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub scope: Scope,
    pub created_at: DateTime<Utc>,
}

impl TokenInfo {
    pub fn principal(&self) -> Principal {
        Principal {
            name: format!("token:{}", self.name),
            role: self.role,
            scope: self.scope.clone(),
        }
    }
}

/// A console sign-in as stored: the hash of the session id, never the id itself.
#[derive(Clone)]
pub struct NewSession {
    /// Hex SHA-256 of the session id carried in the browser's cookie.
    pub id_hash: String,
    pub user_id: i64,
    /// The per-session token every state-changing form and request must echo.
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession")
            .field("user_id", &self.user_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A live console session and the (enabled) user it belongs to.
#[derive(Clone)]
pub struct Session {
    pub user: StaffUser,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user", &self.user.login)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}
