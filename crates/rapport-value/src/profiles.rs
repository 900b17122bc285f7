//! Segment profiles: what the guests of each value tier and RFM segment are like — how long
//! they stay, what they pay a night, how far ahead and through which channel they book, what
//! they spend on besides the room, which rooms they take, when they come and whether they
//! come back. The answer to "what are our best guests like", side by side with the rest.

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::facts::{StayFact, SPEND_CATEGORIES};
use crate::rfm::RfmSegment;
use crate::tiers::ValueTier;

/// A group of guests a profile describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum SegmentKey {
    Tier(ValueTier),
    Rfm(RfmSegment),
}

/// One label's share of a segment's stays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub label: String,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentProfile {
    pub segment: SegmentKey,
    pub guests: usize,
    pub stays: usize,
    pub revenue_share: f64,
    pub average_nights: f64,
    /// Room revenue per room night, minor units of the scope's currency.
    pub average_daily_rate: f64,
    /// Over the stays whose booking date is known.
    pub average_lead_days: Option<f64>,
    /// The most frequent labels first (at most [`TOP_LABELS`]); "" is "not recorded".
    pub channels: Vec<Share>,
    pub markets: Vec<Share>,
    pub room_types: Vec<Share>,
    /// Share of revenue per spend category, in the order of [`SPEND_CATEGORIES`].
    pub spend_mix: [f64; SPEND_CATEGORIES],
    /// Share of stays that came with special requests.
    pub special_request_rate: f64,
    /// Share of stays arriving in each month, January first.
    pub seasonality: [f64; 12],
    /// Share of the segment's guests with more than one stay.
    pub returning_rate: f64,
}

/// How many labels each mix keeps.
pub const TOP_LABELS: usize = 6;

/// A stay as a profile sees it: the fact, its guest's dense index and the factor that turns
/// the hotel's currency into the scope's.
#[derive(Debug, Clone, Copy)]
pub struct ScopedStay<'a> {
    pub fact: &'a StayFact,
    pub guest: u32,
    pub factor: f64,
}

#[derive(Default)]
struct Tally {
    guests: usize,
    returning: usize,
    stays: usize,
    nights: u64,
    room_revenue: f64,
    lead_days: u64,
    lead_known: usize,
    special: usize,
    spend: [f64; SPEND_CATEGORIES],
    months: [usize; 12],
    /// Stays per label index.
    channels: Vec<usize>,
    markets: Vec<usize>,
    room_types: Vec<usize>,
}

fn add_one(counts: &mut Vec<usize>, label: u32) {
    let i = label as usize;
    if i >= counts.len() {
        counts.resize(i + 1, 0);
    }
    counts[i] += 1;
}

/// The segments in [`SegmentKey`]'s order: the tiers, then the RFM segments. Tallies are kept
/// in an array in this order: the loop below runs twice per stay, ten million stays, and a
/// map lookup per label per stay cost more than the rest of the profile.
const SEGMENTS: usize = ValueTier::ALL.len() + RfmSegment::ALL.len();

fn segment_at(i: usize) -> SegmentKey {
    match ValueTier::ALL.get(i) {
        Some(&tier) => SegmentKey::Tier(tier),
        None => SegmentKey::Rfm(RfmSegment::ALL[i - ValueTier::ALL.len()]),
    }
}

