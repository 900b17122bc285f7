//! `rapport analyze`: the guest value analysis of the whole group (tiers, RFM, lifetime value
//! and churn risk per hotel and for the group), stored for the console and the API. `rapport
//! serve` runs it every night as well.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use rapport_store::Store;
use rapport_value::analysis::{analyse, AnalysisSettings, HotelInfo, Scope, ScopeReport};
use rapport_value::benefits::{BenefitPlan, BenefitRule};
use serde::{Deserialize, Serialize};

/// `[value]` in `rapport.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueConfig {
    /// Currency of the group-wide figures (default: the first hotel's).
    pub group_currency: Option<String>,
    /// Value of one unit of each hotel currency in the group currency, e.g. `CNY = 0.13`.
    /// Hotels whose currency has no rate are left out of the group figures.
    #[serde(default)]
    pub rates: BTreeMap<String, f64>,
    /// Cumulative revenue shares where VIP, major and ordinary end (default 0.5, 0.8, 0.95).
    pub tiers: Option<[f64; 3]>,
    /// `[[value.benefits]]`: what each tier or RFM segment is offered (default: the plan in
    /// `rapport_value::benefits`).
    pub benefits: Option<Vec<BenefitRule>>,
}

impl ValueConfig {
    /// The benefit plan, checked.
    pub fn benefit_plan(&self) -> anyhow::Result<BenefitPlan> {
        let plan = match &self.benefits {
            Some(rules) => BenefitPlan { rules: rules.clone() },
            None => BenefitPlan::default(),
        };
        plan.validate().map_err(anyhow::Error::msg)?;
        Ok(plan)
    }
}

#[derive(Debug, Serialize)]
pub struct AnalysisSummary {
    pub as_of: NaiveDate,
    pub stays: usize,
    pub guest_scores: usize,
    pub seconds: f64,
    /// Where the time went: reading the stays, the analysis itself, storing the results.
    pub read_seconds: f64,
    pub analyse_seconds: f64,
    pub save_seconds: f64,
    pub reports: Vec<ScopeReport>,
}

/// Reads every stay that happened, analyses and stores the result.
pub async fn run(store: Arc<dyn Store>, config: &ValueConfig, as_of: Option<NaiveDate>) -> anyhow::Result<AnalysisSummary> {
    let started = Instant::now();
    let hotels = store.hotels().await?;
    anyhow::ensure!(!hotels.is_empty(), "the database has no hotels yet");
    let as_of = as_of.unwrap_or_else(|| Utc::now().date_naive());
    let group = match &config.group_currency {
        Some(code) => rapport_domain::money::Currency::parse(code).map_err(anyhow::Error::msg)?,
        None => hotels[0].currency,
    };
    let mut settings = AnalysisSettings::new(as_of, group.code(), group.exponent());
    settings.rates.extend(config.rates.iter().map(|(k, v)| (k.to_uppercase(), *v)));
    if let Some([vip, major, ordinary]) = config.tiers {
        settings.tiers = rapport_value::TierThresholds::new(vip, major, ordinary).map_err(anyhow::Error::msg)?;
    }
    let infos: Vec<HotelInfo> = hotels
        .iter()
        .map(|h| HotelInfo {
            id: h.id,
            currency: h.currency.code().to_string(),
            exponent: h.currency.exponent(),
        })
        .collect();
    let facts = store.stay_facts().await?;
    let read_seconds = started.elapsed().as_secs_f64();
    let stays = facts.stays.len();
    // The models are CPU work: keep them off the async workers that answer requests.
    let analysis = tokio::task::spawn_blocking(move || analyse(&facts, &infos, &settings)).await?;
    let analysed = started.elapsed().as_secs_f64();
    let guest_scores = analysis.guests.len();
    let reports = analysis.reports.clone();
    store.save_analysis(as_of, analysis).await?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(AnalysisSummary {
        as_of,
        stays,
        guest_scores,
        seconds,
        read_seconds,
        analyse_seconds: analysed - read_seconds,
        save_seconds: seconds - analysed,
        reports,
    })
}

pub fn print(summary: &AnalysisSummary, hotels: &[rapport_domain::hotel::Hotel]) {
    println!(
        "value analysis as of {}: {} stays, {} guest scores stored in {:.1} s (read {:.1} s, analyse {:.1} s, store {:.1} s)",
        summary.as_of,
        summary.stays,
        summary.guest_scores,
        summary.seconds,
        summary.read_seconds,
        summary.analyse_seconds,
        summary.save_seconds
    );
    for r in &summary.reports {
        let name = match r.scope {
            Scope::Group => "whole group".to_string(),
            Scope::Hotel(id) => hotels.iter().find(|h| h.id == id).map(|h| h.code.clone()).unwrap_or_default(),
        };
        let fit = match (&r.purchases, &r.holdout) {
            (Some(p), Some(h)) => format!(
                "BG/NBD r={:.3} α={:.3} a={:.3} b={:.3}; holdout repeat stays predicted {:.0} vs actual {}",
                p.model.r, p.model.alpha, p.model.a, p.model.b, h.predicted_repeat_purchases, h.actual_repeat_purchases
            ),
            (Some(p), None) => format!(
                "BG/NBD r={:.3} α={:.3} a={:.3} b={:.3}",
                p.model.r, p.model.alpha, p.model.a, p.model.b
            ),
            _ => format!("no model: {}", r.model_note.clone().unwrap_or_default()),
        };
        println!(
            "  {name:<12} {:>9} guests  top 20% bring {:>5.1}%  Gini {:.3}  {fit}",
            r.guests,
            r.top_20_share * 100.0,
            r.gini
        );
        if !r.left_out.is_empty() {
            println!("               left out for want of an exchange rate: hotels {:?}", r.left_out);
        }
    }
}

/// Runs the analysis every night at 02:00 UTC for as long as the server runs.
pub fn schedule_nightly(store: Arc<dyn Store>, config: ValueConfig) {
    tokio::spawn(async move {
        loop {
            let now = Utc::now();
            let next = (now.date_naive() + chrono::Days::new(u64::from(now.time() >= chrono::NaiveTime::from_hms_opt(2, 0, 0).unwrap())))
                .and_hms_opt(2, 0, 0)
                .expect("02:00 exists")
                .and_utc();
            tokio::time::sleep((next - now).to_std().unwrap_or(Duration::from_secs(60))).await;
            match run(store.clone(), &config, None).await {
                Ok(s) => tracing::info!(guest_scores = s.guest_scores, seconds = s.seconds, "nightly value analysis stored"),
                Err(e) => tracing::error!(error = %e, "nightly value analysis failed"),
            }
        }
    });
}
