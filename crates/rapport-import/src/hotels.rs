//! The hotels a file names, resolved (and created when the mapping describes them) before
//! the first row, so rows only look ids up.

use rapport_domain::hotel::{Hotel, HotelInput};
use rapport_store::{Store, StoreError};

use crate::error::ImportError;
use crate::mapping::{HotelValue, Mapping};
use crate::rows::HotelLookup;

/// Builds the lookup for the mapping's stays; returns it with the codes of hotels created.
pub async fn prepare(store: &dyn Store, mapping: &Mapping) -> Result<(HotelLookup, Vec<String>), ImportError> {
    let mut lookup = HotelLookup::default();
    let mut created = Vec::new();
    let Some(stay) = &mapping.stay else {
        return Ok((lookup, created));
    };

    for (value, described) in &mapping.hotels {
        let (hotel, new) = ensure(store, described).await?;
        if new {
            created.push(hotel.code.clone());
        }
        lookup.ids.insert(value.trim().to_string(), hotel.id);
    }
    if mapping.hotels.is_empty() {
        lookup.by_code = true;
        for h in store.hotels().await? {
            lookup.ids.insert(h.code.to_ascii_uppercase(), h.id);
        }
    }
    if let Some(code) = &stay.hotel_code {
        let code = code.trim().to_ascii_uppercase();
        let described = mapping.hotels.values().find(|h| h.code.trim().eq_ignore_ascii_case(&code));
        let hotel = match described {
            Some(d) => ensure(store, d).await?.0,
            None => store.hotel_by_code(&code).await.map_err(|e| match e {
                StoreError::NotFound(_) => ImportError::Hotels(format!("stay.hotel_code '{code}' is not a hotel of this database")),
                other => other.into(),
            })?,
        };
        lookup.fixed = Some(hotel.id);
    }
    Ok((lookup, created))
}

/// The hotel with the described code, created from the description when missing.
async fn ensure(store: &dyn Store, h: &HotelValue) -> Result<(Hotel, bool), ImportError> {
    let code = h.code.trim().to_ascii_uppercase();
    match store.hotel_by_code(&code).await {
        Ok(hotel) => return Ok((hotel, false)),
        Err(StoreError::NotFound(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let (Some(name), Some(country), Some(timezone), Some(currency)) = (&h.name, &h.country, &h.timezone, &h.currency) else {
        return Err(ImportError::Hotels(format!(
            "hotel '{code}' does not exist; describe it in the mapping (name, country, timezone, currency) or create it first"
        )));
    };
    let input = HotelInput {
        code: code.clone(),
        name: name.clone(),
        country: country.clone(),
        timezone: timezone.clone(),
        currency: currency.clone(),
    };
    let new = input
        .validate()
        .map_err(|e| ImportError::Hotels(format!("hotel '{code}' in the mapping: {e}")))?;
    match store.create_hotel(new).await {
        Ok(hotel) => Ok((hotel, true)),
        // Another import created it meanwhile.
        Err(StoreError::Conflict(_)) => Ok((store.hotel_by_code(&code).await?, false)),
        Err(e) => Err(e.into()),
    }
}
