//! Deutsch.

use super::Key;
use aftersale_engine::policy::{ConditionAnswer, Party};
use aftersale_engine::{Availability, Kind, Reason, Resolution};

pub fn text(key: Key) -> Option<&'static str> {
    Some(match key {
        Key::WhatYouCanDo => "Was Sie mit dieser Bestellung tun können",
        Key::Kind(Kind::Cancel) => "Bestellung stornieren",
        Key::Kind(Kind::Return) => "Artikel zurücksenden",
        Key::Kind(Kind::Exchange) => "Artikel umtauschen",
        Key::Kind(Kind::Claim) => "Problem melden",
        Key::Reason(None) => "Beliebiger Grund",
        Key::Reason(Some(Reason::ChangedMind)) => "Ich habe es mir anders überlegt",
        Key::Reason(Some(Reason::WrongItem)) => "Falscher Artikel geliefert",
        Key::Reason(Some(Reason::Damaged)) => "Artikel beschädigt angekommen",
        Key::Reason(Some(Reason::MissingItems)) => "Artikel fehlen im Paket",
        Key::Reason(Some(Reason::NotShippedInTime)) => "Nicht rechtzeitig versandt",
        Key::Reason(Some(Reason::NotReceived)) => "Paket nie angekommen",
        Key::Reason(Some(Reason::LateForDeadline)) => "Zu spät für meinen Termin angekommen",
        Key::Availability(Availability::Open) => "Möglich",
        Key::Availability(Availability::NotYet) => "Noch nicht",
        Key::Availability(Availability::Closed) => "Nicht mehr möglich",
        Key::TimeLeft => "verbleibend",
        Key::Until => "bis",
        Key::OpensAfter => "möglich ab",
        Key::Choose => "Auswählen",
        Key::Items => "Artikel",
        Key::Quantity => "Menge",
        Key::Question(ConditionAnswer::Unused) => "Die Artikel sind unbenutzt",
        Key::Question(ConditionAnswer::OriginalPackaging) => "Sie sind in der Originalverpackung",
        Key::Question(ConditionAnswer::Complete) => "Im Paket fehlt nichts",
        Key::ConditionLegend => "Zustand der Artikel",
        Key::ResolutionLegend => "Wie soll es erledigt werden?",
        Key::Resolution(Resolution::Refund) => "Erstattung",
        Key::Resolution(Resolution::StoreCredit) => "Guthaben",
        Key::Resolution(Resolution::Reship) => "Erneut senden",
        Key::ExchangeFor => "Umtauschen gegen",
        Key::ExchangeNone => "Artikel wählen",
        Key::InStock => "auf Lager",
        Key::Possible => "Möglich",
        Key::NotPossible => "Nicht möglich",
        Key::Refund => "Erstattung",
        Key::StoreCredit => "Guthaben",
        Key::Compensation => "Entschädigung",
        Key::Fee => "Gebühr",
        Key::CustomerPays => "Sie zahlen",
        Key::Reship => "Wir senden Ihnen die Artikel erneut",
        Key::SendBack => "Artikel zurücksenden",
        Key::PaidBy(Party::Customer) => "Rückversand zahlen Sie",
        Key::PaidBy(Party::Merchant) => "Rückversand zahlt der Shop",
        Key::NothingToSendBack => "Nichts zurückzusenden",
        Key::NextSteps => "Nächste Schritte",
        Key::Why => "Warum",
        Key::ClauseLabel => "Richtlinienklausel",
        Key::PickItems => "Wählen Sie die betroffenen Artikel und Mengen.",
        Key::Days => "T",
        Key::Hours => "Std",
        Key::Minutes => "Min",
        Key::Seconds => "s",
        Key::ErrorTitle => "Die Kundendienst-Optionen können nicht angezeigt werden",
        Key::Email => "Ihre E-Mail",
        Key::Submit => "Anfrage senden",
        Key::Sending => "Ihre Anfrage wird gesendet…",
        Key::RetryingIn => "Keine Verbindung zum Shop; neuer Versuch in",
        Key::Created => "Anfrage eingegangen",
        Key::RequestId => "Anfrage",
        Key::Rma => "RMA-Code",
        Key::RefusedByShop => "Der Shop kann diese Anfrage nicht annehmen",
        Key::QuoteChanged => "Die Beträge des Shops weichen von den angezeigten ab",
        Key::AcceptNewQuote => "Annehmen und senden",
        Key::InvalidEmail => "Geben Sie eine E-Mail-Adresse an, an die der Shop antworten kann.",
    })
}

pub fn clause(_id: &str) -> Option<&'static str> {
    None
}

pub fn step(_policy: &str, _id: &str) -> Option<&'static str> {
    None
}
