//! Texts in the customer's language: one catalogue per language, each a
//! function from a [`Key`] to its text. English is complete; a missing text
//! in another catalogue falls back to English.

mod de;
mod en;
mod zh;

use aftersale_engine::policy::{ConditionAnswer, Party};
use aftersale_engine::{Availability, Kind, Reason, Resolution};

/// A language the widget speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// German.
    De,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// The catalogue for a BCP 47 locale (`de-DE` → German); English otherwise.
    pub fn for_locale(locale: &str) -> Lang {
        match locale
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "de" => Lang::De,
            "zh" => Lang::Zh,
            _ => Lang::En,
        }
    }
}

/// Every text of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Key {
    WhatYouCanDo,
    Kind(Kind),
    Reason(Option<Reason>),
    Availability(Availability),
    TimeLeft,
    Until,
    OpensAfter,
    Choose,
    Items,
    Quantity,
    Question(ConditionAnswer),
    ConditionLegend,
    ResolutionLegend,
    Resolution(Resolution),
    ExchangeFor,
    ExchangeNone,
    InStock,
    Possible,
    NotPossible,
    Refund,
    StoreCredit,
    Compensation,
    Fee,
    CustomerPays,
    Reship,
    SendBack,
    PaidBy(Party),
    NothingToSendBack,
    NextSteps,
    Why,
    ClauseLabel,
    PickItems,
    Days,
    Hours,
    Minutes,
    Seconds,
    ErrorTitle,
    Email,
    Submit,
    Sending,
    RetryingIn,
    Created,
    RequestId,
    Rma,
    RefusedByShop,
    QuoteChanged,
    AcceptNewQuote,
    InvalidEmail,
    IfYouOrderNow,
    UntilItShips,
    OnceShipped,
    AfterDelivery,
    NotOffered,
    Photos,
    PhotosHint,
    PhotoTooFew,
    PhotoTooMany,
    PhotoType,
    PhotoTooLarge,
    PhotoNotAsked,
    Review,
    ReviewTitle,
    Change,
    Request,
    Email2,
    RefundWhen,
    ReceivedOn,
    ProcessedBy,
    CreditedBetween,
    IfLateAfter,
    WithinDays,
}

/// The text for `key` in `lang`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    let text = match lang {
        Lang::En => None,
        Lang::De => de::text(key),
        Lang::Zh => zh::text(key),
    };
    text.unwrap_or_else(|| en::text(key))
}

/// How an action reads: "Return items: I changed my mind", or just
/// "Cancel the order" (a cancel's reason is not shown).
pub fn action_label(lang: Lang, kind: Kind, reason: Option<Reason>) -> String {
    match reason {
        Some(r) if kind != Kind::Cancel => format!(
            "{}: {}",
            t(lang, Key::Kind(kind)),
            t(lang, Key::Reason(Some(r)))
        ),
        _ => t(lang, Key::Kind(kind)).to_owned(),
    }
}

/// A preset clause's text in `lang`, if the catalogue has it; the widget
/// shows the policy's own text otherwise (a shop's own policy).
pub fn clause_text(lang: Lang, clause: &str) -> Option<&'static str> {
    match lang {
        Lang::En => None,
        Lang::De => de::clause(clause),
        Lang::Zh => zh::clause(clause),
    }
}

/// A preset step's text in `lang`, if the catalogue has it.
pub fn step_text(lang: Lang, policy: &str, step: &str) -> Option<&'static str> {
    match lang {
        Lang::En => None,
        Lang::De => de::step(policy, step),
        Lang::Zh => zh::step(policy, step),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use aftersale_engine::Policy;

    #[test]
    fn every_preset_clause_and_step_has_a_german_and_a_chinese_text() {
        for name in aftersale_engine::presets::NAMES {
            let policy = Policy::preset(name).unwrap();
            for lang in [Lang::De, Lang::Zh] {
                for id in policy.clause_ids() {
                    assert!(
                        clause_text(lang, id).is_some(),
                        "{lang:?} has no text for {id}"
                    );
                }
                if let Some(rule) = &policy.refund_timeline {
                    for i in 0..rule.if_late.len() {
                        let id = format!("if_late.{i}");
                        assert!(
                            step_text(lang, name, &id).is_some(),
                            "{lang:?} has no text for {name} {id}"
                        );
                    }
                }
                for step in &policy.steps {
                    assert!(
                        step_text(lang, name, &step.id).is_some(),
                        "{lang:?} has no text for {name} step {}",
                        step.id
                    );
                }
            }
        }
    }

    #[test]
    fn locales_pick_their_catalogue() {
        assert_eq!(Lang::for_locale("de-AT"), Lang::De);
        assert_eq!(Lang::for_locale("zh-Hans-CN"), Lang::Zh);
        assert_eq!(Lang::for_locale("zh_CN"), Lang::Zh);
        assert_eq!(Lang::for_locale("fr-FR"), Lang::En);
        assert_eq!(
            t(Lang::De, Key::Kind(aftersale_engine::Kind::Return)),
            "Artikel zurücksenden"
        );
    }
}
