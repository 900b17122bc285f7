//! Rapport's guest value models, pure and without I/O: from a transaction log to each guest's
//! probability of still being an active guest, expected stays and spend, discounted lifetime
//! value and churn-risk band.
//!
//! - [`history`]: the log summarised per customer (repeat purchase days, recency, age, spend),
//!   split into calibration and holdout.
//! - [`bgnbd`]: the BG/NBD purchase model (Fader, Hardie & Lee 2005), fitted by maximum
//!   likelihood.
//! - [`gamma_gamma`]: the Gamma-Gamma spend model (Fader & Hardie 2013).
//! - [`lifetime_value`]: discounted lifetime value and churn-risk bands.
//! - [`valuation`]: all of it for a whole log, with the holdout check of the fit.
//! - [`concentration`]: the 80/20 view: top-k% revenue share, Lorenz curve, Gini coefficient.
//! - [`tiers`]: VIP / major / ordinary / small by cumulative revenue share.
//! - [`rfm`]: recency, frequency and monetary quintile scores and named segments.

pub mod analysis;
pub mod benefits;
pub mod bgnbd;
pub mod cohorts;
pub mod concentration;
pub mod error;
pub mod facts;
pub mod gamma_gamma;
pub mod history;
pub mod holdout;
pub mod hypergeometric;
pub mod lifetime_value;
pub mod optimize;
pub mod patterns;
pub mod profiles;
pub mod rfm;
pub mod segments;
pub mod simulate;
pub mod special;
pub mod tiers;
pub mod valuation;

pub use bgnbd::{BgNbd, BgNbdFit};
pub use error::FitError;
pub use gamma_gamma::{GammaGamma, GammaGammaFit, SpendHistory};
pub use history::{summarize, CustomerHistory, Histories, Period, Transaction, Window};
pub use holdout::HoldoutCheck;
pub use lifetime_value::{ChurnBands, ChurnRisk, ValueHorizon};
pub use rfm::{rfm_scores, RfmInput, RfmScore, RfmSegment};
pub use tiers::{value_tiers, TierThresholds, ValueTier};
pub use valuation::{value_customers, GuestValue, Valuation, ValueSettings};
