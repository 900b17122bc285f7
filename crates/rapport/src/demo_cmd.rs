//! `rapport demo`: a realistic hotel group to try Rapport on.

use std::io::IsTerminal;
use std::sync::Arc;

use anyhow::Context;
use rand::distributions::{Alphanumeric, DistString};
use rapport_domain::access::{Role, Scope};
use rapport_store::{NewUser, Store, StoreError};

pub struct DemoArgs {
    pub guests: u64,
    pub stays: Option<u64>,
    pub seed: u64,
}

/// Loads the demo group into an empty database and makes sure there is a way in: an
/// `admin` login (its password is printed when it is created) and a fresh API token.
pub async fn prepare(store: Arc<dyn Store>, args: &DemoArgs) -> anyhow::Result<String> {
    let counts = store.counts().await?;
    if counts.guests == 0 {
        let config = rapport_demo::DemoConfig {
            guests: args.guests,
            stays: args.stays,
            seed: args.seed,
            ..rapport_demo::DemoConfig::default()
        };
        println!("Loading the demo hotel group ({} guests, seed {})…", args.guests, args.seed);
        let summary = rapport_demo::load(store.clone(), &config, std::io::stdout().is_terminal())
            .await
            .context("loading demo data")?;
        println!("Loaded: {summary}.");
    } else {
        println!(
            "The database already holds {} guests and {} stays: not loading demo data.",
            counts.guests, counts.stays
        );
    }
    match store.user_by_login("admin").await {
        Ok(_) => println!("Log in as admin with the password printed when the demo was first loaded."),
        Err(StoreError::NotFound(_)) => {
            let password = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 16);
            let password_hash = rapport_http::credentials::hash_password(&password).map_err(anyhow::Error::msg)?;
            store
                .create_user(NewUser {
                    login: "admin".into(),
                    display_name: "Demo administrator".into(),
                    password_hash,
                    role: Role::Admin,
                    scope: Scope::Group,
                    language: "en".into(),
                })
                .await?;
            println!("Staff login: admin / {password}  (shown once)");
        }
        Err(e) => return Err(e.into()),
    }
    let name = format!("demo-{}", chrono::Utc::now().format("%Y%m%d%H%M%S"));
    let token = crate::access_cmd::token_create(store.as_ref(), &name, Role::Admin.as_str(), &[]).await?;
    println!("API token (admin, whole group): {token}");
    Ok(token)
}
