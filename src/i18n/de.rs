//! Deutsch.

use super::{At, Key, Lang, PhotoCount};
use aftersale_engine::policy::{Anchor, ConditionAnswer, Party, Span, Unit, Window};
use aftersale_engine::scenario::ShipFrom;
use aftersale_engine::{Availability, Kind, Reason, Resolution, Why};

pub fn text(key: Key) -> Option<&'static str> {
    Some(match key {
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
        Key::Colon => ": ",
        Key::Aside => " ({t})",
        Key::Until => "bis",
        Key::OpensAfter => "möglich ab",
        Key::Possible => "Möglich",
        Key::NotPossible => "Nicht möglich",
        Key::Refund => "Erstattung",
        Key::StoreCredit => "Guthaben",
        Key::Compensation => "Entschädigung",
        Key::Fee => "Gebühr",
        Key::Reship => "Wir senden Ihnen die Artikel erneut",
        Key::PaidBy(Party::Customer) => "Rückversand auf Ihre Kosten",
        Key::PaidBy(Party::Merchant) => "Rückversand auf Kosten des Shops",
        Key::Days => "Tg.",
        Key::Hours => "Std.",
        Key::Minutes => "Min.",
        Key::Seconds => "Sek.",
        Key::ErrorTitle => "Die Kundendienst-Optionen können nicht angezeigt werden",
        Key::NotOffered => "Nicht angeboten",
        Key::IfYouOrderNow => "Wenn Sie jetzt bestellen",
        Key::UntilItShips => "bis zum Versand",
        Key::OnceShipped => "nach dem Versand",
        Key::BeforeShipment => "Vor dem Versand",
        Key::OnItsWay => "Auf dem Weg zu Ihnen",
        Key::AfterDelivery => "Nach der Zustellung",
        Key::LoadRetrying => {
            "Keine Verbindung zum Shop, daher kann Ihre Bestellung noch nicht angezeigt werden. Neuer Versuch in {n}\u{a0}s."
        }
        // The texts of product and cart pages above; the order widget's
        // below, out of the terms bundle (as in the English catalogue).
        // The marker, not the English text: a summary's text put below by
        // mistake must not read in English unnoticed.
        _ if !cfg!(feature = "orders") => super::NOT_IN_TERMS_BUNDLE,
        Key::WhatYouCanDo => "Was Sie mit dieser Bestellung tun können",
        Key::Availability(Availability::Open) => "Möglich",
        Key::Availability(Availability::NotYet) => "Noch nicht",
        Key::Availability(Availability::Closed) => "Nicht möglich",
        Key::TimeLeft => "noch {t}",
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
        Key::NewItem => "Neuer Artikel",
        Key::ExchangeNone => "Artikel wählen",
        Key::InStock => "auf Lager",
        Key::CustomerPays => "Sie zahlen",
        Key::SendBack => "Artikel zurücksenden",
        Key::NothingToSendBack => "Nichts zurückzusenden",
        Key::NextSteps => "Nächste Schritte",
        Key::Why => "Warum",
        Key::ClauseLabel => "Richtlinienklausel",
        Key::PickItems => "Wählen Sie die betroffenen Artikel und Mengen.",
        Key::PickExchange => "Wählen Sie den Artikel, den Sie stattdessen möchten.",
        Key::NotFor => "Nicht für",
        Key::Email => "Ihre E-Mail",
        Key::Submit => "Anfrage senden",
        Key::Sending => "Ihre Anfrage wird gesendet…",
        Key::RetryingIn => {
            "Keine Verbindung zum Shop. Ihre Anfrage bleibt in diesem Browser gespeichert und wird in {n}\u{a0}s erneut gesendet."
        }
        Key::RetryingNotKept => {
            "Keine Verbindung zum Shop. Dieser Browser kann Ihre Anfrage nicht speichern; lassen Sie diese Seite bitte geöffnet: Sie wird in {n}\u{a0}s erneut gesendet."
        }
        Key::PendingRequest => "Ihre Anfrage",
        Key::Created => "Anfrage eingegangen",
        Key::RequestId => "Anfrage",
        Key::Rma => "RMA-Code",
        Key::StepRmaDone => {
            "Erledigt: Der Shop hat Ihnen den RMA-Code {rma} gegeben. Nennen Sie ihn in jeder Nachricht an den Shop und schreiben Sie ihn auf das Paket."
        }
        Key::StepPhotosDone => "Erledigt: Ihre Fotos ({files}) wurden mit Ihrer Anfrage gesendet.",
        Key::StepPhotoDone => "Erledigt: Ihr Foto ({files}) wurde mit Ihrer Anfrage gesendet.",
        Key::StepPhotosSending => {
            "Ihre Fotos werden gesendet: {sent} von {total} sind schon beim Shop. Bitte lassen Sie diese Seite geöffnet."
        }
        Key::StepPhotosRetrying => {
            "Ihre Fotos haben den Shop noch nicht erreicht ({sent} von {total} sind dort). Neuer Versuch in {n}\u{a0}s; bitte lassen Sie diese Seite geöffnet."
        }
        Key::PhotosBar => "Bisher gesendete Fotos",
        Key::StepPhotosRefused => {
            "Der Shop hat {name} nicht angenommen: {message}. Bitte senden Sie Ihre Fotos per E-Mail an seinen Kundendienst und nennen Sie Ihre Anfrage."
        }
        Key::RefusedByShop => "Der Shop kann diese Anfrage nicht annehmen",
        Key::NotTaken => {
            "Der Shop hat diese Anfrage nicht angenommen. Versuchen Sie es später noch einmal oder wenden Sie sich mit der Meldung unten an den Shop."
        }
        Key::YourRequests => "Ihre Anfragen zu dieser Bestellung",
        Key::ReceivedAt => "Eingegangen",
        Key::StatusRequested => "Wartet auf den Shop",
        Key::StatusApproved => "Genehmigt",
        Key::StatusItemReceived => "Artikel beim Shop eingegangen",
        Key::StatusRefunded => "Erstattet",
        Key::StatusCredited => "Guthaben gutgeschrieben",
        Key::StatusReshipped => "Erneut versandt",
        Key::StatusRejected => "Vom Shop abgelehnt",
        Key::ConflictUnitsTaken => {
            "Einige dieser Artikel sind bereits Teil einer anderen offenen Anfrage zu dieser Bestellung."
        }
        Key::ConflictAlreadyOpen => "Dieselbe Anfrage zu dieser Bestellung ist bereits offen.",
        Key::ConflictUnitsInRequests => {
            "Die Bestellung kann nicht als Ganzes storniert werden: Einige Artikel sind Teil anderer offener Anfragen."
        }
        Key::ConflictOrderCancelled => {
            "Diese Bestellung wird mit einer offenen Anfrage storniert; weitere Anfragen dazu sind nicht möglich."
        }
        Key::ConflictExchangeMeanwhile => {
            "Inzwischen ist ein anderer Umtausch zu dieser Bestellung eingegangen. Laden Sie die Seite neu, um zu sehen, was noch möglich ist."
        }
        Key::AlreadyRequested => "Bereits angefragt",
        Key::AllUnitsRequested => {
            "Alle Artikel, für die das möglich wäre, sind bereits Teil Ihrer Anfragen zu dieser Bestellung."
        }
        Key::UnitsInYourRequests => "{n} bereits in Ihren Anfragen",
        Key::ConflictOther => {
            "Eine andere offene Anfrage zu dieser Bestellung steht dieser entgegen."
        }
        Key::QuoteChanged => "Die Beträge des Shops weichen von den angezeigten ab",
        Key::AcceptNewQuote => "Annehmen und senden",
        Key::StartAnother => "Weitere Anfrage stellen",
        Key::StopSending => "Senden abbrechen",
        Key::Remove => "Entfernen",
        Key::PhotoRemove => "{name} entfernen",
        Key::InvalidEmail => "Geben Sie eine E-Mail-Adresse an, an die der Shop antworten kann.",
        Key::Photos => "Fotos",
        Key::AddPhotos => "Fotos hinzufügen",
        Key::PhotosHint => {
            "{wanted}: {types}, je bis {size}. Sie gehen mit Ihrer Anfrage an den Shop."
        }
        Key::PhotoType => "{name}: Der Shop nimmt nur Bilder im Format {types} an.",
        Key::PhotoTooLarge => "{name} ist größer als {size}.",
        Key::PhotoNotAsked => "Für diese Anfrage werden keine Fotos benötigt.",
        Key::Review => "Anfrage prüfen",
        Key::ReviewTitle => "Prüfen Sie Ihre Anfrage vor dem Absenden",
        Key::ReviewSentTitle => "Ihre Anfrage, wie sie beim Shop eingegangen ist",
        Key::Change => "Ändern",
        Key::Request => "Anfrage",
        Key::Email2 => "E-Mail",
        Key::RefundWhen => "Wann das Geld ankommt",
        Key::ReceivedOn => "Wenn der Shop die Artikel erhält am",
        Key::ProcessedBy => "Erstattung bearbeitet bis",
        Key::CreditedBetween => "Auf Ihrem Konto zwischen",
        Key::IfLateAfter => "Nicht angekommen nach dem",
    })
}

