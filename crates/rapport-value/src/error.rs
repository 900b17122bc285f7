use thiserror::Error;

use crate::hypergeometric::SeriesError;
use crate::optimize::MinimizeError;

/// Why a model could not be fitted or evaluated on the given histories.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FitError {
    #[error("no customer has a purchase on or before the calibration end")]
    NoCustomers,
    #[error("no customer made a repeat purchase in the calibration period, so the purchase model has nothing to learn repeat rates from")]
    NoRepeatPurchases,
    #[error("the spend model needs at least {needed} customers with repeat purchases and non-zero spend; found {found}")]
    TooFewSpenders { needed: usize, found: usize },
    #[error("the {model} fit did not converge: {source}")]
    DidNotConverge {
        model: &'static str,
        #[source]
        source: MinimizeError,
    },
    #[error("the {model} likelihood has no interior maximum on these data ({detail})")]
    Degenerate { model: &'static str, detail: String },
    #[error(
        "the spend model's q = {q:.4} is at most 1, so mean spend per purchase is infinite; spend is too heavy-tailed for Gamma-Gamma"
    )]
    SpendTooDispersed { q: f64 },
    #[error(transparent)]
    Series(#[from] SeriesError),
}
