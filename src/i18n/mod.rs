//! Texts in the customer's language: one catalogue per language, each a
//! function from a [`Key`] to its text. English is complete; a missing text
//! in another catalogue falls back to English.

mod de;
mod en;
mod zh;

use aftersale_engine::policy::{ConditionAnswer, Party};
use aftersale_engine::{Availability, Kind, Policy, Reason, Resolution, Why};
use chrono::{DateTime, Utc};

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
        Lang::of_language(locale).unwrap_or(Lang::En)
    }

    /// The catalogue of the locale's own language, if there is one (`fr-FR`
    /// has none).
    pub fn of_language(locale: &str) -> Option<Lang> {
        [Lang::En, Lang::De, Lang::Zh]
            .into_iter()
            .find(|l| language_of(locale).eq_ignore_ascii_case(l.code()))
    }

    /// The language subtag a policy files its translations under.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Zh => "zh",
        }
    }

    /// The BCP 47 tag of the catalogue's texts, for the `lang` attribute of
    /// what shows them (a screen reader reads them in that language's voice,
    /// whatever the host page's language).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Zh => "zh-Hans",
        }
    }

    /// The locale the browser's `Intl` writes money, dates, countdowns and
    /// file sizes in for a customer in `locale`, so that they read in the
    /// catalogue's language: `locale` itself where the catalogue is of its
    /// language and script (`de-CH`, `en-GB`, `zh-CN`), else the
    /// catalogue's tag in the locale's region. `fr-FR` gets `en-FR`: "15
    /// December 2026 at 09:00" in an English sentence, not "15 décembre 2026
    /// à 09:00"; `ar-EG` gets `en-EG`, with Western digits; `zh-Hant-TW`
    /// gets `zh-Hans-TW`, with no 小時 among Simplified characters. (`Intl`
    /// takes the language alone where it does not know the pair.)
    pub fn intl_locale(self, locale: &str) -> String {
        let (mut script, mut region) = (None, None);
        for part in locale.split(['-', '_']).skip(1) {
            let letters = part.bytes().all(|b| b.is_ascii_alphabetic());
            match part.len() {
                // An extension (`-u-ca-buddhist`) or private use: no more
                // script or region.
                1 => break,
                4 if letters => {
                    script.get_or_insert(part);
                }
                2 if letters => {
                    region.get_or_insert(part);
                }
                3 if part.bytes().all(|b| b.is_ascii_digit()) => {
                    region.get_or_insert(part);
                }
                _ => {}
            }
        }
        let traditional = match script {
            Some(s) => s.eq_ignore_ascii_case("Hant"),
            None => {
                region.is_some_and(|r| ["TW", "HK", "MO"].iter().any(|t| r.eq_ignore_ascii_case(t)))
            }
        };
        if Lang::of_language(locale) == Some(self) && !(self == Lang::Zh && traditional) {
            return locale.to_owned();
        }
        match region {
            Some(r) => format!("{}-{}", self.tag(), r.to_ascii_uppercase()),
            None => self.tag().to_owned(),
        }
    }

    /// The catalogue's writing direction, for the `dir` attribute beside
    /// [`Lang::tag`]: every catalogue is written left to right, and a shop
    /// whose pages are right to left (`<html dir="rtl">`) must not turn the
    /// widget's sentences around ("Not possible." shown as ".Not possible").
    pub fn dir(self) -> &'static str {
        "ltr"
    }
}

/// A locale's language subtag (`de` of `de-AT`, `en` of `en_US`).
pub fn language_of(locale: &str) -> &str {
    locale.split(['-', '_']).next().unwrap_or("")
}

