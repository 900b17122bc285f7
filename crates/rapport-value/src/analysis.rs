//! The nightly value analysis of a hotel group, pure: from every stay that happened to each
//! guest's revenue, value tier, RFM score, probability of still being an active guest,
//! expected stays and spend, lifetime value and churn band — per hotel and for the group —
//! and per scope the 80/20 report (top-20% share, Lorenz curve, Gini) and the models' fit.
//!
//! Hotels keep their own currency. The group scope adds them up in one reporting currency
//! with rates the group configures; a hotel whose currency has no rate is left out of the
//! group scope (and the report says so) rather than added at a made-up rate.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cohorts::{cohort_retention, Cohort};
use crate::concentration::{LorenzPoint, Sorted};
use crate::facts::{StayFact, StayFacts};
use crate::history::{summarize, Transaction, Window};
use crate::holdout::HoldoutCheck;
use crate::lifetime_value::ChurnRisk;
use crate::profiles::{segment_profiles, ScopedStay, SegmentProfile};
use crate::rfm::{rfm_scores, RfmInput, RfmScore, RfmSegment};
use crate::tiers::{value_tiers, TierThresholds, ValueTier};
use crate::valuation::{value_customers, ValueSettings};
use crate::{BgNbdFit, GammaGammaFit, Period};

#[derive(Debug, Clone, PartialEq)]
pub struct HotelInfo {
    pub id: i64,
    pub currency: String,
    /// Minor-unit digits of the currency (2 for EUR, 0 for JPY).
    pub exponent: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalysisSettings {
    /// The day the analysis is for (normally today).
    pub as_of: NaiveDate,
    /// Days before `as_of` held out to check the purchase model's predictions.
    pub holdout_days: u32,
    pub tiers: TierThresholds,
    pub value: ValueSettings,
    /// Currency of the group scope, and the value of one unit of each hotel currency in it.
    pub group_currency: String,
    pub group_exponent: u32,
    pub rates: BTreeMap<String, f64>,
    /// Windows (days before `as_of`) the 80/20 view is also given for, besides all history.
    pub pareto_windows: Vec<u32>,
}

impl AnalysisSettings {
    /// Weekly periods (stays are rare events), a 26-week holdout, default tiers and bands,
    /// the 80/20 view over all history, the last year and the last three years.
    pub fn new(as_of: NaiveDate, group_currency: &str, group_exponent: u32) -> Self {
        Self {
            as_of,
            holdout_days: 182,
            tiers: TierThresholds::default(),
            value: ValueSettings::new(Period::Week),
            group_currency: group_currency.to_string(),
            group_exponent,
            rates: BTreeMap::from([(group_currency.to_string(), 1.0)]),
            pareto_windows: vec![365, 1095],
        }
    }
}

/// Whose figures: one hotel, or the whole group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "hotel", rename_all = "snake_case")]
pub enum Scope {
    Group,
    Hotel(i64),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierRow {
    pub tier: ValueTier,
    pub guests: usize,
    pub revenue_share: f64,
}

/// Guests ranked by their revenue over a window: how concentrated it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoView {
    /// Days before the analysis date; `None` for all history.
    pub window_days: Option<u32>,
    /// Guests with a stay in the window.
    pub guests: usize,
    pub revenue: i64,
    pub top_20_share: f64,
    pub gini: f64,
    /// 101 points, so the share of any top k% can be read off: `1 - lorenz[100 - k]`.
    pub lorenz: Vec<LorenzPoint>,
}

impl ParetoView {
    fn of(window_days: Option<u32>, revenues: &[i64]) -> Self {
        let sorted = Sorted::new(revenues);
        Self {
            window_days,
            guests: revenues.len(),
            revenue: revenues.iter().sum(),
            top_20_share: sorted.top_share(0.2),
            gini: sorted.gini(),
            lorenz: sorted.lorenz_curve(100),
        }
    }

