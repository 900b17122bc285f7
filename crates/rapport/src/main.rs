//! `rapport`: the command line. Parses arguments and calls the library crates.

mod access_cmd;
mod analyze_cmd;
mod bench;
mod clv_cmd;
mod clv_log;
mod config;
mod dedupe_bench;
mod dedupe_cmd;
mod demo_cmd;
mod import_cmd;
mod memory;
mod reindex_cmd;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use rapport_domain::contact::Region;
use rapport_store::Store;

use config::{Config, FileConfig};

/// mimalloc rather than glibc's allocator: an import's reader thread allocates every row
/// and the writer frees it, and glibc's arena lock made those cross-thread frees about a
/// tenth of the writer's time (futex waits and wakes in `perf`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "rapport", version, about = "Guest relationship management for hotel groups")]
struct Cli {
    /// Database: sqlite://PATH (default sqlite://rapport.db) or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "RAPPORT_DATABASE_URL")]
    db: Option<String>,
    /// Configuration file (default ./rapport.toml when present).
    #[arg(long, global = true, env = "RAPPORT_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the REST API over HTTP.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, env = "RAPPORT_ADDR")]
        addr: Option<String>,
    },
    /// Load a demo hotel group into an empty database, then serve it.
    Demo {
        /// Number of guest profiles to generate.
        #[arg(long, default_value_t = 20_000)]
        guests: u64,
        /// Number of stays (default about 2.6 per guest; at least one per guest).
        #[arg(long)]
        stays: Option<u64>,
        /// Seed: the same seed gives the same group.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Load (and print the credentials) but do not serve.
        #[arg(long)]
        no_serve: bool,
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, env = "RAPPORT_ADDR")]
        addr: Option<String>,
    },
    /// Import a CSV export (streaming); rejected rows go to a rejects file.
    Import {
        file: PathBuf,
        /// A built-in mapping (rapport-stays, rapport-guests, hotel-booking-demand) or a TOML file.
        #[arg(long)]
        mapping: String,
        /// Where rejected rows go (default FILE.rejects.csv).
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
        /// Do not check the new profiles for duplicates now (the next `rapport dedupe` will).
        #[arg(long)]
        no_duplicate_check: bool,
    },
    /// Guest value analysis: 80/20, value tiers, RFM, lifetime value and churn risk, per hotel
    /// and for the group, stored for the console and the API (also run nightly by `serve`).
    Analyze {
        /// The day to analyse as of (default today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Print the summary and reports as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Make every live profile's identity and search keys again from its stored document
    /// (once, after an upgrade that changed how keys are made; the server may keep running).
    Reindex,
    /// Benchmarks (see docs/benchmarks.md).
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Lifetime value and churn risk from a transaction log (BG/NBD and Gamma-Gamma models).
    Clv {
        #[command(subcommand)]
        command: clv_cmd::ClvCommand,
    },
    /// Duplicate profiles: match the whole stored base (merging sure duplicates, queueing
    /// likely ones for review), match a CSV of people (`--input`), or generate and evaluate
    /// test data with known duplicates.
    Dedupe(dedupe_cmd::DedupeArgs),
    /// Staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Import a generated `rapport-stays` CSV (written first if FILE does not exist).
    Import {
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        #[arg(long, default_value = "bench-stays.csv")]
        csv: PathBuf,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
    /// Guest reads by id through the HTTP API.
    Read {
        /// Load demo guests first until the database holds this many.
        #[arg(long)]
        guests: Option<u64>,
        #[arg(long, default_value_t = 64)]
        connections: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long)]
        json: bool,
    },
    /// Guest search through the HTTP API: name prefixes (Latin, Chinese), phone, email.
    Search(PageLoad),
    /// Server time of the staff console's pages (search, guest page, arrivals brief, dashboard).
    Console(PageLoad),
}

