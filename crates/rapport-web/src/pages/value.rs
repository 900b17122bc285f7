//! Guest value: who the best guests are, what they are like and who we are about to lose,
//! per hotel and for the group, from the latest `rapport analyze` run — the 80/20 view with
//! its Lorenz curve, the tiers, RFM segments, segment profiles, cohort retention and the
//! valuable guests at risk.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Html;
use rapport_domain::access::{Action, Scope as Access};
use rapport_domain::hotel::Hotel;
use rapport_domain::money::Currency;
use rapport_domain::stay::SpendCategory;
use rapport_store::StoredReport;
use rapport_value::analysis::{ParetoView, Scope};
use rapport_value::profiles::{SegmentKey, SegmentProfile, Share};
use serde::Deserialize;

use super::{hotels_in_scope, Layout};
use crate::chart::LorenzChart;
use crate::error::{render, PageError, PageResult};
use crate::i18n::Tr;
use crate::session::Staff;
use crate::ConsoleState;

/// How many at-risk guests the page lists (the report keeps more for the API).
const AT_RISK_SHOWN: usize = 25;

#[derive(Deserialize, Default)]
pub struct ValueQuery {
    /// `group` or a hotel code.
    scope: Option<String>,
    /// `all` or a window in days.
    window: Option<String>,
    /// The top k% whose revenue share is shown.
    k: Option<u32>,
}

pub struct Choice {
    pub label: String,
    pub href: String,
    pub active: bool,
}

pub struct TierView {
    pub key: &'static str,
    pub name: String,
    pub guests: String,
    pub guest_share: String,
    pub revenue_share: String,
    /// Percent, for the bar.
    pub bar: f64,
}

pub struct SegmentView {
    pub name: String,
    pub guests: String,
    pub share: String,
}

pub struct ProfileView {
    pub name: String,
    pub is_tier: bool,
    pub guests: String,
    pub revenue_share: String,
    pub nights: String,
    pub rate: String,
    pub lead: String,
    pub channel: String,
    pub market: String,
    pub room: String,
    pub extras: String,
    pub requests: String,
    pub peak: String,
    pub returning: String,
}

pub struct CohortView {
    pub label: String,
    pub guests: String,
    /// (text, heat class 0–10); the first column is always 100%.
    pub cells: Vec<(String, u8)>,
}

pub struct AtRiskView {
    pub id: i64,
    pub name: String,
    pub tier: String,
    pub segment: String,
    pub revenue: String,
    pub stays: String,
    pub last_stay: String,
    pub alive: String,
    pub lifetime: String,
}

pub struct ReportView {
    pub as_of: String,
    pub guests: String,
    pub stays: String,
    pub revenue: String,
    pub window_guests: String,
    pub top_k: String,
    pub top_20: String,
    pub gini: String,
    pub lorenz: LorenzChart,
    pub tiers: Vec<TierView>,
    pub segments: Vec<SegmentView>,
    pub profiles: Vec<ProfileView>,
    pub cohort_columns: Vec<String>,
    pub cohorts: Vec<CohortView>,
    pub at_risk: Vec<AtRiskView>,
    pub fit: Option<String>,
    pub holdout: Option<String>,
    pub model_note: Option<String>,
}

#[derive(Template)]
#[template(path = "value.html")]
struct ValuePage {
    t: Tr,
    layout: Layout,
    scopes: Vec<Choice>,
    windows: Vec<Choice>,
    scope: String,
    window: String,
    k: u32,
    report: Option<ReportView>,
}

