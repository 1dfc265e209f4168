//! When refunded money should arrive.

use chrono::NaiveDate;
use serde::Serialize;

use crate::policy::Policy;

/// The refund timeline for one receipt date, in the policy's business days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefundTimeline {
    /// The day the shop received the units.
    pub received_on: NaiveDate,
    /// The refund is processed by this day at the latest.
    pub processed_by: NaiveDate,
    /// The money should be credited on or after this day …
    pub credited_from: NaiveDate,
    /// … and by this day, when processing takes its full allowance.
    pub credited_by: NaiveDate,
    /// Without the money after this day, the customer follows `if_late`.
    pub late_after: NaiveDate,
    /// What to do when the money is late, in order.
    pub if_late: Vec<String>,
}

/// The timeline for units received on `received_on`; `None` when the policy
/// gives none. The bank's days are counted from the last processing day: the
/// dates are the latest the policy commits to, never promises it may miss.
pub fn refund_timeline(policy: &Policy, received_on: NaiveDate) -> Option<RefundTimeline> {
    let rule = policy.refund_timeline.as_ref()?;
    let cal = &policy.calendar;
    let processed_by = cal.add_business_days_to_date(received_on, rule.processing_business_days)?;
    Some(RefundTimeline {
        received_on,
        processed_by,
        credited_from: cal.add_business_days_to_date(processed_by, rule.bank_business_days.min)?,
        credited_by: cal.add_business_days_to_date(processed_by, rule.bank_business_days.max)?,
        late_after: cal.add_business_days_to_date(processed_by, rule.late_after_business_days)?,
        if_late: rule.if_late.clone(),
    })
}
