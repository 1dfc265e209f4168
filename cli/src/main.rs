//! `aftersale`: the policy engine on the command line.
//!
//! ```text
//! aftersale quote --policy xtelary < scenario.json      # quote JSON on stdout
//! aftersale overview --policy htvront < order-at.json   # what the order allows now
//! aftersale timeline --policy xtelary --received 2026-03-02
//! aftersale check-policy my-shop.json                   # field-by-field problems
//! aftersale schema policy                               # a format as a JSON Schema
//! ```
//!
//! Every quote, eligible or not, exits 0. Input that breaks the contract
//! exits 2 with one line on stderr naming the field at fault; a policy that
//! fails validation exits 1 (`check-policy`) or 2 (other commands).

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use aftersale_engine::policy::PolicyErrors;
use aftersale_engine::scenario::{InputError, Order, deserialize_json};
use aftersale_engine::{Policy, Scenario, overview, presets, quote, refund_timeline};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use clap::{Parser, Subcommand};
use serde::Deserialize;

#[derive(Parser)]
#[command(
    name = "aftersale",
    version,
    about = "Exact, explained after-sale quotes from a shop policy"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read one scenario (JSON) on stdin and print its quote (JSON) on stdout.
    Quote {
        /// A preset name (htvront, xtelary) or the path of a policy file.
        #[arg(long)]
        policy: String,
    },
    /// Read `{"now": ..., "order": ...}` on stdin and print what the order allows.
    Overview {
        /// A preset name (htvront, xtelary) or the path of a policy file.
        #[arg(long)]
        policy: String,
    },
    /// Print when refunded money should arrive for units received on a date.
    Timeline {
        /// A preset name (htvront, xtelary) or the path of a policy file.
        #[arg(long)]
        policy: String,
        /// The day the shop receives the units (YYYY-MM-DD).
        #[arg(long, value_parser = day)]
        received: NaiveDate,
    },
    /// Validate a policy file and print what is wrong, field by field.
    CheckPolicy {
        /// The policy file (or a preset name).
        path: String,
    },
    /// Print a format as a JSON Schema: `policy` (a policy file,
    /// `schema/policy.schema.json`) or `page-data` (an order page's data,
    /// `schema/page-data.schema.json`).
    Schema {
        /// `policy` or `page-data`.
        #[arg(value_enum)]
        format: Format,
    },
}

/// The formats `aftersale schema` prints.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// A policy file.
    Policy,
    /// An order page's data (`data-order`, `GET /api/orders/{id}`).
    PageData,
}

/// The input of `overview`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderAt {
    now: DateTime<Utc>,
    order: Order,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("aftersale: {}", message.replace('\n', " "));
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Quote { policy } => {
            let policy = load_policy(&policy)?;
            let scenario = Scenario::from_json(&read_stdin()?).map_err(input)?;
            let quote = quote(&policy, &scenario).map_err(input)?;
            print_json(&quote);
        }
        Command::Overview { policy } => {
            let policy = load_policy(&policy)?;
            let at: OrderAt = deserialize_json(&read_stdin()?).map_err(input)?;
            let overview = overview(&policy, &at.order, at.now).map_err(input)?;
            print_json(&overview);
        }
        Command::Timeline { policy, received } => {
            let policy = load_policy(&policy)?;
            if policy.refund_timeline.is_none() {
                return Err(format!("policy {:?} gives no refund timeline", policy.id));
            }
            let timeline = refund_timeline(&policy, received)
                .filter(|t| {
                    [t.processed_by, t.credited_by, t.late_after]
                        .iter()
                        .all(|d| d.year() <= 9999)
                })
                .ok_or_else(|| format!("the timeline from {received} ends after 9999-12-31"))?;
            print_json(&timeline);
        }
        Command::Schema { format } => print!(
            "{}",
            match format {
                Format::Policy => aftersale_engine::schema::policy(),
                Format::PageData => aftersale_engine::schema::page_data(),
            }
        ),
        Command::CheckPolicy { path } => {
            return Ok(match parse_policy(&path)? {
                Ok(p) => {
                    let langs: Vec<&str> =
                        p.translations.0.iter().map(|(l, _)| l.as_str()).collect();
                    let translated = match (&p.language, langs.as_slice()) {
                        (None, []) => String::new(),
                        (None, _) => format!(", its texts also in {}", langs.join(", ")),
                        (Some(own), []) => format!(", its texts in {own}"),
                        (Some(own), _) => {
                            format!(", its texts in {own}, also in {}", langs.join(", "))
                        }
                    };
                    println!(
                        "ok: policy {:?} version {:?}: {} clauses, {} steps{translated}",
                        p.id,
                        p.version,
                        p.clauses.len(),
                        p.steps.len()
                    );
                    // Not a problem (a customer reads those texts as the
                    // policy has them), but seldom what the shop meant.
                    for (lang, tr) in &p.translations.0 {
                        let left = tr.untranslated(&p);
                        if !left.is_empty() {
                            println!(
                                "  {lang} leaves {} in the policy's own words: {}",
                                match left.len() {
                                    1 => "1 text".to_owned(),
                                    n => format!("{n} texts"),
                                },
                                left.join(", ")
                            );
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(errors) => {
                    println!(
                        "{path}: {} problem{}",
                        errors.0.len(),
                        if errors.0.len() == 1 { "" } else { "s" }
                    );
                    for e in errors.0 {
                        println!("  {e}");
                    }
                    ExitCode::from(1)
                }
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A day written `YYYY-MM-DD` (chrono alone also takes `+262142-01-01`
/// and `-0001-01-01`).
fn day(text: &str) -> Result<NaiveDate, String> {
    let shaped = text.len() == 10 && text.starts_with(|c: char| c.is_ascii_digit());
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) if shaped => Ok(d),
        _ => Err(format!("{text} is not a day (YYYY-MM-DD)")),
    }
}

fn input(e: InputError) -> String {
    format!("invalid input: {e}")
}

fn read_stdin() -> Result<String, String> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    Ok(text)
}

fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("engine output always serialises")
    );
}

/// A preset by name, else a policy file: the outer error when it cannot be
/// read at all, the inner one when it reads but is not a valid policy.
fn parse_policy(name: &str) -> Result<Result<Policy, PolicyErrors>, String> {
    if let Some(text) = presets::source(name) {
        return Ok(Policy::from_json(text));
    }
    let path = Path::new(name);
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read policy {name:?}: {e} (presets: {})",
            presets::NAMES.join(", ")
        )
    })?;
    Ok(Policy::from_json(&text))
}

fn load_policy(name: &str) -> Result<Policy, String> {
    parse_policy(name)?.map_err(|e| format!("invalid policy {name:?}: {e}"))
}
