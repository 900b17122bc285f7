//! Row conversion through the built-in mappings, without a database.

use csv::ByteRecord;
use rapport_domain::stay::{SpendCategory, StayStatus};

use super::{HotelLookup, Reject, RowReader};
use crate::format::STAY_COLUMNS;
use crate::mapping::Mapping;
use crate::summary::ParseStats;

const HBD_HEADER: &str = "row_id,hotel,is_canceled,lead_time,arrival_date_year,arrival_date_month,arrival_date_week_number,arrival_date_day_of_month,stays_in_weekend_nights,stays_in_week_nights,adults,children,babies,meal,country,market_segment,distribution_channel,is_repeated_guest,previous_cancellations,previous_bookings_not_canceled,reserved_room_type,assigned_room_type,booking_changes,deposit_type,agent,days_in_waiting_list,customer_type,adr,required_car_parking_spaces,total_of_special_requests,reservation_status,reservation_status_date,name,email,phone-number,credit_card";
const HBD_ROW: &str = "3,Resort Hotel,0,7,2015,July,27,1,1,2,1,1,1,BB,GBR,Direct,Direct,0,0,0,A,C,0,No Deposit,,0,Transient,75.5,0,2,Check-Out,02-07-15,Rebecca Parker,Rebecca_Parker@comcast.net,669-792-1661,************3734";

fn record(line: &str) -> ByteRecord {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut rec = ByteRecord::new();
    assert!(r.read_byte_record(&mut rec).unwrap());
    rec
}

fn hbd_reader() -> RowReader {
    let mapping = Mapping::builtin("hotel-booking-demand").unwrap();
    let headers = HBD_HEADER.split(',').map(String::from).collect();
    let mut hotels = HotelLookup::default();
    hotels.ids.insert("Resort Hotel".into(), 1);
    hotels.ids.insert("City Hotel".into(), 2);
    RowReader::new(&mapping, headers, hotels).unwrap()
}

fn hbd(row: &str) -> Result<rapport_domain::ingest::IncomingBooking, Reject> {
    hbd_reader().read(&record(row), 2, &mut ParseStats::default())
}

/// The HBD row with field `name` replaced.
fn hbd_with(name: &str, value: &str) -> String {
    let i = HBD_HEADER.split(',').position(|h| h == name).unwrap();
    let mut fields: Vec<&str> = HBD_ROW.split(',').collect();
    fields[i] = value;
    fields.join(",")
}

#[test]
fn a_hotel_booking_demand_row_becomes_a_booking() {
    let b = hbd(HBD_ROW).unwrap();
    let p = &b.profile;
    assert_eq!((p.name.given.as_str(), p.name.family.as_str()), ("Rebecca", "Parker"));
    assert_eq!(p.emails[0].value, "rebecca_parker@comcast.net");
    assert_eq!(p.phones[0].value, "+16697921661");
    assert_eq!(p.nationality.as_deref(), Some("GB"));
    let s = b.stay.unwrap();
    assert_eq!(s.hotel_id, 1);
    assert_eq!(s.external_ref.as_deref(), Some("hotel-booking-demand:3"));
    assert_eq!(
        (s.arrival.to_string(), s.departure.to_string()),
        ("2015-07-01".into(), "2015-07-04".into())
    );
    assert_eq!(s.status, StayStatus::CheckedOut);
    assert_eq!(s.rate.unwrap().minor, 7550);
    assert_eq!((s.adults, s.children), (1, 2), "children + babies");
    assert_eq!(s.special_requests.as_deref(), Some("2"));
    assert_eq!(s.booked_at.unwrap().to_string(), "2015-06-24", "lead time 7 days");
    assert_eq!(s.room_type.as_deref(), Some("A"));
    assert_eq!(
        (s.channel.as_deref(), s.market_segment.as_deref()),
        (Some("Direct"), Some("Direct"))
    );
    assert_eq!(s.spend.len(), 1);
    assert_eq!((s.spend[0].category, s.spend[0].amount.minor), (SpendCategory::Room, 3 * 7550));
}

#[test]
fn cancellations_and_no_shows_earn_no_room_revenue() {
    let s = hbd(&hbd_with("is_canceled", "1")).unwrap().stay.unwrap();
    assert_eq!(s.status, StayStatus::Cancelled);
    assert!(s.spend.is_empty());
    let s = hbd(&hbd_with("reservation_status", "No-Show")).unwrap().stay.unwrap();
    assert_eq!(s.status, StayStatus::NoShow);
    assert!(s.spend.is_empty());
    let s = hbd(&hbd_with("reservation_status", "Canceled")).unwrap().stay.unwrap();
    assert_eq!(s.status, StayStatus::Cancelled);
}

