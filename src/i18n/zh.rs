//! 简体中文.

use super::Key;
use aftersale_engine::policy::{ConditionAnswer, Party};
use aftersale_engine::{Availability, Kind, Reason, Resolution};

pub fn text(key: Key) -> Option<&'static str> {
    Some(match key {
        Key::WhatYouCanDo => "此订单可办理的售后",
        Key::Kind(Kind::Cancel) => "取消订单",
        Key::Kind(Kind::Return) => "退货",
        Key::Kind(Kind::Exchange) => "换货",
        Key::Kind(Kind::Claim) => "问题申报",
        Key::Reason(None) => "任何原因",
        Key::Reason(Some(Reason::ChangedMind)) => "不想要了",
        Key::Reason(Some(Reason::WrongItem)) => "发错商品",
        Key::Reason(Some(Reason::Damaged)) => "商品到货损坏",
        Key::Reason(Some(Reason::MissingItems)) => "包裹内少件",
        Key::Reason(Some(Reason::NotShippedInTime)) => "未按时发货",
        Key::Reason(Some(Reason::NotReceived)) => "未收到包裹",
        Key::Reason(Some(Reason::LateForDeadline)) => "到货太晚，错过了我的期限",
        Key::Availability(Availability::Open) => "可以办理",
        Key::Availability(Availability::NotYet) => "暂不可办理",
        Key::Availability(Availability::Closed) => "已不可办理",
        Key::TimeLeft => "剩余",
        Key::Until => "截至",
        Key::OpensAfter => "开放于",
        Key::Choose => "选择",
        Key::Items => "商品",
        Key::Quantity => "数量",
        Key::Question(ConditionAnswer::Unused) => "商品未使用",
        Key::Question(ConditionAnswer::OriginalPackaging) => "保留原包装",
        Key::Question(ConditionAnswer::Complete) => "包裹内物品齐全",
        Key::ConditionLegend => "商品状况",
        Key::ResolutionLegend => "希望如何处理？",
        Key::Resolution(Resolution::Refund) => "退款",
        Key::Resolution(Resolution::StoreCredit) => "店铺余额",
        Key::Resolution(Resolution::Reship) => "重新发货",
        Key::ExchangeFor => "换成",
        Key::ExchangeNone => "选择商品",
        Key::InStock => "件有货",
        Key::Possible => "可以办理",
        Key::NotPossible => "无法办理",
        Key::Refund => "退款",
        Key::StoreCredit => "店铺余额",
        Key::Compensation => "补偿",
        Key::Fee => "手续费",
        Key::CustomerPays => "需补差价",
        Key::Reship => "我们将重新为您发货",
        Key::SendBack => "需寄回商品",
        Key::PaidBy(Party::Customer) => "退货运费由您承担",
        Key::PaidBy(Party::Merchant) => "退货运费由店铺承担",
        Key::NothingToSendBack => "无需寄回",
        Key::NextSteps => "接下来的步骤",
        Key::Why => "原因",
        Key::ClauseLabel => "政策条款",
        Key::PickItems => "请选择涉及的商品和数量。",
        Key::Days => "天",
        Key::Hours => "小时",
        Key::Minutes => "分",
        Key::Seconds => "秒",
        Key::ErrorTitle => "无法显示售后选项",
        Key::Email => "您的电子邮箱",
        Key::Submit => "提交申请",
        Key::Sending => "正在提交您的申请…",
        Key::RetryingIn => "无法连接店铺，稍后重试：",
        Key::Created => "申请已收到",
        Key::RequestId => "申请编号",
        Key::Rma => "RMA 编号",
        Key::RefusedByShop => "店铺无法受理此申请",
        Key::QuoteChanged => "店铺计算的金额与显示的不同",
        Key::AcceptNewQuote => "接受并提交",
        Key::InvalidEmail => "请填写店铺可以回复的电子邮箱。",
    })
}

pub fn clause(_id: &str) -> Option<&'static str> {
    None
}

pub fn step(_policy: &str, _id: &str) -> Option<&'static str> {
    None
}