    /// Share of the window's revenue brought by the top `percent`% of its guests.
    pub fn top_share(&self, percent: u32) -> f64 {
        let k = percent.min(100) as usize;
        1.0 - self.lorenz.get(100 - k).map_or(1.0, |p| p.revenue)
    }
}

/// The 80/20 view, segment profiles, cohorts and the models' fit for one scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopeReport {
    pub scope: Scope,
    pub currency: String,
    pub guests: usize,
    pub stays: usize,
    pub revenue: i64,
    /// Over all history (as `pareto[0]`).
    pub top_20_share: f64,
    pub gini: f64,
    /// All history first, then each configured window.
    pub pareto: Vec<ParetoView>,
    pub tiers: Vec<TierRow>,
    pub rfm: Vec<(RfmSegment, usize)>,
    /// Each tier's and each RFM segment's profile.
    pub profiles: Vec<SegmentProfile>,
    pub cohorts: Vec<Cohort>,
    /// Valuable guests (VIP and major) the models or RFM say are slipping away, most
    /// revenue first (at most [`AT_RISK_LISTED`]).
    pub at_risk: Vec<AtRiskGuest>,
    pub purchases: Option<BgNbdFit>,
    pub spend: Option<GammaGammaFit>,
    /// Predicted vs actual repeat stays over the held-out weeks.
    pub holdout: Option<HoldoutCheck>,
    /// Why the models could not be fitted (too little history), if so.
    pub model_note: Option<String>,
    /// Hotels left out of the group scope for want of an exchange rate.
    pub left_out: Vec<i64>,
}

/// How many at-risk valuable guests a report lists.
pub const AT_RISK_LISTED: usize = 100;

/// A valuable guest at risk of being lost: who to call first.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AtRiskGuest {
    pub guest: i64,
    pub tier: ValueTier,
    pub segment: RfmSegment,
    pub revenue: i64,
    pub stays: u32,
    pub last_stay: NaiveDate,
    pub probability_alive: Option<f64>,
    /// Discounted, minor units.
    pub lifetime_value: Option<f64>,
}

impl GuestScore {
    /// VIP or major, and either the model gives them a high churn risk or their RFM scores
    /// say they used to come often and have stopped.
    pub fn is_valuable_at_risk(&self) -> bool {
        matches!(self.tier, ValueTier::Vip | ValueTier::Major)
            && (self.churn_risk == Some(ChurnRisk::High) || matches!(self.rfm.segment, RfmSegment::AtRisk | RfmSegment::CannotLose))
    }
}

/// What the analysis says about one guest in one scope.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GuestScore {
    pub scope: Scope,
    pub guest: i64,
    pub stays: u32,
    pub last_stay: NaiveDate,
    /// In the scope's currency, minor units.
    pub revenue: i64,
    pub tier: ValueTier,
    pub rfm: RfmScore,
    /// `None` when the models could not be fitted for the scope.
    pub probability_alive: Option<f64>,
    pub expected_stays: Option<f64>,
    /// Per stay, minor units.
    pub expected_spend: Option<f64>,
    /// Discounted, minor units.
    pub lifetime_value: Option<f64>,
    pub churn_risk: Option<ChurnRisk>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Analysis {
    pub reports: Vec<ScopeReport>,
    pub guests: Vec<GuestScore>,
}

/// One scope's share of the work.
struct Job<'a> {
    scope: Scope,
    currency: &'a str,
    /// Each stay with the factor from its hotel's currency to the scope's.
    stays: Vec<(&'a StayFact, f64)>,
    left_out: Vec<i64>,
}

/// Analyses every hotel and the group, scopes side by side on the machine's cores (largest
/// first); the result lists hotels in the order given, then the group.
pub fn analyse(facts: &StayFacts, hotels: &[HotelInfo], settings: &AnalysisSettings) -> Analysis {
    let happened: Vec<&StayFact> = facts.stays.iter().filter(|f| f.arrival <= settings.as_of).collect();
    // Guest ids to dense customer numbers go through a table indexed by id (ids are dense in
    // practice; a map would cost a hash per stay at ten million stays).
    let slots = happened.iter().map(|f| f.guest.max(0) as usize + 1).max().unwrap_or(0);
    let mut jobs: Vec<Job> = hotels
        .iter()
        .map(|h| Job {
            scope: Scope::Hotel(h.id),
            currency: &h.currency,
            stays: happened.iter().filter(|f| f.hotel == h.id).map(|f| (*f, 1.0)).collect(),
            left_out: Vec::new(),
        })
        .collect();
    let mut left_out = Vec::new();
    let factor: HashMap<i64, f64> = hotels
        .iter()
        .filter_map(|h| match settings.rates.get(&h.currency) {
            Some(rate) => Some((h.id, rate * 10f64.powi(settings.group_exponent as i32 - h.exponent as i32))),
            None => {
                left_out.push(h.id);
                None
            }
        })
        .collect();
    jobs.push(Job {
        scope: Scope::Group,
        currency: &settings.group_currency,
        stays: happened.iter().filter_map(|f| factor.get(&f.hotel).map(|k| (*f, *k))).collect(),
        left_out,
    });

    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].stays.len()));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, jobs.len());
    let mut done: Vec<Option<Analysis>> = (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&i) = order.get(k) else { break };
                        let job = &jobs[i];
                        let mut out = Analysis::default();
                        scope(&mut out, job, slots, &facts.labels, settings);
                        mine.push((i, out));
                    }
                    mine
                })
            })
            .collect();
        for h in handles {
            for (i, out) in h.join().expect("an analysis worker panicked") {
                done[i] = Some(out);
            }
        }
    });
    let mut out = Analysis::default();
    for part in done.into_iter().flatten() {
        out.reports.extend(part.reports);
        out.guests.extend(part.guests);
    }
    out
}

