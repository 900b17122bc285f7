//! `rapport clv fit|simulate`: lifetime-value models on a transaction-log CSV. Works on files
//! only; no database is opened.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use rand::SeedableRng;
use rapport_value::simulate::{simulate, Simulation};
use rapport_value::{BgNbd, ChurnRisk, GammaGamma, Period, Valuation, ValueSettings, Window};
use serde::Serialize;
use serde_json::json;

use crate::clv_log;

#[derive(Subcommand)]
pub enum ClvCommand {
    /// Fit the BG/NBD purchase and Gamma-Gamma spend models on a transaction log
    /// (CSV: customer_id,date,amount) and value every customer.
    Fit(FitArgs),
    /// Write a synthetic transaction log drawn from the models (the paper's CDNOW estimates by
    /// default), e.g. for benchmarks.
    Simulate(SimulateArgs),
}

#[derive(Args)]
pub struct FitArgs {
    /// Transaction log: CSV with columns customer_id, date (YYYY-MM-DD or YYYYMMDD), amount.
    #[arg(long)]
    input: PathBuf,
    /// Last day of the calibration period (inclusive); later purchases form the holdout.
    #[arg(long)]
    calibration_end: NaiveDate,
    /// Last day of the holdout period (default: the last date in the log).
    #[arg(long)]
    observation_end: Option<NaiveDate>,
    /// Unit of time for recency, age and horizons. Purchases are counted per day either way.
    #[arg(long, value_enum, default_value_t = PeriodArg::Week)]
    period: PeriodArg,
    /// Months of lifetime value.
    #[arg(long, default_value_t = 12)]
    months: u32,
    /// Monthly discount rate for lifetime value.
    #[arg(long, default_value_t = 0.01)]
    discount_rate: f64,
    /// Expected purchases are given over this many periods (default: a year).
    #[arg(long)]
    horizon: Option<f64>,
    /// Also write each customer's figures to this CSV.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct SimulateArgs {
    #[arg(long, default_value_t = 1_000_000)]
    customers: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Where to write the log.
    #[arg(long)]
    output: PathBuf,
    /// BG/NBD and Gamma-Gamma parameters, α in weeks.
    #[arg(long, default_value_t = 0.243)]
    r: f64,
    #[arg(long, default_value_t = 4.414)]
    alpha: f64,
    #[arg(long, default_value_t = 0.793)]
    a: f64,
    #[arg(long, default_value_t = 2.426)]
    b: f64,
    #[arg(long, default_value_t = 6.25)]
    p: f64,
    #[arg(long, default_value_t = 3.74)]
    q: f64,
    #[arg(long, default_value_t = 15.44)]
    gamma: f64,
    /// First purchases fall on the 12 weeks from this date (CDNOW's first quarter of 1997).
    #[arg(long, default_value = "1997-01-01")]
    first_purchase_from: NaiveDate,
    #[arg(long, default_value = "1998-06-30")]
    observation_end: NaiveDate,
}

#[derive(Clone, Copy, ValueEnum)]
enum PeriodArg {
    Day,
    Week,
}

impl From<PeriodArg> for Period {
    fn from(p: PeriodArg) -> Period {
        match p {
            PeriodArg::Day => Period::Day,
            PeriodArg::Week => Period::Week,
        }
    }
}

pub fn run(command: &ClvCommand) -> anyhow::Result<()> {
    match command {
        ClvCommand::Fit(args) => fit(args),
        ClvCommand::Simulate(args) => {
            let s = Simulation {
                customers: args.customers,
                purchases: BgNbd {
                    r: args.r,
                    alpha: args.alpha,
                    a: args.a,
                    b: args.b,
                },
                spend: GammaGamma {
                    p: args.p,
                    q: args.q,
                    gamma: args.gamma,
                },
                period: Period::Week,
                first_purchase_from: args.first_purchase_from,
                acquisition_days: 84,
                observation_end: args.observation_end,
            };
            let log = simulate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(args.seed), &s);
            clv_log::write_simulated(&args.output, &log)?;
            println!(
                "{}: {} transactions of {} customers",
                args.output.display(),
                log.len(),
                args.customers
            );
            Ok(())
        }
    }
}

