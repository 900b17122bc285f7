//! Who books how: market segments, booking channels, length of stay and lead time.

use rand::Rng;

use crate::random::{lognormal, weighted, DemoRng};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    Leisure,
    Business,
    Group,
    Mice,
}

impl Segment {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Leisure => "leisure",
            Self::Business => "business",
            Self::Group => "group",
            Self::Mice => "mice",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Direct,
    Ota,
    Gds,
    Corporate,
    WalkIn,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Ota => "ota",
            Self::Gds => "gds",
            Self::Corporate => "corporate",
            Self::WalkIn => "walk_in",
        }
    }
}

pub fn segment(rng: &mut DemoRng, business: bool) -> Segment {
    let mix: &[(Segment, f64)] = if business {
        &[
            (Segment::Business, 0.70),
            (Segment::Leisure, 0.15),
            (Segment::Mice, 0.10),
            (Segment::Group, 0.05),
        ]
    } else {
        &[
            (Segment::Leisure, 0.82),
            (Segment::Group, 0.07),
            (Segment::Business, 0.07),
            (Segment::Mice, 0.04),
        ]
    };
    *weighted(rng, mix)
}

pub fn channel(rng: &mut DemoRng, segment: Segment) -> Channel {
    use Channel::*;
    let mix: &[(Channel, f64)] = match segment {
        Segment::Business => &[(Corporate, 0.35), (Gds, 0.25), (Direct, 0.25), (Ota, 0.12), (WalkIn, 0.03)],
        Segment::Leisure => &[(Ota, 0.45), (Direct, 0.45), (WalkIn, 0.05), (Gds, 0.02), (Corporate, 0.03)],
        Segment::Mice => &[(Direct, 0.6), (Corporate, 0.4)],
        Segment::Group => &[(Direct, 0.5), (Ota, 0.2), (Corporate, 0.3)],
    };
    *weighted(rng, mix)
}

pub fn nights(rng: &mut DemoRng, segment: Segment) -> u64 {
    match segment {
        Segment::Business => lognormal(rng, 1.8, 0.5).round().clamp(1.0, 10.0) as u64,
        Segment::Leisure => lognormal(rng, 3.2, 0.5).round().clamp(1.0, 21.0) as u64,
        Segment::Mice => rng.gen_range(2..=4),
        Segment::Group => rng.gen_range(2..=5),
    }
}

pub fn lead_days(rng: &mut DemoRng, segment: Segment, channel: Channel) -> u64 {
    if channel == Channel::WalkIn {
        return 0;
    }
    let (median, sigma) = match segment {
        Segment::Business => (7.0, 0.9),
        Segment::Leisure => (30.0, 0.9),
        Segment::Mice => (60.0, 0.5),
        Segment::Group => (80.0, 0.5),
    };
    lognormal(rng, median, sigma).floor().clamp(0.0, 365.0) as u64
}