/// Every text of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Key {
    WhatYouCanDo,
    Kind(Kind),
    Reason(Option<Reason>),
    Availability(Availability),
    /// `{t}`: a countdown ("{t} left").
    TimeLeft,
    /// Between a label and what it labels: ": " (Chinese: a full-width "：").
    Colon,
    /// `{t}`: a note after what it is about, in parentheses: " ({t})"
    /// (Chinese: full-width, with no space before, "（{t}）").
    Aside,
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
    PickExchange,
    NotFor,
    Days,
    Hours,
    Minutes,
    Seconds,
    ErrorTitle,
    Email,
    Submit,
    Sending,
    RetryingIn,
    RetryingNotKept,
    /// The order or policy could not be read yet; "{n}": seconds to the next try.
    LoadRetrying,
    BeforeShipment,
    NewItem,
    PendingRequest,
    Created,
    RequestId,
    Rma,
    /// A step the shop's receipt of the request did: "{rma}", "{files}".
    StepRmaDone,
    StepPhotosDone,
    /// [`Key::StepPhotosDone`] for one photo: "{files}".
    StepPhotoDone,
    /// The photos on their way after the request: "{sent}", "{total}", "{n}".
    StepPhotosSending,
    StepPhotosRetrying,
    /// A photo the shop did not take: "{name}", "{message}".
    StepPhotosRefused,
    /// The bar of the photos' bytes on their way.
    PhotosBar,
    RefusedByShop,
    /// The shop answered a request with neither a decision nor a reason
    /// (a malformed payload, a wrong endpoint); its message follows.
    NotTaken,
    YourRequests,
    ReceivedAt,
    /// A request's status in the reference backend.
    StatusRequested,
    StatusApproved,
    StatusItemReceived,
    StatusRefunded,
    StatusCredited,
    StatusReshipped,
    StatusRejected,
    /// Refusals for a conflict with the order's other open requests, by the
    /// server's `conflict` code.
    ConflictUnitsTaken,
    ConflictAlreadyOpen,
    ConflictUnitsInRequests,
    ConflictOrderCancelled,
    ConflictExchangeMeanwhile,
    ConflictOther,
    /// An option the policy leaves open that the order's other requests
    /// already ask for: its status, and why when all its units are taken.
    AlreadyRequested,
    AllUnitsRequested,
    /// "{n} already in your requests", beside a line's quantity.
    UnitsInYourRequests,
    QuoteChanged,
    AcceptNewQuote,
    StartAnother,
    StopSending,
    Remove,
    PhotoRemove,
    InvalidEmail,
    IfYouOrderNow,
    UntilItShips,
    OnceShipped,
    OnItsWay,
    AfterDelivery,
    NotOffered,
    Photos,
    /// The button that picks photos to add.
    AddPhotos,
    /// The photo rule: "{wanted}" ([`PhotoCount::Wanted`]), "{types}"
    /// ([`or_list`] of the types' names), "{size}".
    PhotosHint,
    /// A file of a type the shop does not take: "{name}", "{types}".
    PhotoType,
    PhotoTooLarge,
    PhotoNotAsked,
    Review,
    ReviewTitle,
    ReviewSentTitle,
    Change,
    Request,
    Email2,
    RefundWhen,
    ReceivedOn,
    ProcessedBy,
    CreditedBetween,
    IfLateAfter,
}

/// What the terms bundle gives for a text only the order widget shows:
/// built without the `orders` feature, its catalogues leave those texts
/// out, and no summary of a product or cart page asks for one (the e2e
/// product flow reads the summaries, in each language, for this).
pub const NOT_IN_TERMS_BUNDLE: &str = "[a text of order pages]";

/// The text for `key` in `lang`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    let text = match lang {
        Lang::En => None,
        Lang::De => de::text(key),
        Lang::Zh => zh::text(key),
    };
    text.unwrap_or_else(|| en::text(key))
}

/// The text of a conflict with the order's other requests (`None`: one
/// this widget does not know).
pub fn conflict_key(conflict: Option<aftersale_engine::capacity::Conflict>) -> Key {
    use aftersale_engine::capacity::Conflict;
    match conflict {
        Some(Conflict::UnitsTaken) => Key::ConflictUnitsTaken,
        Some(Conflict::AlreadyOpen) => Key::ConflictAlreadyOpen,
        Some(Conflict::UnitsInRequests) => Key::ConflictUnitsInRequests,
        Some(Conflict::OrderCancelled) => Key::ConflictOrderCancelled,
        Some(Conflict::ExchangeMeanwhile) => Key::ConflictExchangeMeanwhile,
        None => Key::ConflictOther,
    }
}