fn fit(args: &FitArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let log = clv_log::read(&args.input)?;
    anyhow::ensure!(!log.transactions.is_empty(), "{}: no transactions", args.input.display());
    let last_date = log.transactions.iter().map(|t| t.date).max().expect("not empty");
    let window = Window {
        calibration_end: args.calibration_end,
        observation_end: args.observation_end.unwrap_or(last_date).max(args.calibration_end),
    };
    let period = Period::from(args.period);
    let mut settings = ValueSettings::new(period);
    settings.lifetime.months = args.months;
    settings.lifetime.monthly_discount_rate = args.discount_rate;
    if let Some(h) = args.horizon {
        anyhow::ensure!(h > 0.0, "--horizon must be positive");
        settings.horizon_periods = h;
    }
    let histories = rapport_value::summarize(&log.transactions, log.customer_ids.len(), window);
    let valuation = rapport_value::value_customers(&histories.customers, &window, &settings)
        .with_context(|| format!("fitting the models on {}", args.input.display()))?;
    if let Some(path) = &args.predictions {
        write_predictions(path, &valuation, &log.customer_ids)?;
    }
    let report = Report {
        input: &args.input,
        transactions: log.transactions.len(),
        customers: histories.customers.len(),
        first_seen_in_holdout: histories.first_seen_in_holdout,
        period,
        calibration_end: window.calibration_end,
        observation_end: window.observation_end,
        settings: &settings,
        valuation: &valuation,
        elapsed_seconds: started.elapsed().as_secs_f64(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        report.print();
    }
    Ok(())
}

struct Report<'a> {
    input: &'a Path,
    transactions: usize,
    customers: usize,
    first_seen_in_holdout: usize,
    period: Period,
    calibration_end: NaiveDate,
    observation_end: NaiveDate,
    settings: &'a ValueSettings,
    valuation: &'a Valuation,
    elapsed_seconds: f64,
}

#[derive(Serialize, Default)]
struct ChurnCounts {
    low: usize,
    medium: usize,
    high: usize,
}