pub fn clause(id: &str) -> Option<&'static str> {
    Some(match id {
        "htvront.cancel_before_shipment" => {
            "Eine vor dem Versand stornierte Bestellung wird als Guthaben für Ihre nächste Bestellung gutgeschrieben; Erstattungen sind nicht möglich."
        }
        "htvront.cancel_after_shipment" => {
            "Aufgrund unseres Geschäfts und der versandten Materialien können wir nach dem Versand keine Erstattungen anbieten."
        }
        "htvront.claim_window" => {
            "Falsche, beschädigte oder fehlende Produkte müssen innerhalb von 10 Tagen nach der Zustellung gemeldet werden."
        }
        "htvront.wrong_product" => {
            "Haben wir das falsche Produkt geschickt, wird es voll erstattet oder Ihrer nächsten Bestellung gutgeschrieben (außer Ersatzprodukten)."
        }
        "htvront.damaged" => {
            "Ist ein Produkt beschädigt angekommen, senden wir es erneut oder schreiben es Ihrer nächsten Bestellung gut."
        }
        "htvront.missing" => {
            "Fehlen Produkte in Ihrem Paket, senden wir die fehlenden nach oder schreiben sie Ihrer nächsten Bestellung gut."
        }
        "htvront.not_shipped_in_time" => {
            "Hat Ihre Bestellung 5 Werktage nach der Bestellung (Feiertage ausgenommen) keine Sendungsnummer, erhalten Sie 20 % des Bestellwerts als Entschädigung."
        }
        "htvront.not_received" => {
            "Wurde die Sendungsverfolgung länger als 10 Tage (US-Lager) bzw. 25 Tage (Standardversand weltweit) nicht aktualisiert, erhalten Sie 20 % des Bestellwerts und wir senden das Paket erneut."
        }
        "htvront.slow_logistics" => {
            "Wir erstatten nichts, weil eine Bestellung Ihren Termin verpasst hat, und entschädigen keine entgangenen Einnahmen."
        }
        "htvront.exchange" => {
            "Sie können einmal pro Bestellung vor dem Versand gegen ein teureres oder günstigeres Produkt tauschen: Sie zahlen den Aufpreis, oder wir erstatten die Differenz."
        }
        "htvront.not_offered" => {
            "Diese Anfrage ist in der Kundendienst-Richtlinie von HTVRont nicht vorgesehen: Probleme mit einer Bestellung werden als Reklamation ohne Rücksendung geregelt. Wenden Sie sich für alles andere an den Kundendienst."
        }
        "xtelary.cancel_shipped" => "Nach dem Versand nehmen wir keine Stornierung mehr an.",
        "xtelary.cancel_free" => {
            "Eine innerhalb von 24 Stunden nach dem Kauf stornierte Bestellung wird voll erstattet."
        }
        "xtelary.cancel_fee" => {
            "Für eine Stornierung mehr als 24 Stunden nach dem Kauf, aber vor dem Versand, berechnet die Plattform eine Gebühr von 2 %."
        }
        "xtelary.not_covered" => {
            "Xtelary kennt keine Reklamationen ohne Rücksendung: Für einen falschen oder defekten Artikel beantragen Sie eine Rücksendung oder einen Umtausch, oder schreiben Sie an support@xtelary.com."
        }
        "xtelary.window" => {
            "Rücksendungen und Umtausch sind innerhalb von 30 Tagen nach dem Kauf möglich."
        }
        "xtelary.condition" => {
            "Aus persönlichen Gründen zurückgesandte Artikel müssen unbenutzt, unbeschädigt und vollständig in der Originalverpackung sein; sonst wird nichts erstattet und der Käufer trägt alle Kosten."
        }
        "xtelary.merchant_fault" => {
            "Ein falscher oder defekter Artikel (abblätternde Farbe, Motorschaden, beschädigte Acrylplatte …) wird voll erstattet, und wir zahlen den Rückversand; Fotos des Problems ersetzen die Zustandsprüfung."
        }
        "xtelary.personal_reason" => {
            "Eine Rücksendung aus persönlichen Gründen wird abzüglich der Transaktionsgebühr der Plattform von 5 % erstattet; das Rückporto trägt der Käufer."
        }
        "xtelary.exchange" => {
            "Ein Umtausch innerhalb von 30 Tagen gleicht die Preisdifferenz in beide Richtungen aus, ohne Transaktionsgebühr; das Rückporto trägt bei persönlichen Gründen der Käufer, bei falschen oder beschädigten Artikeln wir."
        }
        "xtelary.not_offered" => {
            "Diese Anfrage ist in der Rückgaberichtlinie von Xtelary nicht vorgesehen: Rücksendungen und Umtausch gelten für Meinungsänderungen, falsche und beschädigte Artikel. Bitte schreiben Sie an support@xtelary.com."
        }
        _ => return None,
    })
}

