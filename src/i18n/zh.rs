//! 简体中文.

use super::{At, Key, Lang, PhotoCount};
use aftersale_engine::policy::{Anchor, ConditionAnswer, Party, Span, Unit, Window};
use aftersale_engine::scenario::ShipFrom;
use aftersale_engine::{Availability, Kind, Reason, Resolution, Why};

pub fn text(key: Key) -> Option<&'static str> {
    Some(match key {
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
        Key::Colon => "：",
        Key::Aside => "（{t}）",
        Key::Until => "截至",
        Key::OpensAfter => "开放于",
        Key::Possible => "可以办理",
        Key::NotPossible => "无法办理",
        Key::Refund => "退款",
        Key::StoreCredit => "店铺余额",
        Key::Compensation => "补偿",
        Key::Fee => "手续费",
        Key::Reship => "我们将重新为您发货",
        Key::PaidBy(Party::Customer) => "退货运费由您承担",
        Key::PaidBy(Party::Merchant) => "退货运费由店铺承担",
        Key::Days => "天",
        Key::Hours => "小时",
        Key::Minutes => "分钟",
        Key::Seconds => "秒",
        Key::ErrorTitle => "无法显示售后选项",
        Key::NotOffered => "不提供",
        Key::IfYouOrderNow => "如果现在下单",
        Key::UntilItShips => "发货前",
        Key::OnceShipped => "发货后",
        Key::BeforeShipment => "发货前",
        Key::OnItsWay => "运输途中",
        Key::AfterDelivery => "签收后",
        Key::LoadRetrying => "无法连接店铺，暂时无法显示您的订单。将在 {n} 秒后重试。",
        // The texts of product and cart pages above; the order widget's
        // below, out of the terms bundle (as in the English catalogue).
        // The marker, not the English text: a summary's text put below by
        // mistake must not read in English unnoticed.
        _ if !cfg!(feature = "orders") => super::NOT_IN_TERMS_BUNDLE,
        Key::WhatYouCanDo => "此订单可办理的售后",
        Key::Availability(Availability::Open) => "可以办理",
        Key::Availability(Availability::NotYet) => "暂不可办理",
        Key::Availability(Availability::Closed) => "不可办理",
        Key::TimeLeft => "还剩{t}",
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
        Key::NewItem => "新商品",
        Key::ExchangeNone => "选择商品",
        Key::InStock => "件有货",
        Key::CustomerPays => "需补差价",
        Key::SendBack => "需寄回商品",
        Key::NothingToSendBack => "无需寄回",
        Key::NextSteps => "接下来的步骤",
        Key::Why => "原因",
        Key::ClauseLabel => "政策条款",
        Key::PickItems => "请选择涉及的商品和数量。",
        Key::PickExchange => "请选择想要换成的商品。",
        Key::NotFor => "不适用于",
        Key::Email => "您的电子邮箱",
        Key::Submit => "提交申请",
        Key::Sending => "正在提交您的申请…",
        Key::RetryingIn => "无法连接店铺。您的申请已保存在此浏览器中，将在 {n} 秒后重新发送。",
        Key::RetryingNotKept => {
            "无法连接店铺。此浏览器无法保存您的申请，请不要关闭此页面：将在 {n} 秒后重新发送。"
        }
        Key::PendingRequest => "您的申请",
        Key::Created => "申请已收到",
        Key::RequestId => "申请编号",
        Key::Rma => "RMA 编号",
        Key::StepRmaDone => {
            "已完成：商家已为您提供 RMA 编号 {rma}。联系商家时请提供此编号，并将其写在包裹上。"
        }
        Key::StepPhotosDone | Key::StepPhotoDone => "已完成：您的照片（{files}）已随申请一并发送。",
        Key::StepPhotosSending => {
            "正在发送您的照片：已有 {sent}/{total} 张送达店铺。请保持此页面打开。"
        }
        Key::StepPhotosRetrying => {
            "您的照片暂未送达店铺（已送达 {sent}/{total} 张）。将在 {n} 秒后重试；请保持此页面打开。"
        }
        Key::PhotosBar => "照片上传进度",
        Key::StepPhotosRefused => {
            "店铺未接收 {name}：{message}。请通过电子邮件将照片发送给店铺客服，并注明您的申请。"
        }
        Key::RefusedByShop => "店铺无法受理此申请",
        Key::NotTaken => "店铺未接收此申请。请稍后再试，或凭以下信息联系店铺。",
        Key::YourRequests => "您对此订单的申请",
        Key::ReceivedAt => "提交于",
        Key::StatusRequested => "等待店铺处理",
        Key::StatusApproved => "已批准",
        Key::StatusItemReceived => "店铺已收到商品",
        Key::StatusRefunded => "已退款",
        Key::StatusCredited => "已发放店铺余额",
        Key::StatusReshipped => "已重新发货",
        Key::StatusRejected => "店铺已拒绝",
        Key::ConflictUnitsTaken => "其中部分商品已在本订单的另一个未完成申请中。",
        Key::ConflictAlreadyOpen => "本订单已有相同的未完成申请。",
        Key::ConflictUnitsInRequests => "订单无法整体取消：部分商品已在其他未完成的申请中。",
        Key::ConflictOrderCancelled => "本订单已有未完成的取消申请，无法再为其提交其他申请。",
        Key::ConflictExchangeMeanwhile => {
            "与此同时，本订单已有另一个换货申请。请重新加载页面，查看仍可办理的事项。"
        }
        Key::AlreadyRequested => "已申请",
        Key::AllUnitsRequested => "可申请的商品均已在您本订单的申请中。",
        Key::UnitsInYourRequests => "{n} 件已在您的申请中",
        Key::ConflictOther => "本订单的另一个未完成申请与此申请冲突。",
        Key::QuoteChanged => "店铺计算的金额与显示的不同",
        Key::AcceptNewQuote => "接受并提交",
        Key::StartAnother => "提交另一项申请",
        Key::StopSending => "停止发送",
        Key::Remove => "移除",
        Key::PhotoRemove => "移除 {name}",
        Key::InvalidEmail => "请填写店铺可以回复的电子邮箱。",
        Key::Photos => "照片",
        Key::AddPhotos => "添加照片",
        Key::PhotosHint => "{wanted}：{types}，每张不超过 {size}。照片将随您的申请一并发送给店铺。",
        Key::PhotoType => "{name}：店铺只接受 {types} 图片。",
        Key::PhotoTooLarge => "{name} 超过 {size}。",
        Key::PhotoNotAsked => "此申请无需照片。",
        Key::Review => "检查申请",
        Key::ReviewTitle => "发送前请检查您的申请",
        Key::ReviewSentTitle => "商家收到的申请内容",
        Key::Change => "修改",
        Key::Request => "申请",
        Key::Email2 => "电子邮箱",
        Key::RefundWhen => "退款何时到账",
        Key::ReceivedOn => "如果店铺在以下日期收到商品",
        Key::ProcessedBy => "退款处理截止",
        Key::CreditedBetween => "到账时间",
        Key::IfLateAfter => "以下日期后仍未到账",
    })
}

