//! The same config gives the same data, byte for byte; another seed gives other data.

mod common;

use rapport_demo::{demo_hotels, write_stays_csv};

fn csv(guests: u64, seed: u64) -> Vec<u8> {
    let codes: Vec<String> = demo_hotels().into_iter().map(|h| h.code).collect();
    let mut out = Vec::new();
    write_stays_csv(&common::config(guests, seed), &codes, &mut out).unwrap();
    out
}

#[test]
fn the_same_seed_gives_identical_output() {
    assert_eq!(csv(500, 3), csv(500, 3));
    let a = format!("{:?}", common::generate(200, 3));
    let b = format!("{:?}", common::generate(200, 3));
    assert!(a == b, "bookings differ between two runs with the same seed");
}

#[test]
fn a_different_seed_gives_different_output() {
    assert_ne!(csv(500, 3), csv(500, 4));
}

#[test]
fn a_guest_is_the_same_whatever_the_size_of_the_data_set() {
    let small = common::generate(100, 8);
    let large = common::generate(1_000, 8);
    assert_eq!(format!("{:?}", small[0].profile), format!("{:?}", large[0].profile));
}
