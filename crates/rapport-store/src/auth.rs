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
