//! Plain-text tables for the terminal (`zhkg query` results, `zhkg eval`
//! reports), laid out by `comfy-table`, which measures the display width of
//! Chinese characters (two columns each) so that columns line up.

use comfy_table::{ColumnConstraint, ContentArrangement, LineStyle, Table, TableStyle, Width};

/// A header, a rule of dashes under it, and the rows; no other lines.
const PLAIN: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('-').junction(' '));

/// Renders `header` and `rows` as aligned columns, one line per row (cells
/// wider than `max_width` columns wrap onto more lines). Lines carry no
/// trailing blanks.
pub fn render(header: &[String], rows: &[Vec<String>], max_width: Option<u16>) -> String {
    let mut t = Table::new();
    t.load_style(PLAIN)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec())
        .add_rows(rows.iter().cloned());
    if let Some(w) = max_width {
        t.set_constraints(
            header
                .iter()
                .map(|_| ColumnConstraint::UpperBoundary(Width::Fixed(w))),
        );
    }
    let mut out = String::new();
    for line in t.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn chinese_cells_take_two_columns_each() {
        let out = render(
            &s(&["county", "n"]),
            &[s(&["巨鹿县", "196"]), s(&["ab", "7"])],
            None,
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert!(
            lines[1].trim().chars().all(|c| c == '-' || c == ' '),
            "{out}"
        );
        // The last column starts at the same display column on every row
        // (a Han character is two columns wide).
        let col = |l: &str| {
            let start = l.rfind(' ').map_or(0, |i| i + 1);
            l[..start]
                .chars()
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum::<usize>()
        };
        assert_eq!(col(lines[2]), col(lines[3]), "{out}");
        assert_eq!(col(lines[0]), col(lines[2]), "{out}");
    }
}