pub fn clause(id: &str) -> Option<&'static str> {
    Some(match id {
        "htvront.cancel_before_shipment" => {
            "发货前取消的订单，金额将转为下次订单的余额；不支持退款。"
        }
        "htvront.cancel_after_shipment" => "由于业务性质和所发材料的原因，订单发货后我们无法退款。",
        "htvront.claim_window" => "发错、损坏或少件须在签收后 10 天内申报。",
        "htvront.wrong_product" => {
            "如果我们发错了商品，将全额退款或计入您的下次订单（补发商品除外）。"
        }
        "htvront.damaged" => "如果商品到货时已损坏，我们将重新发货或将其金额计入您的下次订单。",
        "htvront.missing" => "如果包裹少件，我们将补发缺少的商品或将其金额计入您的下次订单。",
        "htvront.not_shipped_in_time" => {
            "如果下单后 5 个工作日（节假日顺延）仍无物流单号，我们将补偿订单金额的 20%。"
        }
        "htvront.not_received" => {
            "如果物流超过 10 天（美国仓发货）或 25 天（全球标准配送）未更新，我们将补偿订单金额的 20% 并重新发货。"
        }
        "htvront.slow_logistics" => "我们不会因订单错过您的期限而退款，也不补偿收入损失。",
        "htvront.exchange" => {
            "每个订单在发货前可更换一次更高或更低价值的商品：您补差价，或我们退还差价。"
        }
        "htvront.not_offered" => {
            "此申请不在 HTVRont 售后政策范围内：订单问题以无需退货的申报方式处理。其他问题请联系客服。"
        }
        "xtelary.cancel_shipped" => "订单发货后，我们不再接受取消。",
        "xtelary.cancel_free" => "购买后 24 小时内取消的订单将全额退款。",
        "xtelary.cancel_fee" => "购买超过 24 小时但尚未发货的订单取消时，平台收取 2% 的取消费。",
        "xtelary.not_covered" => {
            "Xtelary 不受理无需退货的申报：商品发错或损坏请申请退货或换货，或发邮件至 support@xtelary.com。"
        }
        "xtelary.window" => "购买后 30 天内可退货或换货。",
        "xtelary.condition" => {
            "因个人原因退回的商品须未使用、无损坏、配件齐全并保留原包装；否则不予退款，买家承担全部费用。"
        }
        "xtelary.merchant_fault" => {
            "发错或损坏的商品（掉漆、电机损坏、亚克力板损坏等）全额退款，退货运费由我们承担；问题照片可替代状况检查。"
        }
        "xtelary.personal_reason" => {
            "因个人原因退货，退款将扣除平台 5% 的交易手续费，退货运费由买家承担。"
        }
        "xtelary.exchange" => {
            "30 天内换货将双向结算差价，不收交易手续费；个人原因的退货运费由买家承担，发错或损坏的由我们承担。"
        }
        "xtelary.not_offered" => {
            "此申请不在 Xtelary 退换货政策范围内：退换货适用于不想要、发错和损坏的商品。请发邮件至 support@xtelary.com。"
        }
        _ => return None,
    })
}

