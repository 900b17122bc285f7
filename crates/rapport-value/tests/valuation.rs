//! A whole log through the real parts: simulated from known parameters, summarised, fitted,
//! predicted and checked against its own holdout.

use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rapport_value::simulate::{simulate, Simulation};
use rapport_value::{summarize, value_customers, BgNbd, ChurnRisk, FitError, GammaGamma, Period, Transaction, ValueSettings, Window};

const PAPER: BgNbd = BgNbd {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};
const NOTE_025: GammaGamma = GammaGamma {
    p: 6.25,
    q: 3.74,
    gamma: 15.44,
};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn cdnow_like(customers: u32, seed: u64) -> Vec<Transaction> {
    let s = Simulation {
        customers,
        purchases: PAPER,
        spend: NOTE_025,
        period: Period::Week,
        first_purchase_from: date("1997-01-01"),
        acquisition_days: 84,
        observation_end: date("1998-06-30"),
    };
    simulate(&mut ChaCha8Rng::seed_from_u64(seed), &s)
}

fn window() -> Window {
    Window {
        calibration_end: date("1997-09-30"),
        observation_end: date("1998-06-30"),
    }
}

#[test]
fn a_simulated_log_gives_back_its_parameters_and_predicts_its_holdout() {
    let n = 40_000;
    let log = cdnow_like(n, 11);
    let histories = summarize(&log, n as usize, window());
    let v = value_customers(&histories.customers, &window(), &ValueSettings::new(Period::Week)).unwrap();
    let m = v.purchases.model;
    for (name, got, want) in [
        ("r", m.r, PAPER.r),
        ("alpha", m.alpha, PAPER.alpha),
        ("a", m.a, PAPER.a),
        ("b", m.b, PAPER.b),
    ] {
        assert!((got / want - 1.0).abs() < 0.12, "{name} = {got}, drawn with {want}");
    }
    let s = v.spend.model;
    assert!((s.population_mean() / NOTE_025.population_mean() - 1.0).abs() < 0.05, "{s:?}");

    let h = v.holdout.expect("the log runs past the calibration end");
    assert_eq!(h.customers, n as usize);
    let ratio = h.predicted_repeat_purchases / h.actual_repeat_purchases as f64;
    assert!(
        (ratio - 1.0).abs() < 0.05,
        "predicted {} vs actual {}",
        h.predicted_repeat_purchases,
        h.actual_repeat_purchases
    );
    for row in h.by_frequency.iter().filter(|r| r.customers > 500) {
        assert!(
            (row.predicted_mean - row.actual_mean).abs() < 0.15 * row.actual_mean.max(0.3),
            "{row:?}"
        );
    }
}

#[test]
fn one_stay_zero_spend_and_a_stay_today_are_valued_without_breaking_the_fit() {
    let n = 5_000;
    let mut log = cdnow_like(n, 12);
    let extra = [
        // One stay long ago.
        (n, "1997-01-02", 12_000),
        // Repeat stays that were all complimentary.
        (n + 1, "1997-02-01", 0),
        (n + 1, "1997-05-01", 0),
        (n + 1, "1997-08-01", 0),
        // First stay on the calibration end.
        (n + 2, "1997-09-30", 25_000),
        // A repeat stay on the calibration end.
        (n + 3, "1997-03-01", 5_000),
        (n + 3, "1997-09-30", 7_000),
    ];
    log.extend(extra.iter().map(|&(customer, d, amount)| Transaction {
        customer,
        date: date(d),
        amount,
    }));
    let histories = summarize(&log, n as usize + 4, window());
    let v = value_customers(&histories.customers, &window(), &ValueSettings::new(Period::Week)).unwrap();
    let guest = |c: u32| v.guests.iter().find(|g| g.customer == c).unwrap();
    for g in &v.guests {
        let all = [g.probability_alive, g.expected_purchases, g.expected_spend, g.lifetime_value];
        assert!(all.iter().all(|x| x.is_finite() && *x >= 0.0), "{g:?}");
        assert!(g.probability_alive <= 1.0);
    }

    let one_stay = guest(n);
    assert_eq!((one_stay.frequency, one_stay.probability_alive), (0, 1.0));
    assert_eq!(
        one_stay.expected_spend,
        v.spend.model.population_mean(),
        "no repeat spend: the population mean"
    );

    let complimentary = guest(n + 1);
    assert_eq!((complimentary.frequency, complimentary.monetary_value), (2, 0.0));
    assert!(
        complimentary.expected_spend < v.spend.model.population_mean(),
        "zero spend pulls the estimate down"
    );

    let today = guest(n + 2);
    assert_eq!((today.frequency, today.age), (0, 0.0));
    assert!(
        today.expected_purchases > one_stay.expected_purchases,
        "a brand-new guest is more likely to return than one from January"
    );

    let repeat_today = guest(n + 3);
    assert_eq!(repeat_today.recency, repeat_today.age);
    assert_eq!(repeat_today.churn_risk, ChurnRisk::Low);
}

#[test]
fn a_log_of_single_stays_is_refused_with_a_reason() {
    let log: Vec<Transaction> = (0..100)
        .map(|c| Transaction {
            customer: c,
            date: date("1997-01-01") + chrono::Days::new(u64::from(c)),
            amount: 10_000,
        })
        .collect();
    let histories = summarize(&log, 100, window());
    let err = value_customers(&histories.customers, &window(), &ValueSettings::new(Period::Week)).unwrap_err();
    assert_eq!(err, FitError::NoRepeatPurchases);
    assert!(err.to_string().contains("repeat purchase"));
}

#[test]
fn without_a_holdout_there_is_no_holdout_check() {
    let n = 3_000;
    let w = Window {
        calibration_end: date("1998-06-30"),
        observation_end: date("1998-06-30"),
    };
    let log = cdnow_like(n, 13);
    let histories = summarize(&log, n as usize, w);
    let v = value_customers(&histories.customers, &w, &ValueSettings::new(Period::Day)).unwrap();
    assert!(v.holdout.is_none());
    assert!(v.purchases.model.alpha > 7.0 * 2.0, "alpha is in days: {:?}", v.purchases.model);
}
