//! A bar chart laid out on the server as SVG geometry; the template draws it (and escapes
//! its labels). No script and no CDN: it prints and works offline.

/// One bar with its label under it and its value on hover.
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub label: String,
    pub show_label: bool,
    pub value: String,
}

pub struct Tick {
    pub y: f64,
    pub label: String,
}

pub struct BarChart {
    pub title: String,
    pub width: f64,
    pub height: f64,
    /// Where the plot area starts (room for the axis labels).
    pub left: f64,
    pub baseline: f64,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
}

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 64.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 24.0;

impl BarChart {
    /// `points` are (label, value, value as text); `axis` formats a tick value.
    pub fn new(title: String, points: &[(String, f64, String)], axis: impl Fn(f64) -> String) -> Self {
        let max = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
        let top = nice_ceiling(max);
        let plot_h = HEIGHT - TOP - BOTTOM;
        let baseline = HEIGHT - BOTTOM;
        let slot = (WIDTH - LEFT) / points.len().max(1) as f64;
        // Every label would collide at 24 bars; show about eight.
        let every = (points.len() / 8).max(1);
        let bars = points
            .iter()
            .enumerate()
            .map(|(i, (label, value, text))| {
                let h = if top > 0.0 { value.max(0.0) / top * plot_h } else { 0.0 };
                Bar {
                    x: LEFT + i as f64 * slot + slot * 0.15,
                    y: baseline - h,
                    width: slot * 0.7,
                    height: h,
                    label: label.clone(),
                    show_label: i % every == 0,
                    value: text.clone(),
                }
            })
            .collect();
        let ticks = (0..=4)
            .map(|i| {
                let v = top * f64::from(i) / 4.0;
                Tick {
                    y: baseline - v / top.max(f64::MIN_POSITIVE) * plot_h,
                    label: axis(v),
                }
            })
            .collect();
        Self {
            title,
            width: WIDTH,
            height: HEIGHT,
            left: LEFT,
            baseline,
            bars,
            ticks,
        }
    }
}

/// A Lorenz curve: share of guests (poorest first) against their share of revenue, with the
/// line of perfect equality and a mark where the top `k`% begin.
pub struct LorenzChart {
    pub title: String,
    pub size: f64,
    pub margin: f64,
    /// SVG polyline points of the curve.
    pub curve: String,
    pub ticks: Vec<(f64, String)>,
    /// Where the top k% start on the curve, and the label there.
    pub mark: (f64, f64),
    pub mark_label: String,
}

const SQUARE: f64 = 320.0;
const MARGIN: f64 = 40.0;

impl LorenzChart {
    /// `curve` is (population share, revenue share) from (0, 0) to (1, 1).
    pub fn new(title: String, curve: &[(f64, f64)], top_k: u32, mark_label: String) -> Self {
        let plot = SQUARE - 2.0 * MARGIN;
        let x = |p: f64| MARGIN + p * plot;
        let y = |r: f64| SQUARE - MARGIN - r * plot;
        let points = curve
            .iter()
            .map(|(p, r)| format!("{:.1},{:.1}", x(*p), y(*r)))
            .collect::<Vec<_>>()
            .join(" ");
        let at = 1.0 - f64::from(top_k.min(100)) / 100.0;
        let revenue_at = curve
            .iter()
            .min_by(|a, b| (a.0 - at).abs().total_cmp(&(b.0 - at).abs()))
            .map_or(at, |p| p.1);
        Self {
            title,
            size: SQUARE,
            margin: MARGIN,
            curve: points,
            ticks: [0.0, 0.25, 0.5, 0.75, 1.0]
                .iter()
                .map(|v| (*v * plot, format!("{:.0}%", v * 100.0)))
                .collect(),
            mark: (x(at), y(revenue_at)),
            mark_label,
        }
    }
}

/// The next "round" number at or above `v` (1, 2, 2.5, 5 × 10ⁿ), for the axis top.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_top_is_round_and_bars_scale_to_it() {
        assert_eq!(nice_ceiling(730.0), 1000.0);
        assert_eq!(nice_ceiling(2100.0), 2500.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        let pts = vec![
            ("a".to_string(), 50.0, "50".to_string()),
            ("b".to_string(), 100.0, "100".to_string()),
        ];
        let c = BarChart::new("t".into(), &pts, |v| format!("{v}"));
        assert!((c.bars[1].height - 2.0 * c.bars[0].height).abs() < 1e-9);
        assert!(
            (c.bars[1].y + c.bars[1].height - c.baseline).abs() < 1e-9,
            "bars stand on the baseline"
        );
        assert_eq!(c.ticks.last().unwrap().label, "100");
    }

    #[test]
    fn the_lorenz_mark_sits_on_the_curve_where_the_top_k_percent_begin() {
        let curve = vec![(0.0, 0.0), (0.8, 0.2), (1.0, 1.0)];
        let c = LorenzChart::new("t".into(), &curve, 20, "top 20%".into());
        let plot = SQUARE - 2.0 * MARGIN;
        assert!((c.mark.0 - (MARGIN + 0.8 * plot)).abs() < 1e-9);
        assert!((c.mark.1 - (SQUARE - MARGIN - 0.2 * plot)).abs() < 1e-9);
        assert!(c.curve.starts_with(&format!("{:.1},{:.1}", MARGIN, SQUARE - MARGIN)));
    }
}
