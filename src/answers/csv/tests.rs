use super::*;
use crate::answers::read_csv;
use crate::scoring::Survey;

fn survey() -> Survey {
    serde_json::from_value(serde_json::json!({
        "model": "m", "scale": [{"value": 0}, {"value": 1}], "performed_at": 1, "not_applicable": true,
        "levels": [{"level": 0}, {"level": 1}],
        "areas": [{"code": "A", "objectives": [{"id": "A-1", "practices": [{"id": "A-1.1"}, {"id": "A-1.2"}]}]}]
    }))
    .unwrap()
}

#[test]
fn only_the_quote_export_puts_on_comes_off() {
    for (cell, text) in [
        ("'=1", "=1"),
        ("''-x", "'-x"),
        ("'\tx", "\tx"),
        ("'x", "'x"),
        ("x'", "x'"),
        ("'", "'"),
        ("=1", "=1"),
    ] {
        assert_eq!(unquote(cell), text, "{cell:?}");
    }
}

#[test]
fn numbers_are_read_as_json_reads_them() {
    assert!(matches!(number("2"), Some(Value::Int(2))));
    assert!(matches!(number("-1"), Some(Value::Int(-1))));
    assert!(matches!(number("0.5"), Some(Value::Float(f)) if f == 0.5));
    for not in ["", " 2", "2 ", "02", "+2", "2.", "x", "na"] {
        assert!(number(not).is_none(), "{not:?}");
    }
}

#[test]
fn a_table_reads_and_writes_again() {
    let text = "area,id,title,answer,label,note,reason,in_scope,target,respondent_organization,respondent_scope,respondent_assessor,respondent_date,model,model_version,format,version,evidence_1_href,evidence_1_description\r\n\
        A,A-1.1,One,1,Yes,\"a, \"\"b\"\"\",,yes,1,'=Org,,,,m,,refbook-survey,2,DOC-1,\r\n\
        A,A-1.2,Two,na,Not applicable,,'-why,yes,1,'=Org,,,,m,,refbook-survey,2,,\r\n";
    let read = read_csv(text, "t.csv", &survey()).unwrap_or_else(|e| panic!("{:?}", e.0));
    let f = &read.file;
    assert_eq!(f.respondent.organization.as_deref(), Some("=Org"));
    assert_eq!(f.scope.areas_in_scope, Some(vec!["A".to_string()]));
    assert_eq!(f.answers["A-1.1"].note.as_deref(), Some("a, \"b\""));
    assert_eq!(f.answers["A-1.2"].reason.as_deref(), Some("-why"));
    assert_eq!(f.evidence["A-1.1"][0].href, "DOC-1");
    let layout = Layout {
        questions: vec![
            Row {
                area: "A".into(),
                id: "A-1.1".into(),
                title: "One".into(),
            },
            Row {
                area: "A".into(),
                id: "A-1.2".into(),
                title: "Two".into(),
            },
        ],
        areas: vec![("A".into(), "Area".into())],
        labels: vec![(0, "No".into()), (1, "Yes".into())],
    };
    assert_eq!(write(f, &layout), text);
}

#[test]
fn an_empty_file_and_a_header_alone_say_so() {
    for text in ["", "\u{feff}", "\r\n\r\n"] {
        let Err(crate::answers::Invalid(d)) = read_csv(text, "t.csv", &survey()) else {
            panic!("read {text:?}");
        };
        assert_eq!(d[0].message, "the file is empty");
    }
    let Err(crate::answers::Invalid(d)) =
        read_csv("id,answer,model,format,version\r\n", "t.csv", &survey())
    else {
        panic!("read");
    };
    assert!(d[0].message.contains("no rows"), "{d:?}");
}
