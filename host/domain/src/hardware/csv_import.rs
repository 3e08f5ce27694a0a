//! Importing assets from a CSV file: every row checked, every bad row named with its
//! reason, and nothing imported while one is bad unless the admin skips them on purpose.

use std::collections::HashMap;

use jiff::civil::Date;

use super::asset::{NewAsset, serial_key};
use super::inventory::Hardware;

/// Rows read at most (a larger file is refused whole).
pub const MAX_ROWS: usize = 10_000;

/// A row that cannot be imported. `row` counts from 1 at the header, as spreadsheets do.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    pub row: usize,
    pub reason: String,
}

/// A checked file: the good rows and the bad ones.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CsvImport {
    pub assets: Vec<NewAsset>,
    pub errors: Vec<RowError>,
}

const COLUMNS: &str = "model, serial, tag, purchase_date, cost, warranty_end, location";

/// Parses and checks `text` (UTF-8 CSV with a header row naming the columns
/// `model`, `serial` and optionally `tag`, `purchase_date`, `cost`, `warranty_end`,
/// `location`, in any order). A file that cannot be read at all (no header, unknown
/// columns, too many rows) is an `Err`; bad rows are listed in `errors`.
pub fn parse_csv(text: &str, known: &Hardware) -> Result<CsvImport, String> {
    let records = split_records(text)?;
    let mut records = records.into_iter();
    let Some((_, header)) = records.next() else {
        return Err(format!(
            "the file is empty: it needs a header row ({COLUMNS})"
        ));
    };
    let mut col = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        let name = match name.as_str() {
            "serial_number" => "serial".to_string(),
            "asset_tag" => "tag".to_string(),
            _ => name,
        };
        if !COLUMNS.split(", ").any(|c| c == name) {
            return Err(format!(
                "column {} is `{name}`, which is not one of: {COLUMNS}",
                i + 1
            ));
        }
        if col.insert(name.clone(), i).is_some() {
            return Err(format!("column `{name}` appears twice"));
        }
    }
    for needed in ["model", "serial"] {
        if !col.contains_key(needed) {
            return Err(format!("the header has no `{needed}` column"));
        }
    }
    let mut out = CsvImport::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row, fields) in records {
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if out.assets.len() + out.errors.len() >= MAX_ROWS {
            return Err(format!("the file has more than {MAX_ROWS} rows; split it"));
        }
        let get = |name: &str| {
            col.get(name)
                .and_then(|i| fields.get(*i))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        match row_asset(&get).and_then(|a| {
            let a = a.cleaned().map_err(|e| e.to_string())?;
            known.check_new(&a).map_err(|e| e.to_string())?;
            Ok(a)
        }) {
            Ok(a) => match seen.insert(serial_key(&a.serial), row) {
                Some(first) => out.errors.push(RowError {
                    row,
                    reason: format!("serial number {} is also on row {first}", a.serial),
                }),
                None => out.assets.push(a),
            },
            Err(reason) => out.errors.push(RowError { row, reason }),
        }
    }
    Ok(out)
}

fn row_asset(get: &dyn Fn(&str) -> Option<String>) -> Result<NewAsset, String> {
    let date = |name: &str| -> Result<Option<Date>, String> {
        get(name)
            .map(|s| {
                s.parse::<Date>()
                    .map_err(|_| format!("{name} `{s}` is not a date like 2025-03-31"))
            })
            .transpose()
    };
    let cost = get("cost")
        .map(|s| parse_money(&s).ok_or_else(|| format!("cost `{s}` is not an amount like 1299.00")))
        .transpose()?;
    Ok(NewAsset {
        model: get("model").unwrap_or_default(),
        serial: get("serial").unwrap_or_default(),
        tag: get("tag"),
        purchase_date: date("purchase_date")?,
        cost_cents: cost,
        warranty_end: date("warranty_end")?,
        location: get("location"),
    })
}