pub fn step(policy: &str, id: &str) -> Option<&'static str> {
    Some(match (policy, id) {
        ("xtelary", "if_late.0") => {
            "Prüfen Sie Ihr Bankkonto: Es muss das beim Kauf verwendete sein."
        }
        ("xtelary", "if_late.1") => {
            "Wenden Sie sich an Ihre Kredit- oder Debitkartengesellschaft: Eine Erstattung kann einige Zeit brauchen, bis sie gebucht ist."
        }
        ("xtelary", "if_late.2") => {
            "Wenden Sie sich an Ihre Bank: Oft vergeht etwas Bearbeitungszeit, bis eine Erstattung erscheint."
        }
        ("xtelary", "if_late.3") => {
            "Ist die Erstattung dann noch nicht da, schreiben Sie an support@xtelary.com."
        }
        ("htvront", "photos") => "Fotografieren Sie den Schaden für den Kundendienst.",
        ("htvront", "verify") => {
            "Der Kundendienst prüft den Fall mit Ihnen und veranlasst dann die Erstattung, die Gutschrift oder den erneuten Versand."
        }
        ("htvront", "no_return") => "Behalten Sie die Produkte: Sie müssen nichts zurücksenden.",
        ("xtelary", "rma") => {
            "Schreiben Sie zuerst an support@xtelary.com, um Ihren RMA-Code zu erhalten."
        }
        ("xtelary", "photos") => "Hängen Sie dieser E-Mail Fotos des Problems an.",
        ("xtelary", "packaging") => {
            "Prüfen Sie, ob Sie die Originalverpackung noch haben, und verpacken Sie die Artikel darin."
        }
        ("xtelary", "proof_of_purchase") => {
            "Legen Sie Ihren Beleg oder Kaufnachweis bei: er ist erforderlich."
        }
        ("xtelary", "fingerprint") => {
            "Löschen Sie Ihren Fingerabdruck aus dem Schloss des Uhrenbewegers, bevor Sie ihn zurücksenden."
        }
        ("xtelary", "return_address") => {
            "Senden Sie die Artikel an die Rücksendeadresse, die Ihnen der Support nennt, nie an die ursprüngliche Versandadresse oder den Hersteller."
        }
        ("xtelary", "refund_after_qc") => {
            "Wir erstatten, sobald die Artikel angekommen sind und die Qualitätsprüfung abgeschlossen ist."
        }
        _ => return None,
    })
}

