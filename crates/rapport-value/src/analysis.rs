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
use serde::Serialize;

use crate::concentration::{gini, lorenz_curve, top_share, LorenzPoint};
use crate::history::{summarize, Transaction, Window};
use crate::holdout::HoldoutCheck;
use crate::lifetime_value::ChurnRisk;
use crate::rfm::{rfm_scores, RfmInput, RfmScore, RfmSegment};
use crate::tiers::{value_tiers, TierThresholds, ValueTier};
use crate::valuation::{value_customers, ValueSettings};
use crate::{BgNbdFit, GammaGammaFit, Period};

/// A stay that happened (in house or checked out), with everything posted to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StayFact {
    pub guest: i64,
    pub hotel: i64,
    pub arrival: NaiveDate,
    /// In the hotel's currency, minor units.
    pub revenue: i64,
}

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
}

impl AnalysisSettings {
    /// Weekly periods (stays are rare events), a 26-week holdout, default tiers and bands.
    pub fn new(as_of: NaiveDate, group_currency: &str, group_exponent: u32) -> Self {
        Self {
            as_of,
            holdout_days: 182,
            tiers: TierThresholds::default(),
            value: ValueSettings::new(Period::Week),
            group_currency: group_currency.to_string(),
            group_exponent,
            rates: BTreeMap::from([(group_currency.to_string(), 1.0)]),
        }
    }
}

