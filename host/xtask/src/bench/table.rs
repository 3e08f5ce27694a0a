//! The report: one row per figure, beside its target, and how numbers are written.

use std::time::Duration;

/// How a figure compares with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Missed,
    /// No target: shown for context.
    Info,
    /// The measurement itself did not run.
    Failed,
}

impl Verdict {
    pub fn of(met: bool) -> Verdict {
        if met { Verdict::Met } else { Verdict::Missed }
    }

    fn mark(self) -> &'static str {
        match self {
            Verdict::Met => "✓",
            Verdict::Missed => "✗",
            Verdict::Info => "",
            Verdict::Failed => "✗ failed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub figure: String,
    pub measured: String,
    pub target: String,
    pub verdict: Verdict,
    /// Counts and breakdowns behind the figure.
    pub detail: String,
}

#[derive(Debug, Default)]
pub struct Table {
    pub rows: Vec<Row>,
}

impl Table {
    pub fn add(
        &mut self,
        figure: impl Into<String>,
        measured: impl Into<String>,
        target: impl Into<String>,
        verdict: Verdict,
        detail: impl Into<String>,
    ) {
        let row = Row {
            figure: figure.into(),
            measured: measured.into(),
            target: target.into(),
            verdict,
            detail: detail.into(),
        };
        eprintln!(
            "bench: {}: {} {} {}",
            row.figure,
            row.measured,
            row.verdict.mark(),
            row.detail
        );
        self.rows.push(row);
    }

    /// A step that could not be measured; `why` goes in the detail column.
    pub fn failed(&mut self, figure: impl Into<String>, target: impl Into<String>, why: &str) {
        let why = why.lines().next().unwrap_or("").to_string();
        self.add(figure, "—", target, Verdict::Failed, why);
    }

    pub fn failures(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.verdict == Verdict::Failed)
            .count()
    }

    pub fn render(&self) -> String {
        let width = |f: fn(&Row) -> &str, title: &str| {
            self.rows
                .iter()
                .map(|r| f(r).chars().count())
                .chain([title.chars().count()])
                .max()
                .unwrap_or(0)
        };
        let w_fig = width(|r| &r.figure, "figure");
        let w_meas = width(|r| &r.measured, "measured");
        let w_tgt = width(|r| &r.target, "target");
        let w_mark = width(|r| r.verdict.mark(), "");
        let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w - s.chars().count()));
        let line = |a: &str, b: &str, c: &str, d: &str, e: &str| {
            format!(
                "{}  {}  {}  {}  {}",
                pad(a, w_fig),
                pad(b, w_meas),
                pad(c, w_tgt),
                pad(d, w_mark),
                e
            )
            .trim_end()
            .to_string()
        };
        let mut out = line("figure", "measured", "target", "", "detail");
        out.push('\n');
        for r in &self.rows {
            out.push_str(&line(
                &r.figure,
                &r.measured,
                &r.target,
                r.verdict.mark(),
                &r.detail,
            ));
            out.push('\n');
        }
        out
    }
}

/// `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration at a precision that fits it: `12.3 s`, `150 ms`, `4.25 ms`, `850 µs`.
pub fn duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 10.0 {
        format!("{s:.1} s")
    } else if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 0.1 {
        format!("{:.0} ms", s * 1e3)
    } else if s >= 0.01 {
        format!("{:.1} ms", s * 1e3)
    } else if s >= 0.001 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.0} µs", s * 1e6)
    }
}

/// A target's round number: `10 s`, `200 ms`, `30 µs`.
pub fn limit(d: Duration) -> String {
    let us = d.as_micros();
    if us >= 1_000_000 && us.is_multiple_of(1_000_000) {
        format!("{} s", us / 1_000_000)
    } else if us >= 1_000 && us.is_multiple_of(1_000) {
        format!("{} ms", us / 1_000)
    } else {
        format!("{us} µs")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(duration(Duration::from_millis(12_345)), "12.3 s");
        assert_eq!(duration(Duration::from_millis(1_500)), "1.50 s");
        assert_eq!(duration(Duration::from_millis(150)), "150 ms");
        assert_eq!(duration(Duration::from_micros(12_340)), "12.3 ms");
        assert_eq!(duration(Duration::from_micros(4_250)), "4.25 ms");
        assert_eq!(duration(Duration::from_micros(850)), "850 µs");
        assert_eq!(limit(Duration::from_secs(10)), "10 s");
        assert_eq!(limit(Duration::from_millis(200)), "200 ms");
        assert_eq!(limit(Duration::from_millis(1500)), "1500 ms");
        assert_eq!(limit(Duration::from_micros(30)), "30 µs");
    }

    #[test]
    fn columns_line_up() {
        let mut t = Table::default();
        t.add("initial sync", "12.3 s", "< 10 s", Verdict::Missed, "full");
        t.add("a µ-figure", "850 µs", "< 30 µs", Verdict::Met, "");
        t.failed("RSS", "< 200 MiB", "no /proc\nsecond line");
        let text = t.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        // Columns count characters, not bytes ("µ" is two).
        let col = |l: &str, what: &str| l.find(what).map(|b| l[..b].chars().count());
        assert_eq!(col(lines[1], "12.3 s"), col(lines[2], "850 µs"));
        assert_eq!(col(lines[0], "target"), col(lines[1], "< 10 s"));
        assert!(lines[3].contains("✗ failed") && lines[3].ends_with("no /proc"));
        assert_eq!(t.failures(), 1);
    }
}
