//! Loading and checking mappings, the built-ins and the documented example.

use super::*;

#[test]
fn every_builtin_mapping_loads() {
    for (name, _) in BUILTIN {
        let m = Mapping::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(m.label, *name);
    }
    assert!(Mapping::builtin("rapport-guests").unwrap().stay.is_none());
}

#[test]
fn the_example_mapping_in_the_docs_loads() {
    let doc = include_str!("../../../../docs/import.md");
    let section = &doc[doc.find("### Example: another PMS").expect("the docs have the example")..];
    let start = section.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let toml = &section[start..start + section[start..].find("```").expect("closed block")];
    let m = Mapping::from_toml(toml, "docs example").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.source.delimiter, ';');
    assert_eq!(m.guest.email.unwrap().names().len(), 2);
}

#[test]
fn an_unknown_name_lists_the_builtins() {
    let e = Mapping::resolve("opera").unwrap_err().to_string();
    assert!(e.contains("hotel-booking-demand"), "{e}");
}

#[test]
fn a_mapped_card_column_is_refused() {
    let toml = r#"
        [source]
        name = "pms"
        [guest]
        full_name = "name"
        company = "Credit Card"
    "#;
    let e = Mapping::from_toml(toml, "test").unwrap_err();
    assert!(
        matches!(e, MappingError::CardColumn { ref column, .. } if column == "Credit Card"),
        "{e}"
    );
}

#[test]
fn a_stay_needs_a_hotel_and_an_end() {
    let toml = r#"
        [source]
        name = "pms"
        [stay]
        reservation_id = "id"
        arrival = "arr"
        hotel_code = "H1"
    "#;
    let e = Mapping::from_toml(toml, "test").unwrap_err().to_string();
    assert!(e.contains("departure"), "{e}");
}

#[test]
fn misspelt_fields_are_refused() {
    let toml = r#"
        [source]
        name = "pms"
        [guest]
        emial = "email"
    "#;
    let e = Mapping::from_toml(toml, "test").unwrap_err().to_string();
    assert!(e.contains("emial"), "{e}");
}

#[test]
fn amounts_need_a_currency_and_formats_must_parse() {
    let base = r#"
        [source]
        name = "pms"
        date_formats = ["%d/%m/%Y"]
        [stay]
        reservation_id = "id"
        hotel_code = "H1"
        arrival = { year = "y", month = "m", day = "d" }
        nights = ["wk", "we"]
        rate = "adr"
    "#;
    assert!(Mapping::from_toml(base, "t").unwrap_err().to_string().contains("currency"));
    let ok = base.replace("name = \"pms\"", "name = \"pms\"\ncurrency = \"EUR\"");
    let m = Mapping::from_toml(&ok, "t").unwrap();
    assert!(matches!(m.stay.unwrap().arrival, ArrivalColumns::Split { .. }));
    let broken = ok.replace("%d/%m/%Y", "%Q");
    assert!(Mapping::from_toml(&broken, "t").is_err());
}
