//! `refbook report --format oscal`: the answer files as OSCAL assessment
//! results ([`crate::oscal::results`]), from the same JSON the results page
//! makes them from in the browser: the survey data, and each file's answers
//! as the format page writes them (a CSV file as the JSON it stands for).

use crate::answers::AnswerFile;
use crate::oscal::results::{Input, assessment_results};
use crate::scoring::AnswerValue;
use serde_json::{Map, Value, json};

/// What OSCAL assessment results are made of.
#[derive(Debug, Clone, Default)]
pub struct Kept {
    pub survey: Value,
    pub files: Vec<Value>,
}

/// An answer file read (and checked) as the JSON the format page gives.
pub fn file_json(f: &AnswerFile) -> Value {
    let mut answers = Map::new();
    for (id, a) in &f.answers {
        let mut e = Map::new();
        match &a.value {
            Some(AnswerValue::Number(n)) => e.insert("value".into(), json!(n)),
            Some(AnswerValue::NotApplicable) => e.insert("value".into(), json!("na")),
            Some(AnswerValue::Other(v)) => e.insert("value".into(), v.clone()),
            None => None,
        };
        if let Some(n) = &a.note {
            e.insert("note".into(), json!(n));
        }
        if let Some(r) = &a.reason {
            e.insert("reason".into(), json!(r));
        }
        if let Some(ev) = f.evidence.get(id) {
            e.insert("evidence".into(), json!(ev));
        }
        answers.insert(id.clone(), Value::Object(e));
    }
    let mut out = json!({"respondent": f.respondent, "answers": answers});
    if let Some(list) = &f.scope.areas_in_scope {
        out["areas_in_scope"] = json!(list);
    }
    out
}

/// The assessment results as text. Their time is `SOURCE_DATE_EPOCH` when it
/// is set (the reproducible-builds convention: the same files then give the
/// same bytes), else the clock's.
pub fn render(k: &Kept) -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    let now = utc(secs);
    let doc = assessment_results(&Input {
        survey: &k.survey,
        files: &k.files,
        now: &now,
    });
    String::from_utf8(crate::oscal::to_bytes(&doc)).unwrap_or_default()
}

/// Seconds since 1970 as an OSCAL date-time in UTC (`2026-12-01T03:04:05Z`).
fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Days to a civil date (the proleptic Gregorian calendar).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_in_utc() {
        assert_eq!(super::utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(super::utc(1_796_094_245), "2026-12-01T03:04:05Z");
    }
}