#[test]
fn bad_rows_are_rejected_with_their_column() {
    let cases = [
        (hbd_with("arrival_date_month", "Smarch"), "arrival_date_month", "not a month"),
        (
            hbd_with("arrival_date_day_of_month", "31").replace("July", "June"),
            "arrival_date_day_of_month",
            "not a calendar date",
        ),
        (hbd_with("stays_in_week_nights", "-2"), "stays_in_week_nights", "negative nights"),
        (hbd_with("hotel", "Beach Hotel"), "hotel", "unknown hotel 'Beach Hotel'"),
        (hbd_with("row_id", ""), "row_id", "missing required field"),
        (
            hbd_with("reservation_status", "Maybe"),
            "reservation_status",
            "unknown status 'Maybe'",
        ),
        (hbd_with("adr", "12.5x"), "adr", "not a decimal amount"),
        (hbd_with("adr", "-50"), "adr", "a rate cannot be negative"),
        (hbd_with("arrival_date_year", "15"), "arrival_date_year", "not a plausible date"),
        (
            hbd_with("stays_in_week_nights", "400"),
            "stays_in_weekend_nights",
            "longer than 365",
        ),
        (hbd_with("adults", "two"), "adults", "not a whole number"),
    ];
    for (row, column, reason) in cases {
        let r = hbd(&row).unwrap_err();
        assert_eq!(r.column, column, "{row}");
        assert!(r.reason.contains(reason), "{} does not say {reason}", r.reason);
    }
    let nameless = hbd(&hbd_with("name", "")
        .replace("Rebecca_Parker@comcast.net", "")
        .replace("669-792-1661", ""))
    .unwrap_err();
    assert!(nameless.reason.contains("missing required field"), "{nameless:?}");
}

#[test]
fn invalid_utf8_in_a_field_rejects_the_row_naming_the_column() {
    let mut fields: Vec<Vec<u8>> = HBD_ROW.split(',').map(|f| f.as_bytes().to_vec()).collect();
    fields[32] = b"Ren\xE9 Dupont".to_vec();
    let rec = ByteRecord::from(fields);
    let r = hbd_reader().read(&rec, 9, &mut ParseStats::default()).unwrap_err();
    assert_eq!(r.column, "name");
    assert!(r.reason.contains("UTF-8"));
}

#[test]
fn contacts_that_do_not_normalise_are_kept_and_flagged() {
    let mut stats = ParseStats::default();
    let row = hbd_with("email", "rebecca at comcast").replace("669-792-1661", "12");
    let b = hbd_reader().read(&record(&row), 5, &mut stats).unwrap();
    assert_eq!(b.profile.emails[0].value, "rebecca at comcast");
    assert!(b.profile.emails[0].invalid.is_some());
    assert_eq!(b.profile.phones[0].value, "12");
    assert!(b.profile.phones[0].invalid.is_some());
    assert_eq!(stats.flagged_contacts, 2);
    assert!(stats.warnings[0].starts_with("line 5, email:"), "{:?}", stats.warnings);
    // Without an identity key, the reservation identifies the guest on a re-import.
    assert_eq!(b.profile.external_ids[0].source, "hotel-booking-demand-reservation");
}

#[test]
fn card_numbers_in_mapped_fields_are_dropped() {
    let mut stats = ParseStats::default();
    let row = hbd_with("reserved_room_type", "4111 1111 1111 1111").replace("669-792-1661", "************1234");
    let b = hbd_reader().read(&record(&row), 2, &mut stats).unwrap();
    assert_eq!(b.stay.unwrap().room_type, None);
    assert!(b.profile.phones.is_empty());
    assert_eq!(stats.card_values_dropped, 2);
    let r = hbd(&hbd_with("row_id", "4111111111111111")).unwrap_err();
    assert!(r.reason.contains("payment-card"), "{r:?}");
}

fn stays_row(values: &[(&str, &str)]) -> ByteRecord {
    let fields: Vec<&str> = STAY_COLUMNS
        .iter()
        .map(|c| values.iter().find(|(k, _)| k == c).map_or("", |(_, v)| *v))
        .collect();
    ByteRecord::from(fields)
}

fn stays_reader() -> RowReader {
    let mapping = Mapping::builtin("rapport-stays").unwrap();
    let mut hotels = HotelLookup {
        by_code: true,
        ..HotelLookup::default()
    };
    hotels.ids.insert("SHA1".into(), 4);
    RowReader::new(&mapping, STAY_COLUMNS.iter().map(|c| c.to_string()).collect(), hotels).unwrap()
}