/// Whose figures: one hotel, or the whole group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "hotel", rename_all = "snake_case")]
pub enum Scope {
    Group,
    Hotel(i64),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierRow {
    pub tier: ValueTier,
    pub guests: usize,
    pub revenue_share: f64,
}

/// The 80/20 view and the models' fit for one scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScopeReport {
    pub scope: Scope,
    pub currency: String,
    pub guests: usize,
    pub stays: usize,
    pub revenue: i64,
    pub top_20_share: f64,
    pub gini: f64,
    pub lorenz: Vec<LorenzPoint>,
    pub tiers: Vec<TierRow>,
    pub rfm: Vec<(RfmSegment, usize)>,
    pub purchases: Option<BgNbdFit>,
    pub spend: Option<GammaGammaFit>,
    /// Predicted vs actual repeat stays over the held-out weeks.
    pub holdout: Option<HoldoutCheck>,
    /// Why the models could not be fitted (too little history), if so.
    pub model_note: Option<String>,
    /// Hotels left out of the group scope for want of an exchange rate.
    pub left_out: Vec<i64>,
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

/// Analyses every hotel and the group.
pub fn analyse(facts: &[StayFact], hotels: &[HotelInfo], settings: &AnalysisSettings) -> Analysis {
    let mut out = Analysis::default();
    let facts: Vec<StayFact> = facts.iter().copied().filter(|f| f.arrival <= settings.as_of).collect();
    for h in hotels {
        let mine: Vec<(i64, NaiveDate, i64)> = facts
            .iter()
            .filter(|f| f.hotel == h.id)
            .map(|f| (f.guest, f.arrival, f.revenue))
            .collect();
        scope(&mut out, Scope::Hotel(h.id), &h.currency, &mine, settings, Vec::new());
    }
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
    let group: Vec<(i64, NaiveDate, i64)> = facts
        .iter()
        .filter_map(|f| {
            factor
                .get(&f.hotel)
                .map(|k| (f.guest, f.arrival, (f.revenue as f64 * k).round() as i64))
        })
        .collect();
    scope(&mut out, Scope::Group, &settings.group_currency, &group, settings, left_out);
    out
}

fn scope(
    out: &mut Analysis,
    scope: Scope,
    currency: &str,
    stays: &[(i64, NaiveDate, i64)],
    settings: &AnalysisSettings,
    left_out: Vec<i64>,
) {
    // Dense customer numbers for the models, in guest-id order.
    let mut index: BTreeMap<i64, u32> = BTreeMap::new();
    for (g, _, _) in stays {
        let next = index.len() as u32;
        index.entry(*g).or_insert(next);
    }
    let ids: Vec<i64> = {
        let mut v = vec![0; index.len()];
        for (g, i) in &index {
            v[*i as usize] = *g;
        }
        v
    };
    let n = ids.len();
    let mut revenue = vec![0i64; n];
    let mut count = vec![0u32; n];
    let mut last = vec![NaiveDate::MIN; n];
    let transactions: Vec<Transaction> = stays
        .iter()
        .map(|(g, day, amount)| {
            let c = index[g];
            let i = c as usize;
            revenue[i] += amount;
            count[i] += 1;
            last[i] = last[i].max(*day);
            Transaction {
                customer: c,
                date: *day,
                amount: *amount,
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
    let checked = value_customers(
        &summarize(
            &transactions,
            n,
            Window {
                calibration_end,
                observation_end: settings.as_of,
            },
        )
        .customers,
        &Window {
            calibration_end,
            observation_end: settings.as_of,
        },
        &settings.value,
    );
    // Predictions: calibrate on everything up to today.
    let today = Window {
        calibration_end: settings.as_of,
        observation_end: settings.as_of,
    };
    let histories = summarize(&transactions, n, today).customers;
    let predicted = value_customers(&histories, &today, &settings.value);

    let total: i64 = revenue.iter().sum();
    let mut tier_rows: BTreeMap<ValueTier, (usize, i64)> = BTreeMap::new();
    for (t, r) in tiers.iter().zip(&revenue) {
        let e = tier_rows.entry(*t).or_default();
        e.0 += 1;
        e.1 += r;
    }
    let mut rfm_rows: BTreeMap<&'static str, (RfmSegment, usize)> = BTreeMap::new();
    for s in &rfm {
        rfm_rows.entry(segment_key(s.segment)).or_insert((s.segment, 0)).1 += 1;
    }
    let model_note = predicted.as_ref().err().map(|e| e.to_string());
    let (purchases, spend) = match &predicted {
        Ok(v) => (Some(v.purchases), Some(v.spend)),
        Err(_) => (None, None),
    };
    out.reports.push(ScopeReport {
        scope,
        currency: currency.to_string(),
        guests: n,
        stays: stays.len(),
        revenue: total,
        top_20_share: top_share(&revenue, 0.2),
        gini: gini(&revenue),
        lorenz: lorenz_curve(&revenue, 20),
        tiers: tier_rows
            .into_iter()
            .map(|(tier, (guests, r))| TierRow {
                tier,
                guests,
                revenue_share: if total > 0 { r as f64 / total as f64 } else { 0.0 },
            })
            .collect(),
        rfm: rfm_rows.into_values().collect(),
        purchases,
        spend,
        holdout: checked.ok().and_then(|v| v.holdout),
        model_note,
        left_out,
    });

    // Per guest, in the order of the histories (customer index order).
    let values: HashMap<u32, crate::GuestValue> = match predicted {
        Ok(v) => v.guests.into_iter().map(|g| (g.customer, g)).collect(),
        Err(_) => HashMap::new(),
    };
    for i in 0..n {
        let v = values.get(&(i as u32));
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
}

fn segment_key(s: RfmSegment) -> &'static str {
    match s {
        RfmSegment::Champions => "1",
        RfmSegment::Loyal => "2",
        RfmSegment::CannotLose => "3",
        RfmSegment::AtRisk => "4",
        RfmSegment::NewOrPromising => "5",
        RfmSegment::NeedsAttention => "6",
        RfmSegment::Lapsed => "7",
    }
}

#[cfg(test)]
// Amounts are written `major_minor` (100_00 is 100.00), as the minor units they are.
#[allow(clippy::inconsistent_digit_grouping)]
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
            StayFact {
                guest: 10,
                hotel: 1,
                arrival: d(2026, 1, 5),
                revenue: 100_00,
            },
            StayFact {
                guest: 10,
                hotel: 2,
                arrival: d(2026, 2, 5),
                revenue: 1_000_00,
            },
            StayFact {
                guest: 11,
                hotel: 3,
                arrival: d(2026, 3, 5),
                revenue: 5_000,
            },
            StayFact {
                guest: 12,
                hotel: 1,
                arrival: d(2027, 3, 5),
                revenue: 1,
            }, // after as_of: ignored
        ];
        let mut s = AnalysisSettings::new(d(2026, 6, 1), "EUR", 2);
        s.rates.insert("CNY".into(), 0.13);
        let a = analyse(&facts, &hotels, &s);
        let group = a.reports.iter().find(|r| r.scope == Scope::Group).unwrap();
        assert_eq!(group.revenue, 100_00 + 130_00, "CNY 1,000 at 0.13; JPY left out");
        assert_eq!(group.left_out, vec![3]);
        let lis = a.reports.iter().find(|r| r.scope == Scope::Hotel(1)).unwrap();
        assert_eq!((lis.guests, lis.revenue, lis.currency.as_str()), (1, 100_00, "EUR"));
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
            .map(|t| StayFact {
                guest: i64::from(t.customer) + 1,
                hotel: 1,
                arrival: t.date,
                revenue: t.amount,
            })
            .collect();
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
        assert_eq!(r.tiers.iter().map(|t| t.guests).sum::<usize>(), r.guests);
        let scored = a.guests.iter().filter(|g| g.scope == Scope::Hotel(1)).count();
        assert_eq!(scored, r.guests);
        assert!(a
            .guests
            .iter()
            .all(|g| g.probability_alive.is_some_and(|p| (0.0..=1.0).contains(&p))));
    }
}
