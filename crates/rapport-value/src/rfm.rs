//! RFM: recency, frequency and monetary value scored 1–5 by quintile within the guest base,
//! and the named segments a CRM manager acts on.

use serde::{Deserialize, Serialize};

/// What RFM needs of a guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RfmInput {
    /// Days since the last stay (smaller is better).
    pub days_since_last: u32,
    pub stays: u32,
    /// Total spend in minor units.
    pub spend: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RfmScore {
    pub recency: u8,
    pub frequency: u8,
    pub monetary: u8,
    pub segment: RfmSegment,
}

/// Segments on the recency score and the mean of the frequency and monetary scores (FM),
/// checked in this order:
///
/// | segment | R | FM |
/// |---|---|---|
/// | champions | 4–5 | ≥ 4 |
/// | loyal | ≥ 3 | ≥ 3 |
/// | cannot lose | 1 | ≥ 4.5 |
/// | at risk | 1–2 | ≥ 3 |
/// | new or promising | 4–5 | < 3 |
/// | needs attention | 3 | < 3 |
/// | lapsed | 1–2 | < 3 |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RfmSegment {
    Champions,
    Loyal,
    CannotLose,
    AtRisk,
    NewOrPromising,
    NeedsAttention,
    Lapsed,
}

impl RfmSegment {
    pub const ALL: [RfmSegment; 7] = [
        Self::Champions,
        Self::Loyal,
        Self::CannotLose,
        Self::AtRisk,
        Self::NewOrPromising,
        Self::NeedsAttention,
        Self::Lapsed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Champions => "champions",
            Self::Loyal => "loyal",
            Self::CannotLose => "cannot_lose",
            Self::AtRisk => "at_risk",
            Self::NewOrPromising => "new_or_promising",
            Self::NeedsAttention => "needs_attention",
            Self::Lapsed => "lapsed",
        }
    }

    pub fn of(recency: u8, frequency: u8, monetary: u8) -> RfmSegment {
        let fm = f64::from(frequency + monetary) / 2.0;
        match recency {
            4.. if fm >= 4.0 => RfmSegment::Champions,
            3.. if fm >= 3.0 => RfmSegment::Loyal,
            1 if fm >= 4.5 => RfmSegment::CannotLose,
            _ if recency <= 2 && fm >= 3.0 => RfmSegment::AtRisk,
            4.. => RfmSegment::NewOrPromising,
            3 => RfmSegment::NeedsAttention,
            _ => RfmSegment::Lapsed,
        }
    }
}

/// Scores every guest. A score is 1 + the quintile of the guest's rank: the share of guests who
/// do strictly worse, times 5. Guests with equal values get equal scores, so a base where most
/// guests stayed once puts them all in the same frequency score.
pub fn rfm_scores(guests: &[RfmInput]) -> Vec<RfmScore> {
    // Smaller days since last stay is better: negate so that "greater is better" for all three.
    let recency = quintiles(&guests.iter().map(|g| -i64::from(g.days_since_last)).collect::<Vec<_>>());
    let frequency = quintiles(&guests.iter().map(|g| i64::from(g.stays)).collect::<Vec<_>>());
    let monetary = quintiles(&guests.iter().map(|g| g.spend).collect::<Vec<_>>());
    (0..guests.len())
        .map(|i| RfmScore {
            recency: recency[i],
            frequency: frequency[i],
            monetary: monetary[i],
            segment: RfmSegment::of(recency[i], frequency[i], monetary[i]),
        })
        .collect()
}

/// 1 + ⌊5 · (guests with a strictly smaller value) / n⌋ for each value.
fn quintiles(values: &[i64]) -> Vec<u8> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = values.len();
    values
        .iter()
        .map(|v| {
            let below = sorted.partition_point(|x| x < v);
            1 + (5 * below / n) as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(days_since_last: u32, stays: u32, spend: i64) -> RfmInput {
        RfmInput {
            days_since_last,
            stays,
            spend,
        }
    }

    #[test]
    fn distinct_values_fall_into_fifths() {
        let guests: Vec<_> = (0..10).map(|i| g(100 - i * 10, i + 1, i64::from(i) * 1_000)).collect();
        let scores = rfm_scores(&guests);
        let f: Vec<u8> = scores.iter().map(|s| s.frequency).collect();
        assert_eq!(f, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        let r: Vec<u8> = scores.iter().map(|s| s.recency).collect();
        assert_eq!(r, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5], "the most recent guest scores 5");
        assert_eq!(scores[9].segment, RfmSegment::Champions);
        assert_eq!(scores[0].segment, RfmSegment::Lapsed);
    }

    #[test]
    fn equal_values_get_equal_scores() {
        // Seven of ten guests stayed once.
        let mut guests = vec![g(30, 1, 500); 7];
        guests.extend([g(30, 2, 500), g(30, 3, 500), g(30, 8, 500)]);
        let f: Vec<u8> = rfm_scores(&guests).iter().map(|s| s.frequency).collect();
        assert_eq!(f, [1, 1, 1, 1, 1, 1, 1, 4, 5, 5]);
    }

    #[test]
    fn segments_follow_the_table() {
        use RfmSegment::*;
        assert_eq!(RfmSegment::of(5, 5, 5), Champions);
        assert_eq!(RfmSegment::of(4, 4, 4), Champions);
        assert_eq!(RfmSegment::of(3, 5, 5), Loyal);
        assert_eq!(RfmSegment::of(5, 3, 3), Loyal);
        assert_eq!(RfmSegment::of(1, 5, 4), CannotLose);
        assert_eq!(RfmSegment::of(2, 5, 5), AtRisk);
        assert_eq!(RfmSegment::of(1, 3, 3), AtRisk);
        assert_eq!(RfmSegment::of(5, 1, 2), NewOrPromising);
        assert_eq!(RfmSegment::of(3, 2, 2), NeedsAttention);
        assert_eq!(RfmSegment::of(2, 2, 1), Lapsed);
    }
}