/// A span after a preposition ("innerhalb von 30 Tagen"): the dative.
fn span(s: Span) -> String {
    in_case(s, true)
}

/// A span standing alone or as an object ("5 Werktage nach dem Kauf"): the
/// nominative and accusative.
fn count(s: Span) -> String {
    in_case(s, false)
}

fn in_case(s: Span, dative: bool) -> String {
    let plural = |nominative, dative_plural| if dative { dative_plural } else { nominative };
    let unit = match (s.unit, s.length) {
        (Unit::Hours, 1) => "Stunde",
        (Unit::Hours, _) => "Stunden",
        (Unit::Days, 1) => "Tag",
        (Unit::Days, _) => plural("Tage", "Tagen"),
        (Unit::BusinessDays, 1) => "Werktag",
        (Unit::BusinessDays, _) => plural("Werktage", "Werktagen"),
    };
    format!("{} {unit}", s.length)
}

/// The event, in the dative ("ab der Zustellung").
fn anchor(a: Anchor) -> &'static str {
    match a {
        Anchor::Placed => "der Bestellung",
        Anchor::Shipped => "dem Versand",
        Anchor::Delivered => "der Zustellung",
        Anchor::LastTracking => "der letzten Sendungsverfolgung",
    }
}

fn route(s: ShipFrom) -> &'static str {
    match s {
        ShipFrom::UsWarehouse => "aus dem US-Lager",
        ShipFrom::GlobalStandard => "per Standardversand weltweit",
    }
}

