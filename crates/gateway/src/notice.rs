//! The legal risk notice for a held or blocked request, in English and
//! Chinese, built only from facts: what was found, where it would go,
//! under which law and mechanism, why it was stopped, and what a person
//! must check or fix next.
//!
//! NOTE: the decision's reason is written in English by the decision code,
//! so the Chinese notice quotes it untranslated.

use std::fmt::Write;

use audit::Decision;
use inspect::{Category, Report};
use serde::Serialize;
use whitelist::{Destination, Mechanism, Regime};

use crate::exporter::Exporter;

/// The notice in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub en: String,
    pub zh: String,
}

/// The facts a notice is built from.
#[derive(Debug, Clone, Copy)]
pub struct NoticeFacts<'a> {
    pub decision: Decision,
    pub reason: &'a str,
    /// The host the client asked for, as recorded.
    pub host: &'a str,
    pub exporter: Option<&'a Exporter>,
    pub destination: Option<&'a Destination>,
    pub mechanism: Option<&'a Mechanism>,
    /// `None` when the body could not be inspected or was never read.
    pub report: Option<&'a Report>,
}

/// Builds the notice for a refusal. Only held and blocked requests get one.
pub fn legal_notice(facts: &NoticeFacts<'_>) -> Option<Notice> {
    if !matches!(facts.decision, Decision::Held | Decision::Blocked) {
        return None;
    }
    Some(Notice {
        en: english(facts),
        zh: chinese(facts),
    })
}

fn english(facts: &NoticeFacts<'_>) -> String {
    let mut text = String::new();
    let verdict = match facts.decision {
        Decision::Held => "Held for approval by two administrators",
        _ => "Blocked",
    };
    let _ = write!(text, "{verdict}: {}. ", facts.reason);
    match facts.report {
        Some(report) if report.personal_data => {
            let found: Vec<String> = report
                .findings
                .iter()
                .map(|finding| {
                    let marker = if finding.sensitive { ", sensitive" } else { "" };
                    format!("{} ({}{marker})", finding.category, finding.count)
                })
                .collect();
            let _ = write!(
                text,
                "The request carries {} about an estimated {} individual(s). ",
                found.join(", "),
                report.subjects
            );
        }
        Some(_) => text.push_str("No personal data was found in the request. "),
        None => text.push_str("The request was not inspected in full. "),
    }
    match facts.destination {
        Some(destination) => {
            let _ = write!(
                text,
                "Destination: {} in {} ({}), whitelist entry {}, purpose \"{}\". ",
                destination.recipient,
                destination.country.name(),
                destination.country,
                destination.id,
                destination.purpose
            );
        }
        None => {
            // The reason gives the cause: the host matched no entry, or the request
            // was refused before its destination was looked up.
            let _ = write!(text, "No whitelist entry applies to {}. ", facts.host);
        }
    }
    if let Some(exporter) = facts.exporter {
        let name = exporter.name.as_deref().unwrap_or("the exporter");
        let _ = write!(
            text,
            "Exporter: {name} ({}); applicable law: {}. ",
            exporter.country,
            Regime::of(exporter.country)
        );
    }
    if let Some(mechanism) = facts.mechanism {
        let _ = write!(text, "Mechanism: {}. ", describe_mechanism(mechanism));
    }
    text.push_str(match facts.decision {
        Decision::Held => {
            "Before approving, check that the export is necessary for this purpose, that it \
             contains only what the recipient needs, that the individuals were informed and, \
             where the law requires it, gave separate consent to the transfer abroad, and that \
             the mechanism covers these categories."
        }
        _ => {
            "Nothing was sent. If the transfer is needed, the data protection officer must first \
             put a valid mechanism covering these categories in place, or review the \
             destination, before the whitelist or the mechanism registry is changed."
        }
    });
    text
}

fn chinese(facts: &NoticeFacts<'_>) -> String {
    let mut text = String::new();
    let verdict = match facts.decision {
        Decision::Held => "已暂扣，须经两名管理员批准",
        _ => "已阻止",
    };
    let _ = write!(text, "{verdict}。原因（英文）：{}。", facts.reason);
    match facts.report {
        Some(report) if report.personal_data => {
            let found: Vec<String> = report
                .findings
                .iter()
                .map(|finding| {
                    let marker = if finding.sensitive { "，敏感" } else { "" };
                    format!(
                        "{}（{} 处{marker}）",
                        category_zh(finding.category),
                        finding.count
                    )
                })
                .collect();
            let _ = write!(
                text,
                "请求包含{}，估计涉及 {} 名个人。",
                found.join("、"),
                report.subjects
            );
        }
        Some(_) => text.push_str("请求中未发现个人信息。"),
        None => text.push_str("请求未能完整检查。"),
    }
    match facts.destination {
        Some(destination) => {
            let _ = write!(
                text,
                "接收方：{}，位于 {}（{}），白名单条目 {}，目的：“{}”。",
                destination.recipient,
                destination.country.name(),
                destination.country,
                destination.id,
                destination.purpose
            );
        }
        None => {
            let _ = write!(text, "目的地 {} 没有适用的白名单条目。", facts.host);
        }
    }
    if let Some(exporter) = facts.exporter {
        let name = exporter.name.as_deref().unwrap_or("数据出境方");
        let _ = write!(
            text,
            "出境方：{name}（{}）；适用法律：{}。",
            exporter.country,
            regime_zh(Regime::of(exporter.country))
        );
    }
    if let Some(mechanism) = facts.mechanism {
        let _ = write!(text, "出境机制：{}。", describe_mechanism(mechanism));
    }
    text.push_str(match facts.decision {
        Decision::Held => {
            "批准前请核实：出境对该目的确有必要；数据仅限接收方所需；已告知个人，并在法律要求时取得\
             个人对出境的单独同意；出境机制涵盖上述类别。"
        }
        _ => {
            "数据未发送。如确需传输，须由个人信息保护负责人先落实涵盖上述类别的有效出境机制或完成\
             目的地复核，然后再修改白名单或机制登记。"
        }
    });
    text
}

