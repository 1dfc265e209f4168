//! Money: a decimal amount in one currency.
//!
//! This module is the only place that knows a currency's minor unit and the
//! only place that rounds. Amounts are [`Decimal`]s, never floats; arithmetic
//! between two [`Money`] values of different currencies is an error, not a
//! silent conversion, and overflow is an error, not a panic.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ISO 4217 currency the engine knows the minor unit of.
///
/// The list covers the major settlement currencies; an order in any other
/// currency is rejected with [`MoneyError::UnsupportedCurrency`] rather than
/// guessed at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    minor_digits: u32,
}

/// `(code, minor digits)` for every supported currency, sorted by code.
const CURRENCIES: &[(&str, u32)] = &[
    ("AED", 2),
    ("AUD", 2),
    ("BHD", 3),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("MXN", 2),
    ("MYR", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PHP", 2),
    ("PLN", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TND", 3),
    ("TRY", 2),
    ("TWD", 2),
    ("USD", 2),
    ("VND", 0),
    ("ZAR", 2),
];

impl Currency {
    /// The currency with this ISO 4217 code (upper case), if supported.
    pub fn from_code(code: &str) -> Option<Currency> {
        CURRENCIES
            .binary_search_by(|(c, _)| (*c).cmp(code))
            .ok()
            .map(|i| Currency {
                code: CURRENCIES[i].0,
                minor_digits: CURRENCIES[i].1,
            })
    }

    /// Every supported currency, sorted by code.
    pub fn all() -> impl Iterator<Item = Currency> {
        CURRENCIES
            .iter()
            .map(|&(code, minor_digits)| Currency { code, minor_digits })
    }

    /// The ISO 4217 code, e.g. `"USD"`.
    pub fn code(self) -> &'static str {
        self.code
    }

    /// Digits after the decimal point in the currency's minor unit:
    /// 2 for USD and EUR, 0 for JPY and KRW, 3 for KWD and BHD.
    pub fn minor_digits(self) -> u32 {
        self.minor_digits
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s).ok_or_else(|| MoneyError::UnsupportedCurrency(s.to_owned()))
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Currency {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Currency".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let codes: Vec<&str> = Currency::all().map(Currency::code).collect();
        schemars::json_schema!({
            "description": "An ISO 4217 code the engine knows the minor unit of.",
            "type": "string",
            "enum": codes,
        })
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

/// What can go wrong with money.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyError {
    /// The currency code is not one the engine knows the minor unit of.
    UnsupportedCurrency(String),
    /// Two amounts of different currencies were combined.
    CurrencyMismatch(Currency, Currency),
    /// The text is not a plain decimal number such as `"12.50"`.
    NotADecimal(String),
    /// The amount has more decimal places than the currency's minor unit.
    TooPrecise(String, Currency),
    /// A price or paid amount was negative.
    Negative(String),
    /// The result does not fit in a decimal (about 7.9 × 10²⁸).
    Overflow,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoneyError::UnsupportedCurrency(code) => {
                write!(
                    f,
                    "unsupported currency {code:?} (expected an ISO 4217 code such as \"USD\")"
                )
            }
            MoneyError::CurrencyMismatch(a, b) => {
                write!(f, "cannot combine amounts in {a} and {b}")
            }
            MoneyError::NotADecimal(s) => {
                write!(
                    f,
                    "{s:?} is not a decimal amount (expected a string such as \"12.50\")"
                )
            }
            MoneyError::TooPrecise(s, c) => write!(
                f,
                "{s:?} has more decimal places than {c} allows ({})",
                c.minor_digits
            ),
            MoneyError::Negative(s) => write!(f, "{s:?} is negative"),
            MoneyError::Overflow => f.write_str("amount too large"),
        }
    }
}

impl std::error::Error for MoneyError {}

/// A decimal number as it appears in the JSON contract: a string such as
/// `"12.50"`, never a JSON number (a JSON number would pass through a float).
///
/// It knows no currency yet; [`Money::from_amount`] checks it against one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Amount(pub Decimal);