impl Report<'_> {
    fn churn_counts(&self) -> ChurnCounts {
        let mut c = ChurnCounts::default();
        for g in &self.valuation.guests {
            match g.churn_risk {
                ChurnRisk::Low => c.low += 1,
                ChurnRisk::Medium => c.medium += 1,
                ChurnRisk::High => c.high += 1,
            }
        }
        c
    }

    fn total_value(&self) -> (f64, f64) {
        let guests = &self.valuation.guests;
        (
            guests.iter().map(|g| g.expected_purchases).sum(),
            guests.iter().map(|g| g.lifetime_value).sum(),
        )
    }

    fn to_json(&self) -> serde_json::Value {
        let v = self.valuation;
        let (purchases, value) = self.total_value();
        let mut bgnbd = serde_json::to_value(v.purchases).expect("plain numbers");
        bgnbd["patterns"] = json!(v.patterns);
        json!({
            "input": self.input,
            "transactions": self.transactions,
            "customers": self.customers,
            "first_seen_in_holdout": self.first_seen_in_holdout,
            "period": self.period,
            "calibration_end": self.calibration_end,
            "observation_end": self.observation_end,
            "bgnbd": bgnbd,
            "gamma_gamma": v.spend,
            "holdout": v.holdout,
            "value": {
                "horizon_periods": self.settings.horizon_periods,
                "expected_purchases": purchases,
                "lifetime": self.settings.lifetime,
                "total_lifetime_value": value,
                "mean_lifetime_value": value / self.customers as f64,
                "churn_bands": self.settings.churn,
                "churn_risk": self.churn_counts(),
            },
            "elapsed_seconds": self.elapsed_seconds,
        })
    }

    fn print(&self) {
        let v = self.valuation;
        let unit = match self.period {
            Period::Day => "days",
            Period::Week => "weeks",
        };
        println!(
            "{}: {} customers, {} transactions; calibration to {}, time in {unit}",
            self.input.display(),
            self.customers,
            self.transactions,
            self.calibration_end
        );
        if self.first_seen_in_holdout > 0 {
            println!(
                "  {} customers first seen after the calibration end are not modelled",
                self.first_seen_in_holdout
            );
        }
        let b = &v.purchases;
        println!(
            "BG/NBD       r = {:.4}  alpha = {:.4}  a = {:.4}  b = {:.4}   log-likelihood {:.2}  ({} patterns, {} iterations)",
            b.model.r, b.model.alpha, b.model.a, b.model.b, b.log_likelihood, v.patterns, b.iterations
        );
        let g = &v.spend;
        println!(
            "Gamma-Gamma  p = {:.4}  q = {:.4}  gamma = {:.4}   log-likelihood {:.2}  ({} customers with repeat spend)",
            g.model.p, g.model.q, g.model.gamma, g.log_likelihood, g.customers
        );
        if let Some(h) = &v.holdout {
            let diff = (h.predicted_repeat_purchases / h.actual_repeat_purchases.max(1) as f64 - 1.0) * 100.0;
            println!(
                "holdout to {} ({:.1} {unit}): {} repeat purchases, predicted {:.1} ({diff:+.1}%), mean absolute error {:.3} per customer",
                self.observation_end, h.periods, h.actual_repeat_purchases, h.predicted_repeat_purchases, h.mean_absolute_error
            );
            println!("  calibration frequency  customers  actual mean  predicted mean");
            for row in h.by_frequency.iter().filter(|r| r.customers > 0) {
                let label = if row.frequency == 7 {
                    "7+".to_string()
                } else {
                    row.frequency.to_string()
                };
                println!(
                    "  {label:>21}  {:>9}  {:>11.3}  {:>14.3}",
                    row.customers, row.actual_mean, row.predicted_mean
                );
            }
        }
        let (purchases, value) = self.total_value();
        let l = &self.settings.lifetime;
        println!(
            "next {:.1} {unit}: {purchases:.1} expected purchases; lifetime value over {} months at {}%/month: total {value:.2}, mean {:.2}",
            self.settings.horizon_periods,
            l.months,
            l.monthly_discount_rate * 100.0,
            value / self.customers as f64
        );
        let c = self.churn_counts();
        println!("churn risk: {} low, {} medium, {} high", c.low, c.medium, c.high);
        println!("{:.3} s", self.elapsed_seconds);
    }
}

fn write_predictions(path: &Path, valuation: &Valuation, ids: &clv_log::CustomerIds) -> anyhow::Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(
        out,
        "customer_id,frequency,recency,age,monetary_value,probability_alive,expected_purchases,expected_spend,lifetime_value,churn_risk"
    )?;
    for g in &valuation.guests {
        write_csv_field(&mut out, ids.get(g.customer as usize))?;
        writeln!(
            out,
            ",{},{},{},{:.2},{:.6},{:.6},{:.2},{:.2},{}",
            g.frequency,
            g.recency,
            g.age,
            g.monetary_value,
            g.probability_alive,
            g.expected_purchases,
            g.expected_spend,
            g.lifetime_value,
            g.churn_risk.as_str()
        )?;
    }
    out.flush()?;
    Ok(())
}

/// Writes an id as read, quoted when it holds a separator, quote or line break.
fn write_csv_field(out: &mut impl Write, field: &[u8]) -> std::io::Result<()> {
    if field.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.write_all(b"\"")?;
        for part in field.split_inclusive(|&b| b == b'"') {
            out.write_all(part)?;
            if part.ends_with(b"\"") {
                out.write_all(b"\"")?;
            }
        }
        out.write_all(b"\"")
    } else {
        out.write_all(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_with_separators_or_quotes_are_quoted() {
        let written = |id: &[u8]| {
            let mut out = Vec::new();
            write_csv_field(&mut out, id).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(written(b"00004"), "00004");
        assert_eq!(written(b"x,y"), "\"x,y\"");
        assert_eq!(written(b"say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