/// "1299", "1,299.50", "$1299.5" → cents.
pub fn parse_money(s: &str) -> Option<u64> {
    let s: String = s
        .trim()
        .trim_start_matches(['$', '€', '£'])
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty() || frac.len() > 2 || !whole.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let frac: u64 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

/// RFC 4180 records with the row number each starts on: quoted fields may hold commas,
/// doubled quotes and line breaks; CRLF or LF ends a record.
fn split_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if out.len() > MAX_ROWS + 1 {
            return Err(format!("the file has more than {MAX_ROWS} rows; split it"));
        }
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                fields.push(std::mem::take(&mut field));
                out.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("row {start} has a quote that is never closed"));
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        out.push((start, fields));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hardware::{HardwareSettings, PostalAddress, Site};

    fn known() -> Hardware {
        let mut hw = Hardware::default();
        hw.settings = HardwareSettings {
            warehouse: Some(Site {
                key: "warehouse".into(),
                name: "Warehouse".into(),
                address: PostalAddress::default(),
            }),
            ..HardwareSettings::default()
        };
        let a = crate::hardware::Asset::new(
            crate::ids::AssetId::new("A-1"),
            NewAsset {
                model: "MacBook Air".into(),
                serial: "C02OLD".into(),
                ..NewAsset::default()
            },
            jiff::Timestamp::UNIX_EPOCH,
            "test",
        );
        hw.put_asset(a);
        hw
    }

    #[test]
    fn good_rows_in_any_column_order_with_quotes_and_crlf() {
        let text = "Serial Number,Model,cost,purchase_date,location\r\n\
                    C02AAA,\"MacBook Pro 14\"\", M3\",\"1,999.00\",2025-01-15,warehouse\r\n\
                    C02BBB,Dell XPS 13,$1299,,\r\n";
        let got = parse_csv(text, &known()).unwrap();
        assert_eq!(got.errors, vec![]);
        assert_eq!(got.assets.len(), 2);
        assert_eq!(got.assets[0].model, "MacBook Pro 14\", M3");
        assert_eq!(got.assets[0].cost_cents, Some(199_900));
        assert_eq!(got.assets[1].cost_cents, Some(129_900));
        assert_eq!(got.assets[1].purchase_date, None);
    }

    #[test]
    fn every_bad_row_is_named_with_its_reason() {
        let text = "model,serial,purchase_date,warranty_end,location,cost\n\
                    Air,c02old,,,,\n\
                    ,C02X,,,,\n\
                    Pro,C02Y,2025-13-01,,,\n\
                    Pro,C02Z,2025-02-01,2024-01-01,,\n\
                    Pro,C02W,,,moon,\n\
                    Pro,C02V,,,,12.345\n\
                    Pro,C02U,,,,\n\
                    Pro,c02u,,,,\n";
        let got = parse_csv(text, &known()).unwrap();
        let reasons: Vec<(usize, &str)> = got
            .errors
            .iter()
            .map(|e| (e.row, e.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (2, "serial number c02old is already in inventory (A-1)"),
                (3, "the model is required"),
                (
                    4,
                    "purchase_date `2025-13-01` is not a date like 2025-03-31"
                ),
                (5, "the warranty ends before the purchase date"),
                (
                    6,
                    "there is no site or warehouse `moon` (Settings → Hardware)"
                ),
                (7, "cost `12.345` is not an amount like 1299.00"),
                (9, "serial number c02u is also on row 8"),
            ]
        );
        assert_eq!(got.assets.len(), 1);
    }

    #[test]
    fn unreadable_files_are_refused_whole() {
        assert!(parse_csv("", &known()).unwrap_err().contains("empty"));
        assert!(
            parse_csv("model,colour\n", &known())
                .unwrap_err()
                .contains("`colour`")
        );
        assert!(
            parse_csv("model\nAir\n", &known())
                .unwrap_err()
                .contains("`serial`")
        );
        assert!(
            parse_csv("model,serial\n\"Air,C1\n", &known())
                .unwrap_err()
                .contains("never closed")
        );
    }

    #[test]
    fn money() {
        assert_eq!(parse_money("0.5"), Some(50));
        assert_eq!(parse_money("€2,000"), Some(200_000));
        assert_eq!(parse_money("-1"), None);
        assert_eq!(parse_money("1.2.3"), None);
        assert_eq!(parse_money("99999999999999999999"), None);
    }
}