pub async fn show(
    State(state): State<ConsoleState>,
    staff: Staff,
    uri: Uri,
    Query(q): Query<ValueQuery>,
) -> Result<Html<String>, PageError> {
    staff.require(Action::ReadAnalysis)?;
    let t = staff.tr;
    let hotels = hotels_in_scope(&state, &staff).await?;
    let whole_group = matches!(staff.principal().scope, Access::Group);
    // The group's figures include every hotel's guests: only whole-group users see them.
    let scope = match q.scope.as_deref() {
        Some("group") if whole_group => Scope::Group,
        Some(code) => match hotels.iter().find(|h| h.code.eq_ignore_ascii_case(code)) {
            Some(h) => Scope::Hotel(h.id),
            None => return Err(PageError::not_found(t)),
        },
        None if whole_group => Scope::Group,
        None => Scope::Hotel(hotels.first().ok_or_else(|| PageError::not_found(t))?.id),
    };
    let scope_param = match scope {
        Scope::Group => "group".to_string(),
        Scope::Hotel(id) => hotels.iter().find(|h| h.id == id).map(|h| h.code.clone()).unwrap_or_default(),
    };
    let k = q.k.unwrap_or(20).clamp(1, 100);
    let stored = state.app.store.value_reports().await.page(t)?;
    let report = stored.into_iter().find(|r| r.report.scope == scope);
    let window = q.window.unwrap_or_else(|| "all".into());
    let href = |scope: &str, window: &str| format!("/value?scope={scope}&window={window}&k={k}");

    let mut scopes = Vec::new();
    if whole_group {
        scopes.push(Choice {
            label: t.t("dashboard-group"),
            href: href("group", &window),
            active: scope == Scope::Group,
        });
    }
    scopes.extend(hotels.iter().map(|h| Choice {
        label: h.name.clone(),
        href: href(&h.code, &window),
        active: scope == Scope::Hotel(h.id),
    }));
    let windows = report
        .as_ref()
        .map(|r| {
            r.report
                .pareto
                .iter()
                .map(|p| {
                    let key = window_key(p);
                    Choice {
                        label: window_label(t, p),
                        href: href(&scope_param, &key),
                        active: key == window,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let report = match report {
        Some(r) => Some(report_view(&state, t, &r, &hotels, &window, k).await?),
        None => None,
    };
    let page = ValuePage {
        t,
        layout: Layout::new(&staff, &uri, "value"),
        scopes,
        windows,
        scope: scope_param,
        window,
        k,
        report,
    };
    render(t, &page)
}

fn window_key(p: &ParetoView) -> String {
    p.window_days.map_or_else(|| "all".to_string(), |d| d.to_string())
}

fn window_label(t: Tr, p: &ParetoView) -> String {
    match p.window_days {
        None => t.t("value-window-all"),
        Some(d) if d % 365 == 0 => t.count("value-window-years", i64::from(d / 365)),
        Some(d) => t.count("value-window-days", i64::from(d)),
    }
}

async fn report_view(
    state: &ConsoleState,
    t: Tr,
    stored: &StoredReport,
    hotels: &[Hotel],
    window: &str,
    k: u32,
) -> Result<ReportView, PageError> {
    let r = &stored.report;
    let currency = Currency::parse(&r.currency).map_err(|e| PageError::from_store(rapport_store::StoreError::Corrupt(e), t))?;
    let pareto = r.pareto.iter().find(|p| window_key(p) == window).unwrap_or(&r.pareto[0]);
    let curve: Vec<(f64, f64)> = pareto.lorenz.iter().map(|p| (p.population, p.revenue)).collect();
    let top_k = pareto.top_share(k);
    let mark = t.t1("value-top-k-mark", "k", k);
    let lorenz = LorenzChart::new(t.t("value-lorenz"), &curve, k, mark);
    let guests = r.guests.max(1) as f64;
    let tiers = r
        .tiers
        .iter()
        .map(|row| TierView {
            key: row.tier.as_str(),
            name: t.t(&format!("tier-{}", row.tier.as_str())),
            guests: t.number(row.guests as i64),
            guest_share: t.percent(row.guests as f64 / guests),
            revenue_share: t.percent(row.revenue_share),
            bar: (row.revenue_share * 100.0).clamp(0.0, 100.0),
        })
        .collect();
    let segments = r
        .rfm
        .iter()
        .map(|(s, n)| SegmentView {
            name: t.t(&format!("rfm-{}", s.as_str().replace('_', "-"))),
            guests: t.number(*n as i64),
            share: t.percent(*n as f64 / guests),
        })
        .collect();
    let profiles = r.profiles.iter().map(|p| profile_view(t, p, &currency)).collect();
    let longest = r.cohorts.iter().map(|c| c.retained.len()).max().unwrap_or(0);
    let cohorts = r
        .cohorts
        .iter()
        .map(|c| CohortView {
            label: t.t1("value-quarter", "quarter", c.first_stay),
            guests: t.number(c.guests as i64),
            cells: c
                .retained
                .iter()
                .map(|share| (t.percent(*share), (share * 10.0).round().clamp(0.0, 10.0) as u8))
                .collect(),
        })
        .collect();
    let mut at_risk = Vec::new();
    for g in r.at_risk.iter().take(AT_RISK_SHOWN) {
        // A guest merged away or erased since the analysis is simply not listed.
        let Ok(guest) = state.app.store.guest(g.guest).await else {
            continue;
        };
        at_risk.push(AtRiskView {
            id: g.guest,
            name: guest.profile.name.display(),
            tier: t.t(&format!("tier-{}", g.tier.as_str())),
            segment: t.t(&format!("rfm-{}", g.segment.as_str().replace('_', "-"))),
            revenue: t.money_whole(g.revenue, &currency),
            stays: t.number(i64::from(g.stays)),
            last_stay: t.date(&g.last_stay),
            alive: g.probability_alive.map(|p| t.percent(p)).unwrap_or_default(),
            lifetime: g
                .lifetime_value
                .map(|v| t.money_whole(v.round() as i64, &currency))
                .unwrap_or_default(),
        });
    }
    let names: HashMap<i64, &str> = hotels.iter().map(|h| (h.id, h.name.as_str())).collect();
    let model_note = match (&r.model_note, r.left_out.is_empty()) {
        (Some(note), _) => Some(t.t1("value-no-model", "reason", note)),
        (None, false) => Some(
            t.t1(
                "value-left-out",
                "hotels",
                r.left_out
                    .iter()
                    .map(|id| names.get(id).copied().unwrap_or("?"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ),
        (None, true) => None,
    };
    Ok(ReportView {
        as_of: t.t1("value-as-of", "when", t.date(&stored.as_of)),
        guests: t.number(r.guests as i64),
        stays: t.number(r.stays as i64),
        revenue: t.money_whole(r.revenue, &currency),
        window_guests: t.number(pareto.guests as i64),
        top_k: t.percent(top_k),
        top_20: t.percent(pareto.top_20_share),
        gini: format!("{:.3}", pareto.gini),
        lorenz,
        tiers,
        segments,
        profiles,
        cohort_columns: (0..longest).map(|q| q.to_string()).collect(),
        cohorts,
        at_risk,
        fit: r.purchases.as_ref().map(|p| {
            format!(
                "BG/NBD r = {:.3}, α = {:.3}, a = {:.3}, b = {:.3}{}",
                p.model.r,
                p.model.alpha,
                p.model.a,
                p.model.b,
                r.spend
                    .as_ref()
                    .map(|s| format!("; Gamma-Gamma p = {:.2}, q = {:.2}, γ = {:.2}", s.model.p, s.model.q, s.model.gamma))
                    .unwrap_or_default()
            )
        }),
        holdout: r.holdout.as_ref().map(|h| {
            t.numbers(
                "value-holdout",
                &[
                    ("predicted", h.predicted_repeat_purchases.round() as i64),
                    ("actual", h.actual_repeat_purchases as i64),
                    ("weeks", h.periods.round() as i64),
                ],
            )
        }),
        model_note,
    })
}

fn profile_view(t: Tr, p: &SegmentProfile, currency: &Currency) -> ProfileView {
    let (name, is_tier) = match p.segment {
        SegmentKey::Tier(tier) => (t.t(&format!("tier-{}", tier.as_str())), true),
        SegmentKey::Rfm(s) => (t.t(&format!("rfm-{}", s.as_str().replace('_', "-"))), false),
    };
    let first = |shares: &[Share]| {
        shares
            .first()
            .map(|s| {
                let label = if s.label.is_empty() {
                    t.t("value-not-recorded")
                } else {
                    s.label.clone()
                };
                format!("{label} {}", t.percent(s.share))
            })
            .unwrap_or_default()
    };
    // Everything but the room: how much of their money goes to the rest of the hotel.
    let extras: f64 = p.spend_mix.iter().skip(1).sum();
    let peak = p
        .seasonality
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(m, share)| format!("{} {}", t.month_name(m as u32 + 1), t.percent(*share)))
        .unwrap_or_default();
    let top_extra = SpendCategory::ALL
        .iter()
        .zip(p.spend_mix)
        .skip(1)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|(_, share)| *share > 0.0)
        .map(|(c, _)| format!(" ({})", t.t(&format!("spend-{}", c.as_str().replace('_', "-")))))
        .unwrap_or_default();
    ProfileView {
        name,
        is_tier,
        guests: t.number(p.guests as i64),
        revenue_share: t.percent(p.revenue_share),
        nights: format!("{:.1}", p.average_nights),
        rate: t.money_whole(p.average_daily_rate.round() as i64, currency),
        lead: p.average_lead_days.map(|d| format!("{d:.0}")).unwrap_or_default(),
        channel: first(&p.channels),
        market: first(&p.markets),
        room: first(&p.room_types),
        extras: format!("{}{top_extra}", t.percent(extras)),
        requests: t.percent(p.special_request_rate),
        peak,
        returning: t.percent(p.returning_rate),
    }
}