/// How an action reads: "Return items: I changed my mind", or just
/// "Cancel the order" (a cancel's reason is not shown).
pub fn action_label(lang: Lang, kind: Kind, reason: Option<Reason>) -> String {
    match reason {
        Some(r) if kind != Kind::Cancel => format!(
            "{}{}{}",
            t(lang, Key::Kind(kind)),
            t(lang, Key::Colon),
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

/// How a catalogue shows an instant: in the customer's locale and time zone.
pub type At<'a> = &'a dyn Fn(DateTime<Utc>) -> String;

/// The engine's reasons as sentences in `lang` (every catalogue words every
/// reason), joined as that language joins sentences.
pub fn whys(lang: Lang, whys: &[Why], at: At) -> String {
    let say = match lang {
        Lang::En => en::why,
        Lang::De => de::why,
        Lang::Zh => zh::why,
    };
    let said: Vec<String> = whys.iter().map(|w| say(w, at)).collect();
    sentences(lang, &said)
}

/// Sentences one after another as `lang` writes them (Chinese without spaces).
pub fn sentences(lang: Lang, parts: &[String]) -> String {
    parts.join(sentence_gap(lang))
}

/// What goes between two sentences in `lang`: a space, none in Chinese.
pub fn sentence_gap(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "" } else { " " }
}

/// Items as `lang` lists them: "a, b, and c", "a, b und c", "a、b和c".
pub fn list<S: AsRef<str>>(lang: Lang, items: impl IntoIterator<Item = S>) -> String {
    join(lang, items, false)
}

/// Alternatives as `lang` lists them: "a, b, or c", "a, b oder c", "a、b或c".
pub fn or_list<S: AsRef<str>>(lang: Lang, items: impl IntoIterator<Item = S>) -> String {
    join(lang, items, true)
}

fn join<S: AsRef<str>>(lang: Lang, items: impl IntoIterator<Item = S>, or: bool) -> String {
    let items: Vec<S> = items.into_iter().collect();
    let (comma, and) = match (lang, or) {
        (Lang::En, false) if items.len() > 2 => (", ", ", and "),
        (Lang::En, false) => (", ", " and "),
        (Lang::En, true) if items.len() > 2 => (", ", ", or "),
        (Lang::En, true) => (", ", " or "),
        (Lang::De, false) => (", ", " und "),
        (Lang::De, true) => (", ", " oder "),
        (Lang::Zh, false) => ("、", "和"),
        (Lang::Zh, true) => ("、", "或"),
    };
    match items.as_slice() {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{}{and}{}", init.join(comma), last.as_ref())
        }
    }
}

/// A window as the terms before buying show it: "within 30 days of the
/// order", "within 10 days of delivery".
pub fn window(lang: Lang, w: aftersale_engine::policy::Window) -> String {
    match lang {
        Lang::En => en::window(w),
        Lang::De => de::window(w),
        Lang::Zh => zh::window(w),
    }
}

/// A sentence about a number of photos, worded for the number (one photo,
/// several).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoCount {
    /// What the policy's rule asks for, as the photo hint's opening words
    /// (no full stop): "Attach 1 to 5 photos", "Attach one photo".
    Wanted {
        /// At least this many.
        min: u32,
        /// At most this many.
        max: u32,
    },
    /// Fewer picked than the rule's least.
    TooFew(u32),
    /// More picked than the rule's most.
    TooMany(u32),
    /// This many photos' files stayed in a page that was left.
    Lost(usize),
}

/// The text of `count` in `lang`.
pub fn photo_count(lang: Lang, count: PhotoCount) -> String {
    match lang {
        Lang::En => en::photo_count(count),
        Lang::De => de::photo_count(count),
        Lang::Zh => zh::photo_count(count),
    }
}

