//! `rapport user …` and `rapport token …`.

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context};
use rapport_domain::access::{Role, Scope};
use rapport_http::credentials;
use rapport_store::{NewToken, NewUser, Store};

/// Resolves `--hotel CODE` flags into a scope; none means the whole group.
pub async fn scope_of(store: &dyn Store, hotels: &[String]) -> anyhow::Result<Scope> {
    if hotels.is_empty() {
        return Ok(Scope::Group);
    }
    let mut ids = Vec::new();
    for code in hotels {
        ids.push(
            store
                .hotel_by_code(code)
                .await
                .with_context(|| format!("unknown hotel '{code}'"))?
                .id,
        );
    }
    Ok(Scope::Hotels(ids))
}

/// Reads the new password from `RAPPORT_PASSWORD` or one line of stdin (never a flag:
/// flags end up in shell history and `ps`).
fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("RAPPORT_PASSWORD") {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        eprint!("Password (at least 10 characters, shown as typed): ");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let line = line.trim_end_matches(['\n', '\r']).to_string();
    if line.is_empty() {
        bail!("no password given: pipe it on stdin or set RAPPORT_PASSWORD");
    }
    Ok(line)
}

pub struct UserAdd {
    pub login: String,
    pub role: String,
    pub hotels: Vec<String>,
    pub name: Option<String>,
    pub language: String,
}

pub async fn user_add(store: &dyn Store, args: UserAdd) -> anyhow::Result<()> {
    let role = Role::parse(&args.role).map_err(anyhow::Error::msg)?;
    let scope = scope_of(store, &args.hotels).await?;
    if !matches!(args.language.as_str(), "en" | "zh-CN") {
        bail!("language must be en or zh-CN");
    }
    let password = read_password()?;
    let password_hash = credentials::hash_password(&password).map_err(anyhow::Error::msg)?;
    let user = store
        .create_user(NewUser {
            login: args.login.clone(),
            display_name: args.name.unwrap_or_else(|| args.login.clone()),
            password_hash,
            role,
            scope,
            language: args.language,
        })
        .await?;
    println!("created user {} ({}, {})", user.login, user.role.as_str(), describe(&user.scope));
    Ok(())
}

pub async fn user_disable(store: &dyn Store, login: &str, disabled: bool) -> anyhow::Result<()> {
    let user = store.set_user_disabled(login, disabled).await?;
    println!("user {} is {}", user.login, if user.disabled { "disabled" } else { "enabled" });
    Ok(())
}

pub async fn token_create(store: &dyn Store, name: &str, role: &str, hotels: &[String]) -> anyhow::Result<String> {
    let role = Role::parse(role).map_err(anyhow::Error::msg)?;
    let scope = scope_of(store, hotels).await?;
    if name.trim().is_empty() {
        bail!("a token needs a --name saying who uses it");
    }
    let (secret, token_hash) = credentials::new_token();
    store
        .create_token(NewToken {
            name: name.trim().to_string(),
            token_hash,
            role,
            scope,
            created_by: "cli".into(),
        })
        .await?;
    Ok(secret)
}

pub fn describe(scope: &Scope) -> String {
    match scope {
        Scope::Group => "whole group".into(),
        Scope::Hotels(ids) => format!("hotels {ids:?}"),
    }
}
