//! The request the customer is putting together, as a plain struct; the
//! quote is always the engine's answer for it.

use aftersale_engine::capacity::{self, Holding};
use aftersale_engine::policy::ConditionAnswer;
use aftersale_engine::scenario::{ExchangeTarget, ItemCondition, RequestLine};
use aftersale_engine::{Kind, Order, Policy, Reason, Request, Resolution};

pub use aftersale_engine::scenario::ExchangeOption;

/// The request being edited.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Draft {
    /// Chosen kind; nothing is quoted before one is chosen.
    pub kind: Option<Kind>,
    /// Chosen reason.
    pub reason: Option<Reason>,
    /// Units chosen per order line, in the order's line order (0: none).
    pub quantities: Vec<u32>,
    /// Chosen resolution (None: the clause's default).
    pub resolution: Option<Resolution>,
    /// The customer's answers to the condition questions.
    pub unused: bool,
    /// See `unused`.
    pub original_packaging: bool,
    /// See `unused`.
    pub complete: bool,
    /// Index of the chosen exchange item.
    pub exchange: Option<usize>,
    /// Units of it wanted, once the customer says (None: one for each unit
    /// given back, see [`Draft::exchange_units`]).
    pub exchange_quantity: Option<u32>,
}

impl Draft {
    /// A fresh draft for `kind` and `reason` on `order`, nothing answered
    /// yet. For a request about units: every unit of the lines it is open
    /// for (`open_lines`, from the engine's overview; empty: every line)
    /// that the order's other requests do not hold (`held`).
    pub fn start(
        order: &Order,
        kind: Kind,
        reason: Option<Reason>,
        open_lines: &[String],
        held: &[Holding],
    ) -> Draft {
        let open = |id: &String| open_lines.is_empty() || open_lines.contains(id);
        Draft {
            kind: Some(kind),
            reason,
            quantities: order
                .lines
                .iter()
                .map(|l| {
                    if open(&l.id) {
                        capacity::left(held, &l.id, l.quantity)
                    } else {
                        0
                    }
                })
                .collect(),
            ..Draft::default()
        }
    }

    /// Units of the new item asked for: as many as the customer said, else
    /// one for each unit given back (at least one), as most exchanges are a
    /// swap of size or colour.
    pub fn exchange_units(&self) -> u32 {
        self.exchange_quantity
            .unwrap_or_else(|| self.quantities.iter().sum::<u32>().max(1))
    }

    /// Sets one answer to a condition question.
    pub fn answer(&mut self, question: ConditionAnswer, yes: bool) {
        match question {
            ConditionAnswer::Unused => self.unused = yes,
            ConditionAnswer::OriginalPackaging => self.original_packaging = yes,
            ConditionAnswer::Complete => self.complete = yes,
        }
    }

    /// The customer's answer to a condition question.
    pub fn answered(&self, question: ConditionAnswer) -> bool {
        match question {
            ConditionAnswer::Unused => self.unused,
            ConditionAnswer::OriginalPackaging => self.original_packaging,
            ConditionAnswer::Complete => self.complete,
        }
    }

    /// The engine request for this draft, if a kind is chosen.
    pub fn request(
        &self,
        policy: &Policy,
        order: &Order,
        options: &[ExchangeOption],
    ) -> Option<Request> {
        let kind = self.kind?;
        let lines = if kind == Kind::Cancel {
            Vec::new()
        } else {
            order
                .lines
                .iter()
                .zip(&self.quantities)
                .filter(|(_, q)| **q > 0)
                .map(|(l, q)| RequestLine {
                    line_id: l.id.clone(),
                    quantity: *q,
                })
                .collect()
        };
        let asks_condition = !policy.condition_questions(kind, self.reason).is_empty();
        Some(Request {
            kind,
            reason: self.reason,
            lines,
            resolution: self.resolution,
            condition: asks_condition.then_some(ItemCondition {
                unused: self.unused,
                original_packaging: self.original_packaging,
                complete: self.complete,
            }),
            exchange_for: (kind == Kind::Exchange)
                .then(|| self.exchange.and_then(|i| options.get(i)))
                .flatten()
                .map(|o| ExchangeTarget {
                    sku: o.sku.clone(),
                    title: o.title.clone(),
                    unit_price: o.unit_price,
                    quantity: self.exchange_units(),
                    stock: o.stock,
                }),
        })
    }
}

/// A quantity as typed in a number field, at most `max`: its whole part
/// (`1.5` is 1), `max` for more digits than a count holds, 0 for nothing or
/// what is no count (`-1`).
pub fn typed_quantity(text: &str, max: u32) -> u32 {
    let whole = text.trim().split('.').next().unwrap_or("");
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    whole.parse::<u32>().unwrap_or(u32::MAX).min(max)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::typed_quantity;

    #[test]
    fn a_typed_quantity_is_its_whole_part_up_to_the_most_there_is() {
        let cases = [
            ("1", 1),
            ("2", 2),
            ("3", 2),
            ("1.5", 1),
            ("0", 0),
            ("", 0),
            ("-1", 0),
            (".5", 0),
            ("99999999999999999999", 2),
        ];
        for (text, wanted) in cases {
            assert_eq!(typed_quantity(text, 2), wanted, "{text:?}");
        }
    }
}
