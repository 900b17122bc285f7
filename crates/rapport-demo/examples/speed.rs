//! How fast the generator runs: `cargo run --release -p rapport-demo --example speed [GUESTS]`.
//! Generates the bookings (as `rapport demo` loads them) and the stays CSV (as the import
//! benchmark writes it) for GUESTS guests (default 100,000), discarding the output.

use std::time::Instant;

use rapport_demo::{bookings, demo_hotels, write_stays_csv, DemoConfig};
use rapport_domain::hotel::Hotel;

fn main() {
    let guests: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("GUESTS is a number"))
        .unwrap_or(100_000);
    let config = DemoConfig {
        guests,
        ..DemoConfig::default()
    };
    let hotels: Vec<Hotel> = demo_hotels()
        .into_iter()
        .enumerate()
        .map(|(i, h)| Hotel {
            id: i as i64 + 1,
            code: h.code,
            name: h.name,
            country: h.country,
            timezone: h.timezone,
            currency: h.currency,
        })
        .collect();

    let started = Instant::now();
    let rows = bookings(&config, &hotels).count();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "bookings: {guests} guests, {rows} stays in {seconds:.2} s = {:.0} guests/s, {:.0} stays/s",
        guests as f64 / seconds,
        rows as f64 / seconds
    );

    let codes: Vec<String> = hotels.iter().map(|h| h.code.clone()).collect();
    let started = Instant::now();
    let mut sink = CountingSink(0);
    let written = write_stays_csv(&config, &codes, &mut sink).expect("writing to a sink");
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "csv: {written} rows, {:.1} MB in {seconds:.2} s = {:.0} rows/s",
        sink.0 as f64 / 1e6,
        written as f64 / seconds
    );
}

struct CountingSink(u64);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