fn scope(out: &mut Analysis, job: &Job, slots: usize, labels: &[String], settings: &AnalysisSettings) {
    let Job {
        scope,
        currency,
        stays,
        left_out,
    } = job;
    let scope = *scope;
    // Dense customer numbers for the models, in order of first appearance.
    let mut slot_of = vec![u32::MAX; slots];
    let mut ids: Vec<i64> = Vec::new();
    let customer: Vec<u32> = stays
        .iter()
        .map(|(f, _)| {
            let slot = &mut slot_of[f.guest.max(0) as usize];
            if *slot == u32::MAX {
                *slot = ids.len() as u32;
                ids.push(f.guest);
            }
            *slot
        })
        .collect();
    let n = ids.len();
    let mut revenue = vec![0i64; n];
    let mut count = vec![0u32; n];
    let mut last = vec![NaiveDate::MIN; n];
    let transactions: Vec<Transaction> = stays
        .iter()
        .zip(&customer)
        .map(|((f, factor), &c)| {
            let i = c as usize;
            let amount = (f.revenue() as f64 * factor).round() as i64;
            revenue[i] += amount;
            count[i] += 1;
            last[i] = last[i].max(f.arrival);
            Transaction {
                customer: c,
                date: f.arrival,
                amount,
            }
        })
        .collect();

    let tiers = value_tiers(&revenue, &settings.tiers);
    let rfm = rfm_scores(
        &(0..n)
            .map(|i| RfmInput {
                days_since_last: (settings.as_of - last[i]).num_days().max(0) as u32,
                stays: count[i],
                spend: revenue[i],
            })
            .collect::<Vec<_>>(),
    );

    // Fit quality: calibrate before the holdout and compare with what happened in it.
    let calibration_end = settings.as_of - chrono::Duration::days(i64::from(settings.holdout_days));
    let holdout = Window {
        calibration_end,
        observation_end: settings.as_of,
    };
    let checked = value_customers(&summarize(&transactions, n, holdout).customers, &holdout, &settings.value);
    // Predictions: calibrate on everything up to today.
    let today = Window {
        calibration_end: settings.as_of,
        observation_end: settings.as_of,
    };
    let predicted = value_customers(&summarize(&transactions, n, today).customers, &today, &settings.value);

    let total: i64 = revenue.iter().sum();
    let mut tier_rows: BTreeMap<ValueTier, (usize, i64)> = BTreeMap::new();
    for (t, r) in tiers.iter().zip(&revenue) {
        let e = tier_rows.entry(*t).or_default();
        e.0 += 1;
        e.1 += r;
    }
    let mut rfm_rows: BTreeMap<RfmSegment, usize> = BTreeMap::new();
    for s in &rfm {
        *rfm_rows.entry(s.segment).or_default() += 1;
    }
    let mut pareto = vec![ParetoView::of(None, &revenue)];
    for &days in &settings.pareto_windows {
        let from = settings.as_of - chrono::Duration::days(i64::from(days));
        let mut windowed: Vec<Option<i64>> = vec![None; n];
        for t in transactions.iter().filter(|t| t.date > from) {
            *windowed[t.customer as usize].get_or_insert(0) += t.amount;
        }
        pareto.push(ParetoView::of(Some(days), &windowed.into_iter().flatten().collect::<Vec<_>>()));
    }
    let scoped: Vec<ScopedStay> = stays
        .iter()
        .zip(&customer)
        .map(|((fact, factor), &guest)| ScopedStay {
            fact,
            guest,
            factor: *factor,
        })
        .collect();
    let segments: Vec<(ValueTier, RfmSegment, u32)> = (0..n).map(|i| (tiers[i], rfm[i].segment, count[i])).collect();
    let profiles = segment_profiles(&scoped, &segments, labels);
    let cohorts = cohort_retention(transactions.iter().map(|t| (t.customer, t.date)), n, settings.as_of);

    let model_note = predicted.as_ref().err().map(|e| e.to_string());
    let (purchases, spend) = match &predicted {
        Ok(v) => (Some(v.purchases), Some(v.spend)),
        Err(_) => (None, None),
    };
    let first_guest = out.guests.len();
    out.reports.push(ScopeReport {
        scope,
        currency: currency.to_string(),
        guests: n,
        stays: stays.len(),
        revenue: total,
        top_20_share: pareto[0].top_20_share,
        gini: pareto[0].gini,
        pareto,
        tiers: tier_rows
            .into_iter()
            .map(|(tier, (guests, r))| TierRow {
                tier,
                guests,
                revenue_share: if total > 0 { r as f64 / total as f64 } else { 0.0 },
            })
            .collect(),
        rfm: rfm_rows.into_iter().collect(),
        profiles,
        cohorts,
        at_risk: Vec::new(),
        purchases,
        spend,
        holdout: checked.ok().and_then(|v| v.holdout),
        model_note,
        left_out: left_out.clone(),
    });

    // Per guest, in customer-number order.
    let mut values: Vec<Option<crate::GuestValue>> = vec![None; n];
    if let Ok(v) = predicted {
        for g in v.guests {
            values[g.customer as usize] = Some(g);
        }
    }
    for i in 0..n {
        let v = values[i].as_ref();
        out.guests.push(GuestScore {
            scope,
            guest: ids[i],
            stays: count[i],
            last_stay: last[i],
            revenue: revenue[i],
            tier: tiers[i],
            rfm: rfm[i],
            probability_alive: v.map(|v| v.probability_alive),
            expected_stays: v.map(|v| v.expected_purchases),
            // The models work in major units (see `CustomerHistory::monetary_value`).
            expected_spend: v.map(|v| v.expected_spend * 100.0),
            lifetime_value: v.map(|v| v.lifetime_value * 100.0),
            churn_risk: v.map(|v| v.churn_risk),
        });
    }
    let mut at_risk: Vec<AtRiskGuest> = out.guests[first_guest..]
        .iter()
        .filter(|g| g.is_valuable_at_risk())
        .map(|g| AtRiskGuest {
            guest: g.guest,
            tier: g.tier,
            segment: g.rfm.segment,
            revenue: g.revenue,
            stays: g.stays,
            last_stay: g.last_stay,
            probability_alive: g.probability_alive,
            lifetime_value: g.lifetime_value,
        })
        .collect();
    at_risk.sort_by(|a, b| b.revenue.cmp(&a.revenue).then(a.guest.cmp(&b.guest)));
    at_risk.truncate(AT_RISK_LISTED);
    out.reports.last_mut().expect("pushed above").at_risk = at_risk;
}