fn state(a: ConditionAnswer) -> &'static str {
    match a {
        ConditionAnswer::Unused => "unbenutzt",
        ConditionAnswer::OriginalPackaging => "originalverpackt",
        ConditionAnswer::Complete => "vollständig",
    }
}

fn resolution(r: Resolution) -> &'static str {
    super::t(super::Lang::De, Key::Resolution(r))
}

/// A window as the terms before buying show it.
pub fn window(w: Window) -> String {
    format!("innerhalb von {} nach {}", span(w.span()), anchor(w.from))
}

/// When an option on the way opens: "nach 10 Tagen ohne Neuigkeiten der
/// Sendungsverfolgung".
pub fn photo_count(count: PhotoCount) -> String {
    let fotos = |n: u32| match n {
        1 => "ein Foto".to_owned(),
        n => format!("{n} Fotos"),
    };
    match count {
        PhotoCount::Wanted { min: 0, max: 1 } => "Fügen Sie höchstens ein Foto bei".to_owned(),
        PhotoCount::Wanted { min: 0, max } => format!("Fügen Sie bis zu {max} Fotos bei"),
        PhotoCount::Wanted { min, max } if min == max => format!("Fügen Sie {} bei", fotos(max)),
        PhotoCount::Wanted { min, max } => format!("Fügen Sie {min} bis {max} Fotos bei"),
        PhotoCount::TooFew(n) => format!("Fügen Sie mindestens {} bei.", fotos(n)),
        PhotoCount::TooMany(n) => format!("Fügen Sie höchstens {} bei.", fotos(n)),
        PhotoCount::Lost(1) => "Ihr Foto blieb in der verlassenen Seite und hat den Shop nicht erreicht. Bitte senden Sie es per E-Mail an seinen Kundendienst und nennen Sie Ihre Anfrage.".to_owned(),
        PhotoCount::Lost(n) => format!(
            "Ihre {n} Fotos blieben in der verlassenen Seite und haben den Shop nicht erreicht. Bitte senden Sie sie per E-Mail an seinen Kundendienst und nennen Sie Ihre Anfrage."
        ),
    }
}

pub fn silence(s: Span) -> String {
    format!("nach {} ohne Neuigkeiten der Sendungsverfolgung", span(s))
}

