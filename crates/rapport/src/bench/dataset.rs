//! Benchmark data: the demo generator's guests, and search queries drawn from them.

use std::sync::Arc;

use rapport_store::Store;

/// Loads demo guests until the database holds at least `guests` profiles.
pub async fn ensure_guests(store: Arc<dyn Store>, guests: u64, seed: u64) -> anyhow::Result<()> {
    let have = store.counts().await?.guests as u64;
    if have >= guests {
        println!("database already holds {have} guests");
        return Ok(());
    }
    println!("loading {guests} demo guests (this database keeps them for the next run)…");
    let config = rapport_demo::DemoConfig {
        guests,
        seed,
        ..rapport_demo::DemoConfig::default()
    };
    let summary = rapport_demo::load(store, &config, true).await?;
    println!("loaded: {summary:?}");
    Ok(())
}

fn encode(q: &str) -> String {
    let mut out = String::with_capacity(q.len() * 3);
    for b in q.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Query strings (URL-encoded) per kind, taken from `sample` stored profiles spread over
/// the id range, typed the way staff type them: a name's first letters, a Chinese name's
/// characters, a phone in national format with spaces, an email.
pub async fn search_queries(store: &dyn Store, sample: i64) -> anyhow::Result<Vec<(&'static str, Vec<String>)>> {
    let total = store.counts().await?.guests;
    anyhow::ensure!(total > 0, "the database has no guests");
    let step = (total / sample).max(1);
    let (mut latin, mut chinese, mut phone, mut email) = (vec![], vec![], vec![], vec![]);
    let mut id = 1;
    while id <= total {
        if let Ok(g) = store.guest(id).await {
            let name = &g.profile.name;
            if !name.family.is_empty() && name.native.is_none() {
                let prefix: String = format!("{} {}", name.family, name.given)
                    .chars()
                    .take(name.family.chars().count() + 2)
                    .collect();
                latin.push(encode(&prefix));
            }
            if let Some(native) = &name.native {
                chinese.push(encode(&native.chars().take(2).collect::<String>()));
            }
            if let Some(p) = g.profile.phones.iter().find(|p| p.is_valid()) {
                if let Ok(parsed) = rapport_domain::contact::Phone::parse(&p.value, Default::default()) {
                    if let Some(national) = parsed.national_digits() {
                        let spaced: Vec<String> = national
                            .as_bytes()
                            .chunks(3)
                            .map(|c| String::from_utf8_lossy(c).into_owned())
                            .collect();
                        phone.push(encode(&spaced.join(" ")));
                    }
                }
            }
            if let Some(e) = g.profile.emails.iter().find(|e| e.is_valid()) {
                email.push(encode(&e.value));
            }
        }
        id += step;
    }
    Ok(vec![
        ("latin name prefix", latin),
        ("chinese name", chinese),
        ("phone", phone),
        ("email", email),
    ])
}
