//! Loads a demo group into a database and prints the summary:
//! `cargo run --release -p rapport-demo --example load -- sqlite:///tmp/demo.db [GUESTS]`.

use rapport_demo::{load, DemoConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().unwrap_or_else(|| "sqlite://demo.db".to_string());
    let guests: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(20_000);
    let store = rapport_store::open(&url).await?;
    let summary = load(
        store,
        &DemoConfig {
            guests,
            ..DemoConfig::default()
        },
        true,
    )
    .await?;
    let per_second = summary.stays as f64 / summary.elapsed.as_secs_f64();
    println!("{summary:?}\n{per_second:.0} stays/s");
    Ok(())
}