/// The mechanism's id, kind and state, as facts (dates and references
/// are the same in both languages).
fn describe_mechanism(mechanism: &Mechanism) -> String {
    let mut text = format!("{} ({}", mechanism.id, mechanism.kind);
    if let Some(module) = mechanism.module {
        let _ = write!(text, ", module {module}");
    }
    let _ = write!(text, "), signed {}", mechanism.signed_on);
    if let Some(expiry) = mechanism.effective_expiry() {
        let _ = write!(text, ", valid until {expiry}");
    }
    if let Some(reference) = &mechanism.reference {
        let _ = write!(text, ", reference {reference}");
    }
    if mechanism.suspended {
        text.push_str(", SUSPENDED");
    }
    text
}

fn regime_zh(regime: Regime) -> String {
    match regime {
        Regime::Gdpr => "欧盟《通用数据保护条例》（GDPR）".into(),
        Regime::UkGdpr => "英国 GDPR".into(),
        Regime::Pipl => "《中华人民共和国个人信息保护法》".into(),
        Regime::Other(country) => format!("{}（{}）的法律", country.name(), country),
    }
}

/// The category's name in Chinese, as used in notices.
fn category_zh(category: Category) -> &'static str {
    match category {
        Category::Email => "电子邮箱",
        Category::Phone => "电话号码",
        Category::PersonName => "姓名",
        Category::PostalAddress => "通信地址",
        Category::DateOfBirth => "出生日期",
        Category::IpAddress => "IP 地址",
        Category::CnResidentId => "居民身份证号码",
        Category::UsSsn => "美国社会安全号码",
        Category::UkNino => "英国国民保险号码",
        Category::Passport => "护照号码",
        Category::PaymentCard => "支付卡号",
        Category::Iban => "国际银行账号（IBAN）",
        Category::BankAccount => "银行账号",
        Category::Health => "健康信息",
        Category::Biometric => "生物识别信息",
        Category::PreciseLocation => "精确位置",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            personal_data: true,
            sensitive: true,
            subjects: 3,
            findings: vec![inspect::Finding {
                category: Category::CnResidentId,
                count: 3,
                sensitive: true,
                samples: Vec::new(),
                minor: false,
                locations: Vec::new(),
            }],
            decoded_bytes: 10,
            subject_keys: Vec::new(),
        }
    }

    #[test]
    fn notice_states_facts_in_both_languages() {
        let report = report();
        let exporter = Exporter {
            name: Some("Example Trading (Shanghai) Co., Ltd.".into()),
            country: "CN".parse().unwrap(),
        };
        let facts = NoticeFacts {
            decision: Decision::Held,
            reason: "sensitive personal data (cn_resident_id) requires two-administrator approval",
            host: "api.partner.example",
            exporter: Some(&exporter),
            destination: None,
            mechanism: None,
            report: Some(&report),
        };
        let notice = legal_notice(&facts).unwrap();
        assert!(
            notice
                .en
                .starts_with("Held for approval by two administrators: sensitive")
        );
        assert!(
            notice
                .en
                .contains("cn_resident_id (3, sensitive) about an estimated 3")
        );
        assert!(notice.en.contains("applicable law: PIPL"));
        assert!(notice.zh.starts_with("已暂扣，须经两名管理员批准"));
        assert!(notice.zh.contains("居民身份证号码（3 处，敏感）"));
        assert!(notice.zh.contains("《中华人民共和国个人信息保护法》"));
        assert!(
            notice
                .zh
                .contains("目的地 api.partner.example 没有适用的白名单条目")
        );
    }

    #[test]
    fn allowed_requests_get_no_notice() {
        let facts = NoticeFacts {
            decision: Decision::Allowed,
            reason: "no personal data found",
            host: "a.example",
            exporter: None,
            destination: None,
            mechanism: None,
            report: None,
        };
        assert!(legal_notice(&facts).is_none());
    }
}