impl Amount {
    /// Parses the contract's decimal notation: optional `-`, digits, optional
    /// `.` and digits. No exponent, no thousands separators, no spaces.
    pub fn parse(s: &str) -> Result<Amount, MoneyError> {
        let body = s.strip_prefix('-').unwrap_or(s);
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty()
            || !digits(int)
            || !digits(frac)
            || (body.contains('.') && frac.is_empty())
        {
            return Err(MoneyError::NotADecimal(s.to_owned()));
        }
        // Digits only by now: no exponent to read, so not `from_str`, which
        // would bring rust_decimal's scientific reader into the bundle.
        Decimal::from_str_exact(s)
            .map(Amount)
            .map_err(|_| MoneyError::NotADecimal(s.to_owned()))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A decimal string exactly as [`Amount::parse`] reads money and
/// percentages (`"12.50"`, `"-0"`; not `".5"`, `"5."` or `"+5"`), for the
/// schemas.
#[cfg(feature = "schema")]
pub(crate) const DECIMAL_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Money as a decimal string (\"12.50\"), never a JSON number, with at most the currency's minor digits.",
            "type": "string",
            "pattern": DECIMAL_PATTERN,
        })
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal string such as \"12.50\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                Amount::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// Rounds to the currency's minor unit, midpoint away from zero.
///
/// The engine's one rounding function: every computed fee, deduction or
/// compensation goes through it exactly once.
pub fn round(amount: Decimal, currency: Currency) -> Decimal {
    amount.round_dp_with_strategy(
        currency.minor_digits,
        RoundingStrategy::MidpointAwayFromZero,
    )
}

/// An amount in one currency, always within the currency's minor unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// Zero in `currency`.
    pub fn zero(currency: Currency) -> Money {
        Money {
            amount: Decimal::ZERO,
            currency,
        }
    }

    /// Checks a contract amount against `currency`: at most its minor digits,
    /// and not negative (prices and paid amounts never are).
    pub fn from_amount(amount: Amount, currency: Currency) -> Result<Money, MoneyError> {
        let text = amount.0.to_string();
        if amount.0.is_sign_negative() && !amount.0.is_zero() {
            return Err(MoneyError::Negative(text));
        }
        if amount.0.normalize().scale() > currency.minor_digits {
            return Err(MoneyError::TooPrecise(text, currency));
        }
        Ok(Money {
            amount: amount.0,
            currency,
        })
    }

    /// Parses a decimal string in `currency`; see [`Money::from_amount`].
    pub fn parse(s: &str, currency: Currency) -> Result<Money, MoneyError> {
        Money::from_amount(Amount::parse(s)?, currency)
    }

    /// The amount.
    pub fn amount(self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(self) -> Currency {
        self.currency
    }

    /// True when the amount is zero.
    pub fn is_zero(self) -> bool {
        self.amount.is_zero()
    }

    /// True when the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }

    /// `self + other`; an error for different currencies or on overflow.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.with(self.amount.checked_add(other.amount))
    }

    /// `self − other`; an error for different currencies or on overflow.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.with(self.amount.checked_sub(other.amount))
    }

    /// `self × quantity` (exact: no rounding needed).
    pub fn times(self, quantity: u32) -> Result<Money, MoneyError> {
        self.with(self.amount.checked_mul(Decimal::from(quantity)))
    }

    /// `percent`% of `self`, rounded once to the minor unit.
    pub fn percent(self, percent: Decimal) -> Result<Money, MoneyError> {
        let raw = self
            .amount
            .checked_mul(percent)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money {
            amount: round(raw, self.currency),
            currency: self.currency,
        })
    }

    /// `−self`.
    pub fn negate(self) -> Money {
        Money {
            amount: -self.amount,
            currency: self.currency,
        }
    }

    /// The larger of `self` and zero.
    pub fn max_zero(self) -> Money {
        if self.is_negative() {
            Money::zero(self.currency)
        } else {
            self
        }
    }

    fn with(self, amount: Option<Decimal>) -> Result<Money, MoneyError> {
        amount
            .map(|amount| Money {
                amount,
                currency: self.currency,
            })
            .ok_or(MoneyError::Overflow)
    }
}

/// Exactly the currency's minor digits: `"0.00"`, `"1500"`, `"2.500"`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.amount;
        shown.rescale(self.currency.minor_digits);
        if shown.is_zero() {
            shown.set_sign_positive(true);
        }
        fmt::Display::fmt(&shown, f)
    }
}