pub fn step(policy: &str, id: &str) -> Option<&'static str> {
    Some(match (policy, id) {
        ("xtelary", "if_late.0") => "请再次核对您的银行账户：必须是购买时使用的账户。",
        ("xtelary", "if_late.1") => "请联系您的信用卡或借记卡公司：退款入账可能需要一些时间。",
        ("xtelary", "if_late.2") => "请联系您的银行：退款显示之前通常有一段处理时间。",
        ("xtelary", "if_late.3") => "如果仍未收到退款，请联系 support@xtelary.com。",
        ("htvront", "photos") => "拍下损坏情况的照片，提供给客服。",
        ("htvront", "verify") => "客服与您核实情况后，安排退款、余额或重新发货。",
        ("htvront", "no_return") => "商品无需寄回，请自行保留。",
        ("xtelary", "rma") => "请先发邮件至 support@xtelary.com 获取 RMA 编号。",
        ("xtelary", "photos") => "在该邮件中附上问题照片。",
        ("xtelary", "packaging") => "确认原包装仍在，并用原包装打包商品。",
        ("xtelary", "proof_of_purchase") => "附上收据或购买凭证：此为必需。",
        ("xtelary", "fingerprint") => "寄回前请删除摇表器指纹锁中录入的指纹。",
        ("xtelary", "return_address") => {
            "将商品寄到客服提供的退货地址，切勿寄往原发货地址或制造商。"
        }
        ("xtelary", "refund_after_qc") => "我们收到商品并完成质检后为您退款。",
        _ => return None,
    })
}

fn span(s: Span) -> String {
    let unit = match s.unit {
        Unit::Hours => "小时",
        Unit::Days => "天",
        Unit::BusinessDays => "个工作日",
    };
    format!("{} {unit}", s.length)
}

fn anchor(a: Anchor) -> &'static str {
    match a {
        Anchor::Placed => "下单",
        Anchor::Shipped => "发货",
        Anchor::Delivered => "签收",
        Anchor::LastTracking => "最后一次物流更新",
    }
}

fn route(s: ShipFrom) -> &'static str {
    match s {
        ShipFrom::UsWarehouse => "美国仓发货",
        ShipFrom::GlobalStandard => "全球标准物流",
    }
}

fn state(a: ConditionAnswer) -> &'static str {
    match a {
        ConditionAnswer::Unused => "未使用",
        ConditionAnswer::OriginalPackaging => "保留原包装",
        ConditionAnswer::Complete => "配件齐全",
    }
}

fn resolution(r: Resolution) -> &'static str {
    super::t(super::Lang::Zh, Key::Resolution(r))
}

/// A window as the terms before buying show it.
pub fn window(w: Window) -> String {
    format!("{}后 {}内", anchor(w.from), span(w.span()))
}