const GOOD: &[(&str, &str)] = &[
    ("reservation_id", "R1"),
    ("hotel", "sha1"),
    ("arrival", "2024-05-01"),
    ("departure", "2024-05-03"),
    ("status", "checked_out"),
    ("rate", "880"),
    ("currency", "CNY"),
    ("guest_id", "G1"),
    ("given_name", "Wei"),
    ("family_name", "Zhang"),
    ("native_name", "张伟"),
    ("phone", "+86 138 1234 5678"),
    ("birthday", "1980-02-29"),
    ("spend_room", "1760"),
    ("spend_food_beverage", "312.50"),
    ("spend_spa", "0"),
];

#[test]
fn a_rapport_stays_row_keeps_its_folio_by_category() {
    let b = stays_reader().read(&stays_row(GOOD), 2, &mut ParseStats::default()).unwrap();
    assert_eq!(b.profile.name.native.as_deref(), Some("张伟"));
    assert_eq!(b.profile.external_ids[0].source, "rapport");
    assert_eq!(b.profile.birthday.unwrap().to_string(), "1980-02-29");
    let s = b.stay.unwrap();
    assert_eq!(s.hotel_id, 4, "hotel codes match case-insensitively");
    assert_eq!(s.rate.unwrap().currency.code(), "CNY");
    let spend: Vec<(SpendCategory, i64)> = s.spend.iter().map(|l| (l.category, l.amount.minor)).collect();
    assert_eq!(
        spend,
        vec![(SpendCategory::Room, 176000), (SpendCategory::FoodBeverage, 31250)],
        "zero amounts are not lines"
    );
}

#[test]
fn departure_before_arrival_and_bad_dates_are_rejected() {
    let reader = stays_reader();
    let mut row: Vec<(&str, &str)> = GOOD.to_vec();
    row.retain(|(k, _)| *k != "departure");
    row.push(("departure", "2024-04-30"));
    let r = reader.read(&stays_row(&row), 2, &mut ParseStats::default()).unwrap_err();
    assert_eq!(r.column, "departure");
    assert!(r.reason.contains("before arrival"), "{r:?}");

    row.retain(|(k, _)| *k != "arrival");
    row.push(("arrival", "01/05/2024"));
    let r = reader.read(&stays_row(&row), 2, &mut ParseStats::default()).unwrap_err();
    assert_eq!(r.column, "arrival");
    assert!(r.reason.contains("%Y-%m-%d"), "{r:?}");
}

#[test]
fn a_bad_optional_field_is_left_empty_not_fatal() {
    let mut row: Vec<(&str, &str)> = GOOD.to_vec();
    row.retain(|(k, _)| *k != "birthday");
    row.extend([("birthday", "sometime in 1980"), ("language", "chinese")]);
    let mut stats = ParseStats::default();
    let b = stays_reader().read(&stays_row(&row), 7, &mut stats).unwrap();
    assert_eq!((b.profile.birthday, b.profile.language), (None, None));
    assert_eq!(stats.fields_ignored, 2);
}

#[test]
fn a_nationality_is_stored_as_alpha2_and_an_unknown_code_is_kept_and_flagged() {
    for (typed, stored, flagged) in [
        ("GBR", "GB", 0),
        ("prt", "PT", 0),
        ("GB", "GB", 0),
        ("ZZ", "ZZ", 1),
        ("China!", "CHINA!", 1),
    ] {
        let mut row: Vec<(&str, &str)> = GOOD.to_vec();
        row.retain(|(k, _)| *k != "nationality");
        row.push(("nationality", typed));
        let mut stats = ParseStats::default();
        let b = stays_reader().read(&stays_row(&row), 7, &mut stats).unwrap();
        assert_eq!(b.profile.nationality.as_deref(), Some(stored), "{typed}");
        assert_eq!(stats.fields_flagged, flagged, "{typed}");
        if flagged > 0 {
            assert!(stats.warnings[0].contains("kept as entered and flagged"), "{:?}", stats.warnings);
        }
    }
}

#[test]
fn a_mapped_column_missing_from_the_file_is_named() {
    let mapping = Mapping::builtin("rapport-stays").unwrap();
    let headers = STAY_COLUMNS.iter().filter(|c| **c != "departure").map(|c| c.to_string()).collect();
    let e = RowReader::new(&mapping, headers, HotelLookup::default()).err().unwrap();
    assert!(e.contains("'departure' (stay.departure)"), "{e}");
}
