//! The dashboard: guests, stays, revenue and returning-guest rate per hotel and for the
//! group, and revenue by month per hotel. Each hotel's revenue stays in its own currency:
//! adding yuan to euros would need exchange rates the group has not given us.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Html;
use chrono::{Datelike, Months, Utc};
use rapport_domain::access::{Action, Scope};
use rapport_domain::money::Currency;

use super::{hotels_in_scope, Layout};
use crate::chart::BarChart;
use crate::error::{render, PageError, PageResult};
use crate::i18n::Tr;
use crate::session::Staff;
use crate::ConsoleState;

/// Months of revenue in each chart.
const CHART_MONTHS: u32 = 24;

pub struct Row {
    pub name: String,
    pub code: String,
    pub guests: String,
    pub stays: String,
    pub returning: String,
    pub revenue: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    t: Tr,
    layout: Layout,
    rows: Vec<Row>,
    group: Option<Row>,
    charts: Vec<BarChart>,
    as_of: String,
}

pub async fn show(State(state): State<ConsoleState>, staff: Staff, uri: Uri) -> Result<Html<String>, PageError> {
    staff.require(Action::ReadStays)?;
    let t = staff.tr;
    let hotels = hotels_in_scope(&state, &staff).await?;
    let (figures, at) = state.figures.get(&state.app.store).await.page(t)?;

    let mut revenue: BTreeMap<i64, BTreeMap<String, i64>> = BTreeMap::new();
    let mut totals: BTreeMap<(i64, String), i64> = BTreeMap::new();
    for r in &figures.revenue {
        *revenue.entry(r.hotel_id).or_default().entry(r.month.clone()).or_default() += r.minor;
        *totals.entry((r.hotel_id, r.currency.clone())).or_default() += r.minor;
    }
    let money = |hotel: i64| -> String {
        totals
            .iter()
            .filter(|((h, _), _)| *h == hotel)
            .filter_map(|((_, code), minor)| Currency::parse(code).ok().map(|c| t.money_whole(*minor, &c)))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let rows = hotels
        .iter()
        .map(|h| {
            let v = figures
                .hotels
                .iter()
                .find(|(id, _)| *id == h.id)
                .map(|(_, v)| *v)
                .unwrap_or_default();
            Row {
                name: h.name.clone(),
                code: h.code.clone(),
                guests: t.number(v.guests),
                stays: t.number(v.stays),
                returning: t.percent(v.returning_rate()),
                revenue: money(h.id),
            }
        })
        .collect();
    // The group line counts a guest seen at two hotels once, so only whole-group users see it.
    let group = matches!(staff.principal().scope, Scope::Group).then(|| {
        let mut by_currency: BTreeMap<&str, i64> = BTreeMap::new();
        for ((_, code), minor) in &totals {
            *by_currency.entry(code).or_default() += minor;
        }
        Row {
            name: t.t("dashboard-group"),
            code: String::new(),
            guests: t.number(figures.group.guests),
            stays: t.number(figures.group.stays),
            returning: t.percent(figures.group.returning_rate()),
            revenue: by_currency
                .iter()
                .filter_map(|(code, minor)| Currency::parse(code).ok().map(|c| t.money_whole(*minor, &c)))
                .collect::<Vec<_>>()
                .join(" + "),
        }
    });

    let this_month = Utc::now().date_naive().with_day(1).expect("first of month");
    let months: Vec<String> = (0..CHART_MONTHS)
        .rev()
        .map(|back| (this_month - Months::new(back)).format("%Y-%m").to_string())
        .collect();
    let charts = hotels
        .iter()
        .map(|h| {
            let per_month = revenue.get(&h.id);
            let unit = 10f64.powi(h.currency.exponent() as i32);
            let points: Vec<(String, f64, String)> = months
                .iter()
                .map(|m| {
                    let minor = per_month.and_then(|p| p.get(m)).copied().unwrap_or(0);
                    (
                        t.month(m),
                        minor as f64 / unit,
                        format!("{}: {}", t.month(m), t.money_whole(minor, &h.currency)),
                    )
                })
                .collect();
            let currency = h.currency;
            BarChart::new(t.t1("dashboard-chart-title", "hotel", &h.name), &points, move |v| {
                t.money_whole((v * unit).round() as i64, &currency)
            })
        })
        .collect();
    let page = DashboardPage {
        t,
        layout: Layout::new(&staff, &uri, "dashboard"),
        rows,
        group,
        charts,
        as_of: t.t1("dashboard-as-of", "when", t.datetime(&at, chrono_tz::UTC)),
    };
    render(t, &page)
}