/// When an option on the way opens: "物流 10 天无更新后".
pub fn photo_count(count: PhotoCount) -> String {
    match count {
        PhotoCount::Wanted { min: 0, max } => format!("最多可附上 {max} 张照片"),
        PhotoCount::Wanted { min, max } if min == max => format!("请附上 {max} 张照片"),
        PhotoCount::Wanted { min, max } => format!("请附上 {min} 至 {max} 张照片"),
        PhotoCount::TooFew(n) => format!("请至少附上 {n} 张照片。"),
        PhotoCount::TooMany(n) => format!("最多附上 {n} 张照片。"),
        PhotoCount::Lost(n) => format!(
            "您选择的 {n} 张照片留在了已离开的页面中，未能送达店铺。请通过电子邮件将照片发送给店铺客服，并注明您的申请。"
        ),
    }
}

pub fn silence(s: Span) -> String {
    format!("物流 {}无更新后", span(s))
}

/// A reason of the engine as a sentence.
pub fn why(why: &Why, at: At) -> String {
    match why {
        Why::Shipped => "订单已发货。".to_owned(),
        Why::NotShipped => "订单尚未发货。".to_owned(),
        Why::Delivered => "订单已签收。".to_owned(),
        Why::NotDelivered => "订单尚未签收。".to_owned(),
        Why::WindowNotStarted { span: s, from } => {
            format!(
                "{}的期限自{}起计算，目前尚未开始。",
                span(*s),
                anchor(*from)
            )
        }
        Why::Within {
            span: s,
            from,
            until,
        } => match until {
            Some(t) => format!("在{}后 {}内，截至 {}。", anchor(*from), span(*s), at(*t)),
            None => format!("在{}后 {}内。", anchor(*from), span(*s)),
        },
        Why::WindowClosed {
            span: s,
            from,
            closed,
        } => format!(
            "{}后 {}的期限已于 {} 结束。",
            anchor(*from),
            span(*s),
            at(*closed)
        ),
        Why::PromiseNotStarted { span: s } => format!("{}的发货时限尚未开始计算。", span(*s)),
        Why::TrackedInTime { span: s, due } => {
            format!("订单已在 {}内（{} 前）获得物流单号。", span(*s), at(*due))
        }
        Why::AwaitingTracking { span: s, due } => {
            format!("订单可在 {}（{}）前获得物流单号。", at(*due), span(*s))
        }
        Why::Untracked { span: s, due } => {
            format!("下单 {}后（{}）订单仍无物流单号。", span(*s), at(*due))
        }
        Why::TrackingRecent => "物流信息最近有更新。".to_owned(),
        Why::TrackingStale {
            span: s,
            last,
            ship_from,
        } => format!(
            "物流信息已超过 {}未更新（最后更新于 {}，{}）。",
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
            "物流最后更新于 {}；{}的订单在 {}无更新后视为丢失，即 {} 之后。",
            at(*last),
            route(*ship_from),
            span(*s),
            at(*lost_after)
        ),
        Why::ConditionUnanswered => "请确认商品未使用、保留原包装且配件齐全。".to_owned(),
        Why::ConditionMet => "商品未使用、保留原包装且配件齐全。".to_owned(),
        Why::ConditionMissing(missing) => format!(
            "商品必须{}。",
            super::list(Lang::Zh, missing.iter().map(|a| state(*a)))
        ),
        Why::NoneTagged { tag } => format!("所选商品均未标记为“{tag}”。"),
        Why::Tagged { titles, tag } => {
            format!("{}：标记为“{tag}”，不适用。", super::list(Lang::Zh, titles))
        }
        Why::ExchangesLeft { used, limit } => {
            format!("此订单已换货 {used} 次（最多 {limit} 次）。")
        }
        Why::ExchangesUsedUp { limit } => format!("此订单已用完 {limit} 次换货机会。"),
        Why::NotAChoice(r) => format!("此处不能选择“{}”：将按上述方式处理。", resolution(*r)),
        Why::NotOffered { asked, offered } => format!(
            "不提供“{}”；可选：{}。",
            resolution(*asked),
            offered
                .iter()
                .map(|r| resolution(*r))
                .collect::<Vec<_>>()
                .join("、")
        ),
        Why::NotEnoughStock { stock } => format!("库存不足，仅剩 {stock} 件。"),
    }
}
