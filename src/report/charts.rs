//! The report's pictures, drawn by `plotters` into SVG text that the HTML
//! page holds inline (nothing to fetch, nothing to install): per account
//! posts and comments per week, and the response times; for the city, the
//! same weeks summed over every account.

use chrono::{Datelike, NaiveDate};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::ReportError;
use super::format;

/// Width of a chart in the page, in CSS pixels.
const WIDTH: u32 = 640;
/// Height of a chart.
const HEIGHT: u32 = 240;
/// Posts: the city's dark blue.
const POSTS: RGBColor = RGBColor(0x00, 0x4b, 0x93);
/// Comments: a dark orange, told apart from the blue also in grey.
const COMMENTS: RGBColor = RGBColor(0xb5, 0x4a, 0x00);

/// One line of a chart.
#[derive(Debug, Clone)]
pub struct Series<'a> {
    /// What the legend calls it.
    pub name: &'a str,
    /// One value per week; `None` where there is nothing to show.
    pub values: Vec<Option<f64>>,
    /// Its colour.
    pub color: RGBColor,
}

impl<'a> Series<'a> {
    /// Counts per week, each week a value.
    pub fn counts(name: &'a str, counts: &[usize], color: RGBColor) -> Self {
        Self {
            name,
            values: counts.iter().map(|n| Some(*n as f64)).collect(),
            color,
        }
    }
}

/// Posts and comments per week.
pub fn posts_and_comments(
    weeks: &[NaiveDate],
    posts: &[usize],
    comments: &[usize],
) -> Result<String, ReportError> {
    weekly(
        weeks,
        "antal",
        &[
            Series::counts("inlägg", posts, POSTS),
            Series::counts("kommentarer", comments, COMMENTS),
        ],
    )
}

/// Median hours to a decision on a review and to an answered question,
/// per week.
pub fn response_times(
    weeks: &[NaiveDate],
    reviews: &[Option<f64>],
    questions: &[Option<f64>],
) -> Result<String, ReportError> {
    weekly(
        weeks,
        "timmar (median)",
        &[
            Series {
                name: "granskning till beslut",
                values: reviews.to_vec(),
                color: POSTS,
            },
            Series {
                name: "fråga till svar",
                values: questions.to_vec(),
                color: COMMENTS,
            },
        ],
    )
}

/// A line chart of `series` over `weeks`, the y axis described by `unit`.
pub fn weekly(
    weeks: &[NaiveDate],
    unit: &str,
    series: &[Series<'_>],
) -> Result<String, ReportError> {
    let mut svg = String::new();
    draw_weekly(&mut svg, weeks, unit, series).map_err(|e| ReportError::Chart(e.to_string()))?;
    Ok(svg)
}

fn draw_weekly(
    svg: &mut String,
    weeks: &[NaiveDate],
    unit: &str,
    series: &[Series<'_>],
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let top = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .fold(0.0, f64::max);
    let top = if top < 1.0 { 1.0 } else { top * 1.15 };
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(48)
        // A discrete range includes its end: one segment per week.
        .build_cartesian_2d((0..weeks.len().max(1) - 1).into_segmented(), 0.0..top)?;
    let label_every = weeks.len().div_ceil(13).max(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(weeks.len().max(1))
        .x_label_formatter(&|value| week_label(weeks, value, label_every))
        .y_labels(5)
        .y_label_formatter(&|value| format::decimal(*value).trim_end_matches(",0").to_string())
        .y_desc(unit)
        .label_style(("sans-serif", 15))
        .draw()?;
    for line in series {
        let style = line.color.stroke_width(2);
        let points: Vec<(SegmentValue<usize>, f64)> = line
            .values
            .iter()
            .enumerate()
            .filter_map(|(index, value)| value.map(|v| (SegmentValue::CenterOf(index), v)))
            .collect();
        let color = line.color;
        chart
            .draw_series(LineSeries::new(points, style).point_size(3))?
            .label(line.name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 15))
        .draw()?;
    root.present()?;
    Ok(())
}

/// `v. 5` under every `every`-th week.
fn week_label(weeks: &[NaiveDate], value: &SegmentValue<usize>, every: usize) -> String {
    match value {
        SegmentValue::CenterOf(index) | SegmentValue::Exact(index) if index % every == 0 => weeks
            .get(*index)
            .map(|monday| format!("v.{}", monday.iso_week().week()))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weekly_chart_is_svg_with_its_legend_and_week_labels() {
        let weeks: Vec<NaiveDate> = (0..4)
            .map(|w| {
                NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default() + chrono::Days::new(7 * w)
            })
            .collect();
        let svg = posts_and_comments(&weeks, &[2, 3, 0, 1], &[10, 25, 4, 0])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(svg.starts_with("<svg"), "{svg}");
        let texts = svg.replace('\n', "");
        assert!(
            texts.contains(">inlägg<") && texts.contains(">kommentarer<"),
            "legend: {svg}"
        );
        assert!(
            texts.contains(">v.1<") && texts.contains(">v.4<"),
            "week labels: {svg}"
        );
        assert!(!texts.contains(">v.5<"), "no week after the last: {svg}");
        let points = svg.matches("<circle").count();
        assert_eq!(points, 8, "one point per week and line: {svg}");
    }

    #[test]
    fn weeks_without_a_value_leave_a_gap_not_a_zero() {
        let weeks = [NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default()];
        let svg = response_times(&weeks, &[None], &[None]).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !svg.contains("<circle"),
            "no point is drawn for a week without decisions"
        );
    }
}