/// Serialised as the contract's decimal string (the currency is the order's).
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(code: &str) -> Currency {
        Currency::from_code(code).unwrap()
    }

    #[test]
    fn minor_digits_follow_iso_4217() {
        for (code, digits) in [
            ("USD", 2),
            ("EUR", 2),
            ("GBP", 2),
            ("CNY", 2),
            ("JPY", 0),
            ("KRW", 0),
            ("KWD", 3),
            ("BHD", 3),
        ] {
            assert_eq!(cur(code).minor_digits(), digits, "{code}");
        }
        assert!(Currency::from_code("XXX").is_none());
        assert!(Currency::from_code("usd").is_none());
    }

    #[test]
    fn currency_table_is_sorted_for_binary_search() {
        assert!(CURRENCIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(Currency::all().all(|c| Currency::from_code(c.code()) == Some(c)));
    }

    #[test]
    fn display_has_exactly_the_minor_digits() {
        assert_eq!(Money::parse("0", cur("USD")).unwrap().to_string(), "0.00");
        assert_eq!(
            Money::parse("12.5", cur("USD")).unwrap().to_string(),
            "12.50"
        );
        assert_eq!(
            Money::parse("1500", cur("JPY")).unwrap().to_string(),
            "1500"
        );
        assert_eq!(
            Money::parse("2.5", cur("KWD")).unwrap().to_string(),
            "2.500"
        );
        assert_eq!(Money::zero(cur("BHD")).to_string(), "0.000");
    }

    #[test]
    fn rounding_is_midpoint_away_from_zero() {
        let usd = cur("USD");
        assert_eq!(round(Decimal::new(5995, 4), usd), Decimal::new(60, 2)); // 0.5995 → 0.60
        assert_eq!(round(Decimal::new(125, 3), usd), Decimal::new(13, 2)); // 0.125 → 0.13
        assert_eq!(round(Decimal::new(-125, 3), usd), Decimal::new(-13, 2));
        assert_eq!(round(Decimal::new(124, 3), usd), Decimal::new(12, 2));
        assert_eq!(round(Decimal::new(5, 1), cur("JPY")), Decimal::ONE); // 0.5 → 1
        assert_eq!(round(Decimal::new(25, 1), cur("KRW")), Decimal::from(3)); // 2.5 → 3
        assert_eq!(
            round(Decimal::new(10005, 4), cur("KWD")),
            Decimal::new(1001, 3)
        ); // 1.0005 → 1.001
    }

    #[test]
    fn percent_rounds_once_per_currency() {
        // 2% of 24.99 = 0.4998 → 0.50
        let fee = Money::parse("24.99", cur("USD"))
            .unwrap()
            .percent(Decimal::from(2))
            .unwrap();
        assert_eq!(fee.to_string(), "0.50");
        // 5% of 1250 JPY = 62.5 → 63
        let fee = Money::parse("1250", cur("JPY"))
            .unwrap()
            .percent(Decimal::from(5))
            .unwrap();
        assert_eq!(fee.to_string(), "63");
        // 5% of 10.010 KWD = 0.5005 → 0.501
        let fee = Money::parse("10.010", cur("KWD"))
            .unwrap()
            .percent(Decimal::from(5))
            .unwrap();
        assert_eq!(fee.to_string(), "0.501");
    }

    #[test]
    fn currencies_cannot_be_mixed() {
        let a = Money::parse("1.00", cur("USD")).unwrap();
        let b = Money::parse("1.00", cur("EUR")).unwrap();
        assert_eq!(
            a.checked_add(b),
            Err(MoneyError::CurrencyMismatch(cur("USD"), cur("EUR")))
        );
        assert_eq!(
            a.checked_sub(b),
            Err(MoneyError::CurrencyMismatch(cur("USD"), cur("EUR")))
        );
    }

    #[test]
    fn bad_amounts_are_specific_errors() {
        let usd = cur("USD");
        assert_eq!(
            Money::parse("12.505", usd),
            Err(MoneyError::TooPrecise("12.505".into(), usd))
        );
        assert_eq!(
            Money::parse("1.5", cur("JPY")),
            Err(MoneyError::TooPrecise("1.5".into(), cur("JPY")))
        );
        assert_eq!(
            Money::parse("-1.00", usd),
            Err(MoneyError::Negative("-1.00".into()))
        );
        for bad in [
            "", "abc", "1e3", "1,00", " 1", "1.", ".5", "+1", "--1", "1.2.3", "NaN",
        ] {
            assert_eq!(
                Money::parse(bad, usd),
                Err(MoneyError::NotADecimal(bad.into())),
                "{bad:?}"
            );
        }
        // Trailing zeros beyond the minor unit carry no extra precision.
        assert_eq!(Money::parse("12.500", usd).unwrap().to_string(), "12.50");
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let big = Money::parse("79228162514264337593543950335", cur("JPY")).unwrap();
        assert_eq!(big.times(2), Err(MoneyError::Overflow));
        assert_eq!(big.checked_add(big), Err(MoneyError::Overflow));
        assert_eq!(big.percent(Decimal::from(100)), Err(MoneyError::Overflow));
    }
}