#[cfg(test)]
// Amounts are written `major_minor` (100_00 is 100.00), as the minor units they are.
mod tests {
    use super::*;
    use crate::simulate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn hotels_keep_their_currency_and_the_group_adds_them_at_the_configured_rate() {
        let hotels = vec![
            HotelInfo {
                id: 1,
                currency: "EUR".into(),
                exponent: 2,
            },
            HotelInfo {
                id: 2,
                currency: "CNY".into(),
                exponent: 2,
            },
            HotelInfo {
                id: 3,
                currency: "JPY".into(),
                exponent: 0,
            },
        ];
        let facts = vec![
            StayFact::simple(10, 1, d(2026, 1, 5), 10_000),
            StayFact::simple(10, 2, d(2026, 2, 5), 100_000),
            StayFact::simple(11, 3, d(2026, 3, 5), 5_000),
            StayFact::simple(12, 1, d(2027, 3, 5), 1), // after as_of: ignored
        ];
        let facts = StayFacts::from_stays(facts);
        let mut s = AnalysisSettings::new(d(2026, 6, 1), "EUR", 2);
        s.rates.insert("CNY".into(), 0.13);
        let a = analyse(&facts, &hotels, &s);
        let group = a.reports.iter().find(|r| r.scope == Scope::Group).unwrap();
        assert_eq!(group.revenue, 10_000 + 13_000, "CNY 1,000 at 0.13; JPY left out");
        assert_eq!(group.left_out, vec![3]);
        let lis = a.reports.iter().find(|r| r.scope == Scope::Hotel(1)).unwrap();
        assert_eq!((lis.guests, lis.revenue, lis.currency.as_str()), (1, 10_000, "EUR"));
        let g10 = a.guests.iter().find(|g| g.scope == Scope::Group && g.guest == 10).unwrap();
        assert_eq!((g10.stays, g10.last_stay), (2, d(2026, 2, 5)));
        assert_eq!(g10.tier, ValueTier::Vip);
        assert!(g10.probability_alive.is_none(), "two guests are no basis for a model");
        assert!(a.reports.iter().all(|r| r.model_note.is_some()));
    }

