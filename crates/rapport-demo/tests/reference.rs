//! The matcher's reference `m` (what it falls back on when a base has no duplicates to
//! learn from) is what a base with known duplicates teaches: a fresh fit on the generator's
//! hard setting finds the same values.

use rapport_demo::duplicates::{people_with_duplicates, Setting};
use rapport_match::fields::Field;
use rapport_match::reference::reference_m;
use rapport_match::{fit, MatchSettings, Person};

/// The fields the reference takes from the hard setting (address, company and country
/// take EM's starting point: the generator's repeats never change them).
const MEASURED: [Field; 5] = [
    Field::GivenName,
    Field::FamilyName,
    Field::BirthDate,
    Field::Contact,
    Field::IdDocument,
];

#[test]
fn the_reference_is_what_a_base_with_duplicates_teaches() {
    // Another size and seed than the 100,000 profiles (seed 7) the values were read from.
    let people: Vec<Person> = people_with_duplicates(20_000, Setting::Hard, 5)
        .into_iter()
        .map(|g| g.person)
        .collect();
    let model = fit(&people, &MatchSettings::default(), &|_| {});
    assert!(
        model.from_reference.is_empty(),
        "a base with duplicates learns every field: {:?}",
        model.from_reference
    );
    for field in MEASURED {
        let learnt = &model.fields[field.index()].levels;
        let reference = reference_m(field);
        for (level, l) in learnt.iter().enumerate() {
            let r = reference[level + 1];
            assert!(
                (l.m - r).abs() <= 0.03,
                "{} {}: learnt m {:.4}, reference {r:.4}",
                field.name(),
                l.label,
                l.m
            );
        }
    }
}
