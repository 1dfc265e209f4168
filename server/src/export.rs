//! The merchant's requests as CSV (`GET /api/merchant/requests.csv`): one
//! row per request with what it asked for, where it stands and the figures
//! of its quote, for a spreadsheet or the shop's accounting.
//!
//! Written for Excel as much as for programs: UTF-8 with a byte order mark
//! (without it Excel reads the file in the machine's legacy code page and
//! garbles "Émile" or a Chinese title), and a text cell that a spreadsheet
//! would take for a formula (`=`, `+`, `-`, `@`, a tab or a carriage return
//! first: a customer's email `=HYPERLINK(…)@x.io` is valid) begins with `'`.
//! Amounts are the quote's decimal strings, as they are, or with a decimal
//! comma and the fields split by `;` ([`Decimal::Comma`]) for a spreadsheet
//! set up for German, French or most other European languages, which
//! reads `5.57` as text or a date and a file split by `,` as one column.

use serde_json::Value;

use crate::store::RequestRecord;

/// The columns, in order.
pub const COLUMNS: [&str; 26] = [
    "received_at",
    "request_id",
    "order_id",
    "rma",
    "kind",
    "reason",
    "items",
    "resolution",
    "exchange_for",
    "status",
    "status_at",
    "currency",
    "refund",
    "store_credit",
    "compensation",
    "fee",
    "customer_pays",
    "reship",
    "return_required",
    "return_shipping_paid_by",
    "clauses",
    "policy",
    "policy_version",
    "email",
    "locale",
    "photos_received",
];

/// The columns that hold amounts (`refund` to `customer_pays`).
const AMOUNTS: std::ops::RangeInclusive<usize> = 12..=16;

/// How the spreadsheet that opens the file writes numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Decimal {
    /// `5.57`, fields split by `,` (English, Chinese, Japanese…).
    #[default]
    Point,
    /// `5,57`, fields split by `;` (German, French, Spanish…).
    Comma,
}

impl Decimal {
    /// Reads `point` or `comma`, as the `decimal` of the file's query.
    pub fn parse(text: &str) -> Option<Decimal> {
        match text {
            "point" => Some(Decimal::Point),
            "comma" => Some(Decimal::Comma),
            _ => None,
        }
    }

    fn writer(self, out: &mut Vec<u8>) -> csv::Writer<&mut Vec<u8>> {
        let delimiter = match self {
            Decimal::Point => b',',
            Decimal::Comma => b';',
        };
        csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(out)
    }
}

/// Begins a file: the byte order mark and the header.
pub fn begin(out: &mut Vec<u8>, decimal: Decimal) -> Result<(), csv::Error> {
    out.extend_from_slice("\u{feff}".as_bytes());
    let mut writer = decimal.writer(out);
    writer.write_record(COLUMNS)?;
    writer.flush()?;
    Ok(())
}

/// Adds one row per request, in the order given.
pub fn rows(
    out: &mut Vec<u8>,
    requests: &[RequestRecord],
    decimal: Decimal,
) -> Result<(), csv::Error> {
    let mut writer = decimal.writer(out);
    for r in requests {
        let mut cells = row(r);
        if decimal == Decimal::Comma {
            for amount in &mut cells[AMOUNTS] {
                *amount = amount.replace('.', ",");
            }
        }
        writer.write_record(cells.iter().map(|cell| inert(cell)))?;
    }
    writer.flush()?;
    Ok(())
}

/// A cell as a spreadsheet shows it rather than runs it.
fn inert(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// The text of a JSON string or of any other value (`true`, `1`); empty
/// for `null` or nothing.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn row(r: &RequestRecord) -> Vec<String> {
    let (req, quote, order, payload) = (
        &r.data.request,
        &r.data.quote,
        &r.data.order_snapshot,
        &r.data.payload,
    );
    let lines = req["lines"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let items = if lines.is_empty() {
        "whole order".to_owned()
    } else {
        lines
            .iter()
            .map(|l| {
                let id = text(&l["line_id"]);
                let of = (order["lines"].as_array().into_iter().flatten())
                    .find(|o| o["id"].as_str() == Some(id.as_str()));
                match of {
                    Some(o) => format!(
                        "{} × {} ({})",
                        text(&l["quantity"]),
                        text(&o["title"]),
                        text(&o["sku"])
                    ),
                    None => format!("{} × {id}", text(&l["quantity"])),
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let target = &req["exchange_for"];
    let exchange_for = if target.is_object() {
        format!(
            "{} × {} ({})",
            text(&target["quantity"]),
            text(&target["title"]),
            text(&target["sku"])
        )
    } else {
        String::new()
    };
    let clauses = (quote["clauses"].as_array().into_iter().flatten())
        .map(text)
        .collect::<Vec<_>>()
        .join(" ");
    let declared = payload["attachments"].as_array().map_or(0, Vec::len);
    let photos = if declared == 0 {
        String::new()
    } else {
        format!("{} of {declared}", r.photos.len())
    };
    vec![
        r.data.created_at.clone(),
        r.data.id.clone(),
        r.data.order_id.clone(),
        r.data.rma.clone().unwrap_or_default(),
        r.data.kind.clone(),
        text(&req["reason"]),
        items,
        text(&req["resolution"]),
        exchange_for,
        r.status.clone(),
        r.events.last().map(|e| e.at.clone()).unwrap_or_default(),
        text(&order["currency"]),
        text(&quote["refund"]),
        text(&quote["store_credit"]),
        text(&quote["compensation"]),
        text(&quote["fee"]),
        text(&quote["customer_pays"]),
        text(&quote["reship"]),
        text(&quote["return_required"]),
        text(&quote["return_shipping_paid_by"]),
        clauses,
        r.data.policy_id.clone(),
        r.data.policy_version.clone(),
        text(&payload["contact"]["email"]),
        text(&payload["locale"]),
        photos,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_amount_columns_are_the_quote_s_figures() {
        assert_eq!(
            COLUMNS[AMOUNTS],
            [
                "refund",
                "store_credit",
                "compensation",
                "fee",
                "customer_pays"
            ]
        );
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_shown_as_text() {
        for (cell, shown) in [
            ("=1+1", "'=1+1"),
            ("+49 30 1234", "'+49 30 1234"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("ann@example.com", "ann@example.com"),
            ("37.90", "37.90"),
            ("", ""),
        ] {
            assert_eq!(inert(cell), shown);
        }
    }
}