    #[test]
    fn a_realistic_base_gets_fitted_models_tiers_and_a_holdout_check() {
        // Simulated BG/NBD guests over two years, one stay = one transaction.
        use rand::SeedableRng;
        let log = simulate::simulate(
            &mut rand_chacha::ChaCha8Rng::seed_from_u64(7),
            &simulate::Simulation {
                customers: 3_000,
                purchases: crate::BgNbd {
                    r: 0.5,
                    alpha: 10.0,
                    a: 0.8,
                    b: 2.5,
                },
                spend: crate::GammaGamma {
                    p: 6.0,
                    q: 4.0,
                    gamma: 15.0,
                },
                period: Period::Week,
                first_purchase_from: d(2024, 1, 1),
                acquisition_days: 180,
                observation_end: d(2026, 1, 1),
            },
        );
        let facts: Vec<StayFact> = log
            .iter()
            .map(|t| StayFact::simple(i64::from(t.customer) + 1, 1, t.date, t.amount))
            .collect();
        let facts = StayFacts::from_stays(facts);
        let hotels = vec![HotelInfo {
            id: 1,
            currency: "EUR".into(),
            exponent: 2,
        }];
        let a = analyse(&facts, &hotels, &AnalysisSettings::new(d(2026, 1, 1), "EUR", 2));
        let r = a.reports.iter().find(|r| r.scope == Scope::Hotel(1)).unwrap();
        assert!(r.purchases.is_some() && r.spend.is_some(), "{:?}", r.model_note);
        let h = r.holdout.as_ref().expect("a holdout check");
        let ratio = h.predicted_repeat_purchases / h.actual_repeat_purchases.max(1) as f64;
        assert!((0.7..1.3).contains(&ratio), "predicted vs actual repeat stays: {ratio}");
        assert!(r.top_20_share > 0.2 && r.gini > 0.0);
        assert_eq!(r.pareto.len(), 3, "all history, one year, three years");
        assert!((r.pareto[0].top_share(20) - r.top_20_share).abs() < 1e-9);
        assert!(r.pareto[1].guests < r.guests && r.pareto[1].window_days == Some(365));
        let tier_guests: usize = r
            .profiles
            .iter()
            .filter(|p| matches!(p.segment, crate::profiles::SegmentKey::Tier(_)))
            .map(|p| p.guests)
            .sum();
        assert_eq!(tier_guests, r.guests);
        assert_eq!(r.cohorts.iter().map(|c| c.guests).sum::<usize>(), r.guests);
        assert!(r.cohorts.iter().all(|c| c.retained[0] == 1.0));
        assert!(!r.at_risk.is_empty(), "two years of simulated guests include lapsed good ones");
        assert!(r.at_risk.windows(2).all(|w| w[0].revenue >= w[1].revenue));
        let listed = a
            .guests
            .iter()
            .find(|g| g.scope == r.scope && g.guest == r.at_risk[0].guest)
            .unwrap();
        assert!(listed.is_valuable_at_risk());
        assert_eq!(r.tiers.iter().map(|t| t.guests).sum::<usize>(), r.guests);
        let scored = a.guests.iter().filter(|g| g.scope == Scope::Hotel(1)).count();
        assert_eq!(scored, r.guests);
        assert!(a
            .guests
            .iter()
            .all(|g| g.probability_alive.is_some_and(|p| (0.0..=1.0).contains(&p))));
    }
}