/// Profiles of each tier and each RFM segment present among `guests` (per dense index: tier,
/// RFM segment, stays in the scope), in tier order then segment order.
pub fn segment_profiles(stays: &[ScopedStay], guests: &[(ValueTier, RfmSegment, u32)], labels: &[String]) -> Vec<SegmentProfile> {
    let mut tallies: [Tally; SEGMENTS] = std::array::from_fn(|_| Tally::default());
    // Both enums list their variants in declaration order in `ALL`.
    let slots = |tier: ValueTier, rfm: RfmSegment| [tier as usize, ValueTier::ALL.len() + rfm as usize];
    for &(tier, rfm, count) in guests {
        for i in slots(tier, rfm) {
            let t = &mut tallies[i];
            t.guests += 1;
            t.returning += usize::from(count > 1);
        }
    }
    for s in stays {
        let (tier, rfm, _) = guests[s.guest as usize];
        for i in slots(tier, rfm) {
            let t = &mut tallies[i];
            let f = s.fact;
            t.stays += 1;
            t.nights += u64::from(f.nights);
            t.room_revenue += f.spend[0] as f64 * s.factor;
            if let Some(d) = f.lead_days {
                t.lead_days += u64::from(d);
                t.lead_known += 1;
            }
            t.special += usize::from(f.special_requests);
            for (acc, amount) in t.spend.iter_mut().zip(f.spend) {
                *acc += amount as f64 * s.factor;
            }
            t.months[f.arrival.month0() as usize] += 1;
            add_one(&mut t.channels, f.channel);
            add_one(&mut t.markets, f.market);
            add_one(&mut t.room_types, f.room_type);
        }
    }
    // Only the segments some guest is in.
    let present: Vec<(SegmentKey, Tally)> = tallies
        .into_iter()
        .enumerate()
        .filter(|(_, t)| t.guests > 0)
        .map(|(i, t)| (segment_at(i), t))
        .collect();
    // Both the tier and the RFM profiles add up to all revenue; count it once.
    let total: f64 = present
        .iter()
        .filter(|(k, _)| matches!(k, SegmentKey::Tier(_)))
        .map(|(_, t)| t.spend.iter().map(|x| x.max(0.0)).sum::<f64>())
        .sum();
    present
        .into_iter()
        .map(|(segment, t)| {
            let revenue: f64 = t.spend.iter().sum();
            let stays = t.stays.max(1) as f64;
            SegmentProfile {
                segment,
                guests: t.guests,
                stays: t.stays,
                revenue_share: ratio(revenue.max(0.0), total),
                average_nights: t.nights as f64 / stays,
                average_daily_rate: ratio(t.room_revenue, t.nights as f64),
                average_lead_days: (t.lead_known > 0).then(|| t.lead_days as f64 / t.lead_known as f64),
                channels: top(&t.channels, t.stays, labels),
                markets: top(&t.markets, t.stays, labels),
                room_types: top(&t.room_types, t.stays, labels),
                spend_mix: t.spend.map(|x| ratio(x, revenue)),
                special_request_rate: t.special as f64 / stays,
                seasonality: t.months.map(|m| m as f64 / stays),
                returning_rate: ratio(t.returning as f64, t.guests as f64),
            }
        })
        .collect()
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

fn top(counts: &[usize], stays: usize, labels: &[String]) -> Vec<Share> {
    let mut v: Vec<(usize, usize)> = counts.iter().copied().enumerate().filter(|&(_, n)| n > 0).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.into_iter()
        .take(TOP_LABELS)
        .map(|(label, count)| Share {
            label: labels.get(label).cloned().unwrap_or_default(),
            share: ratio(count as f64, stays as f64),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn stay(guest: i64, month: u32, nights: u16, room: i64, spa: i64, channel: u32) -> StayFact {
        let mut f = StayFact::simple(guest, 1, NaiveDate::from_ymd_opt(2026, month, 3).unwrap(), room);
        f.nights = nights;
        f.spend[2] = spa;
        f.channel = channel;
        f.lead_days = Some(nights * 10);
        f
    }

    #[test]
    fn a_vip_profile_describes_the_vips_stays_and_not_the_others() {
        let labels = vec![String::new(), "Direct".to_string(), "OTA".to_string()];
        let facts = [
            stay(1, 7, 4, 80_000, 20_000, 1), // the VIP: two long summer stays, direct, spa
            stay(1, 8, 2, 40_000, 0, 1),
            stay(2, 1, 1, 8_000, 0, 2), // a small guest: one night through an OTA
        ];
        let scoped: Vec<ScopedStay> = facts
            .iter()
            .map(|f| ScopedStay {
                fact: f,
                guest: (f.guest - 1) as u32,
                factor: 1.0,
            })
            .collect();
        let guests = [
            (ValueTier::Vip, RfmSegment::Champions, 2),
            (ValueTier::Small, RfmSegment::NewOrPromising, 1),
        ];
        let p = segment_profiles(&scoped, &guests, &labels);
        let vip = p.iter().find(|p| p.segment == SegmentKey::Tier(ValueTier::Vip)).unwrap();
        assert_eq!((vip.guests, vip.stays), (1, 2));
        assert!((vip.revenue_share - 1400.0 / 1480.0).abs() < 1e-9);
        assert_eq!(vip.average_nights, 3.0);
        assert_eq!(vip.average_daily_rate, 20_000.0, "1,200 room revenue over 6 nights");
        assert_eq!(vip.average_lead_days, Some(30.0));
        assert_eq!(
            vip.channels,
            vec![Share {
                label: "Direct".into(),
                share: 1.0
            }]
        );
        assert!((vip.spend_mix[2] - 200.0 / 1400.0).abs() < 1e-9, "spa share");
        assert_eq!((vip.seasonality[6], vip.seasonality[7], vip.seasonality[0]), (0.5, 0.5, 0.0));
        assert_eq!(vip.returning_rate, 1.0);
        let small = p.iter().find(|p| p.segment == SegmentKey::Tier(ValueTier::Small)).unwrap();
        assert_eq!(small.returning_rate, 0.0);
        assert_eq!(small.channels[0].label, "OTA");
        let champions = p.iter().find(|p| p.segment == SegmentKey::Rfm(RfmSegment::Champions)).unwrap();
        assert_eq!(champions.stays, 2, "RFM profiles are over the same stays");
        let shares: f64 = p
            .iter()
            .filter(|p| matches!(p.segment, SegmentKey::Tier(_)))
            .map(|p| p.revenue_share)
            .sum();
        assert!((shares - 1.0).abs() < 1e-9);
    }
}