/// When an option that opens on the way does, if tracking must stay silent
/// for `span`: "after 10 days without tracking news".
pub fn silence(lang: Lang, span: aftersale_engine::policy::Span) -> String {
    match lang {
        Lang::En => en::silence(span),
        Lang::De => de::silence(span),
        Lang::Zh => zh::silence(span),
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

/// One of a policy's texts as the widget shows it, and the language it is
/// in where that is not the catalogue's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Words {
    /// The text.
    pub text: String,
    /// Set for the policy's own words where the policy names their language
    /// (`language`) and it is not the catalogue's: the `lang` of what shows
    /// them.
    pub lang: Option<String>,
}

impl Words {
    /// A translation, or the catalogue's words: in the catalogue's
    /// language.
    pub(crate) fn translated(text: &str) -> Words {
        Words {
            text: text.to_owned(),
            lang: None,
        }
    }

    /// The policy's own words, in the language it names.
    fn own(lang: Lang, policy: &Policy, text: &str) -> Words {
        Words {
            text: text.to_owned(),
            lang: policy.language.clone().filter(|l| l != lang.code()),
        }
    }
}

/// A clause's words in `lang`: the policy's own translation if it has one
/// (`translations`), else the catalogue's where `policy` says what its
/// built-in preset says, else the policy's own words. A shop's own edition
/// of a preset (its id, another version) keeps the words it changed rather
/// than show a translation of the preset's.
pub fn clause_words(lang: Lang, policy: &Policy, id: &str) -> Words {
    if let Some(text) = policy
        .translations
        .get(lang.code())
        .and_then(|t| t.clauses.get(id))
    {
        return Words::translated(text);
    }
    let own = said_by(policy, id);
    clause_text(lang, id)
        .filter(|_| {
            own.is_some() && crate::built_in(&policy.id).is_some_and(|p| said_by(&p, id) == own)
        })
        .map_or_else(
            || Words::own(lang, policy, own.unwrap_or_default()),
            Words::translated,
        )
}

/// A step's words in `lang`, `own` being the policy's, chosen as for
/// [`clause_words`].
pub fn step_words(lang: Lang, policy: &Policy, id: &str, own: &str) -> Words {
    let translated = policy
        .translations
        .get(lang.code())
        .and_then(|t| t.steps.get(id));
    match translated {
        Some(text) => Words::translated(text),
        None => catalogue_words(lang, policy, id, own, |preset| {
            preset.steps.iter().any(|s| s.id == id && s.text == own)
        }),
    }
}

/// The refund timeline's `i`-th thing to do when the money is late, in
/// `lang`, `own` being the policy's, chosen as for [`clause_words`].
pub fn late_words(lang: Lang, policy: &Policy, i: usize, own: &str) -> Words {
    let translated = policy
        .translations
        .get(lang.code())
        .and_then(|t| t.if_late.get(i));
    match translated {
        Some(text) => Words::translated(text),
        None => catalogue_words(lang, policy, &format!("if_late.{i}"), own, |preset| {
            preset
                .refund_timeline
                .as_ref()
                .and_then(|t| t.if_late.get(i))
                .is_some_and(|text| text == own)
        }),
    }
}

/// The catalogue's text `key` of the policy's built-in preset, where the
/// preset says what the policy says (`same`), else `own`.
fn catalogue_words(
    lang: Lang,
    policy: &Policy,
    key: &str,
    own: &str,
    same: impl Fn(&Policy) -> bool,
) -> Words {
    step_text(lang, &policy.id, key)
        .filter(|_| crate::built_in(&policy.id).is_some_and(|preset| same(&preset)))
        .map_or_else(|| Words::own(lang, policy, own), Words::translated)
}

/// What `policy`'s clause (or its fallback) `id` says.
fn said_by<'a>(policy: &'a Policy, id: &str) -> Option<&'a str> {
    match policy.clause(id) {
        Some(c) => Some(&c.text),
        None => (policy.otherwise.id == id).then_some(&policy.otherwise.text),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use aftersale_engine::Policy;

    #[test]
    fn photos_are_counted_as_each_language_counts_them() {
        use PhotoCount::*;
        let say = |lang, c| photo_count(lang, c);
        assert_eq!(
            say(Lang::En, Wanted { min: 1, max: 5 }),
            "Attach 1 to 5 photos"
        );
        assert_eq!(say(Lang::En, Wanted { min: 1, max: 1 }), "Attach one photo");
        assert_eq!(say(Lang::En, Wanted { min: 3, max: 3 }), "Attach 3 photos");
        assert_eq!(
            say(Lang::En, Wanted { min: 0, max: 1 }),
            "Attach up to one photo"
        );
        assert_eq!(say(Lang::En, TooFew(1)), "Attach at least one photo.");
        assert_eq!(say(Lang::En, TooMany(4)), "Attach at most 4 photos.");
        assert!(say(Lang::En, Lost(1)).starts_with("The photo you picked stayed"));
        assert!(say(Lang::En, Lost(1)).contains("email it to"));
        assert!(say(Lang::En, Lost(2)).starts_with("The 2 photos you picked"));
        assert_eq!(
            say(Lang::De, Wanted { min: 1, max: 1 }),
            "Fügen Sie ein Foto bei"
        );
        assert_eq!(
            say(Lang::De, Wanted { min: 0, max: 5 }),
            "Fügen Sie bis zu 5 Fotos bei"
        );
        assert_eq!(
            say(Lang::De, TooFew(1)),
            "Fügen Sie mindestens ein Foto bei."
        );
        assert_eq!(
            say(Lang::De, TooMany(2)),
            "Fügen Sie höchstens 2 Fotos bei."
        );
        assert!(say(Lang::De, Lost(1)).starts_with("Ihr Foto blieb"));
        assert_eq!(say(Lang::Zh, Wanted { min: 2, max: 2 }), "请附上 2 张照片");
        assert_eq!(say(Lang::Zh, TooFew(1)), "请至少附上 1 张照片。");
    }

    #[test]
    fn alternatives_are_listed_with_or() {
        assert_eq!(or_list(Lang::En, ["JPEG"]), "JPEG");
        assert_eq!(or_list(Lang::En, ["JPEG", "PNG"]), "JPEG or PNG");
        assert_eq!(
            or_list(Lang::En, ["JPEG", "PNG", "HEIC"]),
            "JPEG, PNG, or HEIC"
        );
        assert_eq!(
            or_list(Lang::De, ["JPEG", "PNG", "HEIC"]),
            "JPEG, PNG oder HEIC"
        );
        assert_eq!(
            or_list(Lang::Zh, ["JPEG", "PNG", "HEIC"]),
            "JPEG、PNG或HEIC"
        );
    }

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

    /// German takes a span in the case its place asks for: "nach 10 Tagen"
    /// (dative) but "(5 Werktage)", "hatte 5 Werktage nach dem Kauf".
    #[test]
    fn german_spans_take_their_case() {
        use aftersale_engine::policy::{Span, Unit};
        let due = "2026-04-01T14:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let span = Span {
            length: 5,
            unit: Unit::BusinessDays,
        };
        let at = |_: DateTime<Utc>| "1. April".to_owned();
        let waiting = whys(Lang::De, &[Why::AwaitingTracking { span, due }], &at);
        assert!(waiting.contains("(5 Werktage)"), "{waiting}");
        let late = whys(Lang::De, &[Why::Untracked { span, due }], &at);
        assert!(late.contains("hatte 5 Werktage nach dem Kauf"), "{late}");
        let ten = Span {
            length: 10,
            unit: Unit::Days,
        };
        assert_eq!(
            silence(Lang::De, ten),
            "nach 10 Tagen ohne Neuigkeiten der Sendungsverfolgung"
        );
    }

    /// Every reason the engine gives, in every language, as a sentence that
    /// carries its instants (as the customer's zone shows them) and figures.
    #[test]
    fn every_language_words_every_reason_with_its_instants_and_figures() {
        use aftersale_engine::policy::{Anchor, Span, Unit};
        use aftersale_engine::scenario::ShipFrom;
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let (a, b) = (t("2026-04-01T14:00:00Z"), t("2026-04-11T14:00:00Z"));
        let span = |length, unit| Span { length, unit };
        let (days, hours) = (span(30, Unit::Days), span(24, Unit::Hours));
        let business = span(5, Unit::BusinessDays);
        let from = Anchor::Placed;
        let ship_from = ShipFrom::GlobalStandard;
        // Each reason with the figures its sentence must carry ("@" marks an
        // instant as `at` shows it).
        let cases: Vec<(Why, &[&str])> = vec![
            (Why::Shipped, &[]),
            (Why::NotShipped, &[]),
            (Why::Delivered, &[]),
            (Why::NotDelivered, &[]),
            (
                Why::WindowNotStarted {
                    span: hours,
                    from: Anchor::Delivered,
                },
                &["24"],
            ),
            (
                Why::Within {
                    span: days,
                    from,
                    until: Some(a),
                },
                &["30", "@04-01 14:00"],
            ),
            (
                Why::Within {
                    span: days,
                    from,
                    until: None,
                },
                &["30"],
            ),
            (
                Why::WindowClosed {
                    span: days,
                    from,
                    closed: a,
                },
                &["30", "@04-01 14:00"],
            ),
            (Why::PromiseNotStarted { span: business }, &["5"]),
            (
                Why::TrackedInTime {
                    span: business,
                    due: a,
                },
                &["5", "@04-01"],
            ),
            (
                Why::AwaitingTracking {
                    span: business,
                    due: a,
                },
                &["5", "@04-01"],
            ),
            (
                Why::Untracked {
                    span: business,
                    due: a,
                },
                &["5", "@04-01"],
            ),
            (Why::TrackingRecent, &[]),
            (
                Why::TrackingStale {
                    span: days,
                    last: a,
                    ship_from,
                },
                &["30", "@04-01"],
            ),
            (
                Why::TrackingMoving {
                    span: days,
                    last: a,
                    ship_from,
                    lost_after: b,
                },
                &["30", "@04-01", "@04-11"],
            ),
            (Why::ConditionUnanswered, &[]),
            (Why::ConditionMet, &[]),
            (Why::ConditionMissing(vec![ConditionAnswer::Complete]), &[]),
            (
                Why::NoneTagged {
                    tag: "replacement".into(),
                },
                &["replacement"],
            ),
            (
                Why::Tagged {
                    titles: vec!["Vinyl, red".into()],
                    tag: "replacement".into(),
                },
                &["Vinyl, red", "replacement"],
            ),
            (Why::ExchangesLeft { used: 0, limit: 2 }, &["0", "2"]),
            (Why::ExchangesUsedUp { limit: 3 }, &["3"]),
            (Why::NotAChoice(Resolution::Reship), &[]),
            (
                Why::NotOffered {
                    asked: Resolution::Reship,
                    offered: vec![Resolution::Refund],
                },
                &[],
            ),
            (Why::NotEnoughStock { stock: 2 }, &["2"]),
        ];
        let at = |t: DateTime<Utc>| t.format("@%m-%d %H:%M").to_string();
        for lang in [Lang::En, Lang::De, Lang::Zh] {
            for (why, figures) in &cases {
                let said = whys(lang, std::slice::from_ref(why), &at);
                assert!(said.ends_with(['.', '。']), "{lang:?} {why:?}: {said}");
                for f in *figures {
                    assert!(said.contains(f), "{lang:?} {why:?} lacks {f}: {said}");
                }
                assert!(!said.contains("UTC"), "{lang:?} {why:?}: {said}");
            }
        }
        // The resolutions and answers are the catalogue's own words.
        let offered = Why::NotOffered {
            asked: Resolution::Reship,
            offered: vec![Resolution::StoreCredit],
        };
        assert_eq!(
            whys(Lang::De, &[offered], &at),
            "„Erneut senden“ wird nicht angeboten; zur Wahl stehen: Guthaben."
        );
    }

    #[test]
    fn intl_writes_in_the_catalogue_s_language_and_the_customer_s_region() {
        let cases = [
            // The catalogue's own language: the locale as given, extensions
            // (a calendar the customer asked for) and all.
            ("en-US", "en-US"),
            ("en-GB", "en-GB"),
            ("de-CH", "de-CH"),
            ("de-DE-u-ca-buddhist", "de-DE-u-ca-buddhist"),
            ("zh-CN", "zh-CN"),
            ("zh-Hans-TW", "zh-Hans-TW"),
            ("de", "de"),
            // Another language: the catalogue's, in the customer's region.
            ("fr-FR", "en-FR"),
            ("ar-EG", "en-EG"),
            ("es-419", "en-419"),
            ("fr", "en"),
            ("sr-Latn-RS", "en-RS"),
            ("pt-BR-u-nu-latn", "en-BR"),
            // Traditional Chinese, said or implied by the region.
            ("zh-Hant-TW", "zh-Hans-TW"),
            ("zh-TW", "zh-Hans-TW"),
            ("zh-hk", "zh-Hans-HK"),
            ("zh-Hant", "zh-Hans"),
        ];
        for (locale, wanted) in cases {
            let lang = Lang::for_locale(locale);
            assert_eq!(lang.intl_locale(locale), wanted, "{locale}");
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

    #[test]
    fn lists_are_joined_as_each_language_joins_them() {
        let items = |n: usize| -> Vec<String> {
            ["a", "b", "c"][..n].iter().map(|s| s.to_string()).collect()
        };
        assert_eq!(list(Lang::En, items(1)), "a");
        assert_eq!(list(Lang::En, items(2)), "a and b");
        assert_eq!(list(Lang::En, items(3)), "a, b, and c");
        assert_eq!(list(Lang::De, items(3)), "a, b und c");
        assert_eq!(list(Lang::Zh, items(3)), "a、b和c");
        assert_eq!(list(Lang::Zh, Vec::<String>::new()), "");
        let missing = Why::ConditionMissing(vec![
            ConditionAnswer::Unused,
            ConditionAnswer::OriginalPackaging,
            ConditionAnswer::Complete,
        ]);
        assert_eq!(
            whys(Lang::En, &[missing], &|_| String::new()),
            "The items must be unused, in their original packaging, and complete."
        );
    }
}