/// A reason of the engine as a sentence.
pub fn why(why: &Why, at: At) -> String {
    match why {
        Why::Shipped => "Die Bestellung wurde bereits versandt.".to_owned(),
        Why::NotShipped => "Die Bestellung wurde noch nicht versandt.".to_owned(),
        Why::Delivered => "Die Bestellung wurde zugestellt.".to_owned(),
        Why::NotDelivered => "Die Bestellung wurde noch nicht zugestellt.".to_owned(),
        Why::WindowNotStarted { span: s, from } => format!(
            "Die Frist von {} beginnt mit {}, und die steht noch aus.",
            span(*s),
            anchor(*from)
        ),
        Why::Within {
            span: s,
            from,
            until,
        } => match until {
            Some(t) => format!(
                "Innerhalb von {} ab {}, bis {}.",
                span(*s),
                anchor(*from),
                at(*t)
            ),
            None => format!("Innerhalb von {} ab {}.", span(*s), anchor(*from)),
        },
        Why::WindowClosed {
            span: s,
            from,
            closed,
        } => format!(
            "Die Frist von {} ab {} ist am {} abgelaufen.",
            span(*s),
            anchor(*from),
            at(*closed)
        ),
        Why::PromiseNotStarted { span: s } => {
            format!("Die Versandfrist von {} läuft noch nicht.", span(*s))
        }
        Why::TrackedInTime { span: s, due } => format!(
            "Die Bestellung hatte innerhalb von {} eine Sendungsnummer (bis {}).",
            span(*s),
            at(*due)
        ),
        Why::AwaitingTracking { span: s, due } => format!(
            "Die Bestellung hat noch bis {} ({}) Zeit, eine Sendungsnummer zu bekommen.",
            at(*due),
            count(*s)
        ),
        Why::Untracked { span: s, due } => format!(
            "Die Bestellung hatte {} nach dem Kauf ({}) keine Sendungsnummer.",
            count(*s),
            at(*due)
        ),
        Why::TrackingRecent => "Die Sendungsverfolgung wurde kürzlich aktualisiert.".to_owned(),
        Why::TrackingStale {
            span: s,
            last,
            ship_from,
        } => format!(
            "Die Sendungsverfolgung ist seit mehr als {} unverändert (letzte Meldung {}), Versand {}.",
            span(*s),
            at(*last),
            route(*ship_from)
        ),
        Why::TrackingMoving {
            span: s,
            last,
            ship_from,
            lost_after,
        } => format!(
            "Die letzte Meldung der Sendungsverfolgung war am {}; eine Sendung {} gilt nach {} ohne Neuigkeiten als verloren, also nach {}.",
            at(*last),
            route(*ship_from),
            span(*s),
            at(*lost_after)
        ),
        Why::ConditionUnanswered => {
            "Bestätigen Sie, dass die Artikel unbenutzt, originalverpackt und vollständig sind."
                .to_owned()
        }
        Why::ConditionMet => {
            "Die Artikel sind unbenutzt, originalverpackt und vollständig.".to_owned()
        }
        Why::ConditionMissing(missing) => format!(
            "Die Artikel müssen {} sein.",
            super::list(Lang::De, missing.iter().map(|a| state(*a)))
        ),
        Why::NoneTagged { tag } => format!("Kein angefragter Artikel ist als „{tag}“ markiert."),
        Why::Tagged { titles, tag } => format!(
            "{}: als „{tag}“ markiert und daher ausgenommen.",
            super::list(Lang::De, titles)
        ),
        Why::ExchangesLeft { used, limit } => {
            format!("{used} von {limit} Umtauschen dieser Bestellung genutzt.")
        }
        Why::ExchangesUsedUp { limit: 1 } => {
            "Diese Bestellung wurde bereits einmal umgetauscht, öfter geht es nicht.".to_owned()
        }
        Why::ExchangesUsedUp { limit } => {
            format!("Diese Bestellung hat alle {limit} Umtausche bereits genutzt.")
        }
        Why::NotAChoice(r) => format!(
            "„{}“ ist hier nicht wählbar: Es wird wie beschrieben abgewickelt.",
            resolution(*r)
        ),
        Why::NotOffered { asked, offered } => format!(
            "„{}“ wird nicht angeboten; zur Wahl stehen: {}.",
            resolution(*asked),
            offered
                .iter()
                .map(|r| resolution(*r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Why::NotEnoughStock { stock } => {
            format!("Nicht genügend Artikel verfügbar. Nur noch {stock} vorrätig.")
        }
    }
}