/// A load run over several kinds of page, each for `seconds`.
#[derive(clap::Args)]
struct PageLoad {
    /// Load demo guests first until the database holds this many.
    #[arg(long)]
    guests: Option<u64>,
    #[arg(long, default_value_t = 4)]
    connections: usize,
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff user; the password is read from stdin or RAPPORT_PASSWORD.
    Add {
        login: String,
        #[arg(long)]
        role: String,
        /// Limit the user to a hotel (repeat for several); none means the whole group.
        #[arg(long = "hotel")]
        hotels: Vec<String>,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// Console language: en or zh-CN.
        #[arg(long, default_value = "en")]
        language: String,
    },
    /// Disable a user: they can no longer log in.
    Disable { login: String },
    /// Enable a disabled user again.
    Enable { login: String },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token and print it (it is shown only once).
    Create {
        #[arg(long)]
        role: String,
        /// Limit the token to a hotel (repeat for several); none means the whole group.
        #[arg(long = "hotel")]
        hotels: Vec<String>,
        /// Who or what uses the token, e.g. `opera-sync`.
        #[arg(long)]
        name: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("RAPPORT_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if let Command::Clv { command } = &cli.command {
        // Works on files alone: no configuration or database.
        return clv_cmd::run(command);
    }
    if let Command::Dedupe(args) = &cli.command {
        if dedupe_cmd::is_file_only(args) {
            return dedupe_cmd::run(args);
        }
    }
    let file = FileConfig::load(cli.config.as_deref().unwrap_or("rapport.toml".as_ref()), cli.config.is_some())?;
    let addr_flag = match &cli.command {
        Command::Serve { addr } | Command::Demo { addr, .. } => addr.clone(),
        _ => None,
    };
    let config = Config::resolve(file, cli.db.clone(), addr_flag);
    tracing::debug!(?config, "configuration");
    let store = rapport_store::open(&config.database_url)
        .await
        .with_context(|| format!("cannot open database {}", config::redact_url(&config.database_url)))?;

    match cli.command {
        Command::Serve { .. } => serve(store, &config).await,
        Command::Demo {
            guests,
            stays,
            seed,
            no_serve,
            ..
        } => {
            demo_cmd::prepare(store.clone(), &demo_cmd::DemoArgs { guests, stays, seed }).await?;
            if no_serve {
                Ok(())
            } else {
                serve(store, &config).await
            }
        }
        Command::Import {
            file,
            mapping,
            rejects,
            json,
            no_duplicate_check,
        } => {
            memory::tune_for_batches();
            let duplicates = (!no_duplicate_check).then(|| config.dedupe.settings());
            let clean = import_cmd::run(store, &file, &mapping, rejects, json, duplicates).await?;
            if !clean {
                std::process::exit(import_cmd::EXIT_REJECTED);
            }
            Ok(())
        }
        Command::Bench { command } => run_bench(store, command).await,
        Command::Clv { .. } => unreachable!("handled before the database is opened"),
        Command::Dedupe(args) => dedupe_cmd::run_base(store, &args, config.dedupe.settings()).await,
        Command::Analyze { as_of, json } => {
            let summary = analyze_cmd::run(store.clone(), &config.value, as_of).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                analyze_cmd::print(&summary, &store.hotels().await?);
            }
            Ok(())
        }
        Command::Reindex => {
            let done = reindex_cmd::run(store).await?;
            println!("{done} profiles reindexed");
            Ok(())
        }
        Command::Migrate => {
            println!("database {} is up to date", config::redact_url(&config.database_url));
            Ok(())
        }
        Command::User { command } => match command {
            UserCommand::Add {
                login,
                role,
                hotels,
                name,
                language,
            } => {
                access_cmd::user_add(
                    store.as_ref(),
                    access_cmd::UserAdd {
                        login,
                        role,
                        hotels,
                        name,
                        language,
                    },
                )
                .await
            }
            UserCommand::Disable { login } => access_cmd::user_disable(store.as_ref(), &login, true).await,
            UserCommand::Enable { login } => access_cmd::user_disable(store.as_ref(), &login, false).await,
        },
        Command::Token {
            command: TokenCommand::Create { role, hotels, name },
        } => {
            let secret = access_cmd::token_create(store.as_ref(), &name, &role, &hotels).await?;
            println!("{secret}");
            Ok(())
        }
    }
}

async fn serve(store: Arc<dyn Store>, config: &Config) -> anyhow::Result<()> {
    let region = Region::parse(&config.phone_region).map_err(anyhow::Error::msg)?;
    let benefits = config.value.benefit_plan().context("[[value.benefits]] in the configuration")?;
    let catch_up_every = config.dedupe.catch_up_every()?;
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let addr = listener.local_addr()?;
    println!("Rapport is serving on http://{addr}/ (staff console at http://{addr}/, API under http://{addr}/api/v1, OpenAPI at http://{addr}/api/openapi.json)");
    analyze_cmd::schedule_nightly(store.clone(), config.value.clone());
    let settings = config.dedupe.settings();
    // Built in the background: the server answers while the base is read and the model fitted.
    // Then it follows what imports and batch runs in other processes change.
    let identity = rapport_dedupe::IdentityWatch::start(store.clone(), settings, catch_up_every);
    let api = rapport_http::AppState::new(store, region)
        .with_benefits(benefits)
        .with_identity(identity);
    let mut console = rapport_web::ConsoleState::new(api);
    console.secure_cookies = config.secure_cookies;
    rapport_web::serve(listener, console).await?;
    Ok(())
}

async fn run_bench(store: Arc<dyn Store>, command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Import { rows, csv, seed, json } => {
            memory::tune_for_batches();
            let report = bench::import::run(store, csv, rows, seed).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "import into {}: {} rows in {:.1} s = {:.0} rows/s, peak RSS during import {:.0} MiB, CPU {:.1} s user + {:.1} s system",
                    report.backend,
                    report.rows,
                    report.seconds,
                    report.rows_per_second,
                    report.peak_rss_mib,
                    report.cpu_user_seconds,
                    report.cpu_system_seconds
                );
            }
        }
        BenchCommand::Read {
            guests,
            connections,
            seconds,
            json,
        } => {
            let store = with_demo_guests(store, guests).await?;
            print_load_reports(&[bench::read(store, connections, seconds).await?], json)?;
        }
        BenchCommand::Search(PageLoad {
            guests,
            connections,
            seconds,
            json,
        }) => {
            let store = with_demo_guests(store, guests).await?;
            print_load_reports(&bench::search(store, connections, seconds).await?, json)?;
        }
        BenchCommand::Console(PageLoad {
            guests,
            connections,
            seconds,
            json,
        }) => {
            let store = with_demo_guests(store, guests).await?;
            let report = bench::console::run(store, connections, seconds).await?;
            if !json {
                println!(
                    "dashboard figures computed from scratch in {:.2} s (then served from memory)",
                    report.figures.as_secs_f64()
                );
            }
            print_load_reports(&report.pages, json)?;
        }
    }
    Ok(())
}

/// Loads demo guests first when `--guests N` asks for more than the database holds.
async fn with_demo_guests(store: Arc<dyn Store>, guests: Option<u64>) -> anyhow::Result<Arc<dyn Store>> {
    if let Some(n) = guests {
        bench::ensure_guests(store.clone(), n, 1).await?;
    }
    Ok(store)
}

fn print_load_reports(reports: &[bench::load::LoadReport], json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(reports)?);
    } else {
        reports.iter().for_each(bench::load::LoadReport::print);
    }
    Ok(())
}
