//! Imports one file and prints the summary as JSON: the library without the CLI, for
//! profiling the importer on its own.
//!
//! `cargo run --release -p rapport-import --example import -- DB_URL FILE MAPPING [HOTEL_CODE…]`
//! (hotel codes listed are created first when missing, for `rapport-stays` files;
//! `BATCH=n` sets the rows per transaction).

use rapport_domain::hotel::HotelInput;
use rapport_import::{import_file, ImportOptions, Mapping};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, file, mapping, hotels @ ..] = args.as_slice() else {
        return Err("usage: import DB_URL FILE MAPPING [HOTEL_CODE…]".into());
    };
    let store = rapport_store::open(url).await?;
    for code in hotels {
        if store.hotel_by_code(code).await.is_err() {
            let input = HotelInput {
                code: code.clone(),
                name: code.clone(),
                country: "CN".into(),
                timezone: "Asia/Shanghai".into(),
                currency: "CNY".into(),
            };
            store.create_hotel(input.validate()?).await?;
        }
    }
    let mapping = Mapping::resolve(mapping)?;
    let mut options = ImportOptions::default();
    if let Some(n) = std::env::var("BATCH").ok().and_then(|b| b.parse().ok()) {
        options.batch_size = n;
    }
    let summary = import_file(store, file.as_ref(), &mapping, options).await?;
    println!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(())
}
