//! The model's words counted: singular for one, the plural for many, by the
//! English rule or as `terms` gives it (`{one, other}`).

use crate::common::book::BookTest;

#[test]
fn counts_take_the_singular_for_one_and_the_plural_for_many() {
    let t = BookTest::starter("vocabulary-counts")
        .edit(
            "content/model.yaml",
            "  category: Category\n",
            "  category: { one: Family, other: Familia }\n",
        )
        .edit(
            "content/model.yaml",
            "  practice: Practice\n",
            "  practice: Activity\n",
        );
    let built = t.build();
    // One category, one area, one objective; two practices (by the rule: y -> ies);
    // a mapping's `other` is used as written.
    built.has(
        "index.html",
        &["1 family · 1 competency area · 1 competency objective · 2 activities · 2 generic goals with 3 generic practices"],
    );
    built.lacks(
        "index.html",
        &["categorys", "1 competency areas", "familys"],
    );
    let json: serde_json::Value = serde_json::from_str(&built.page("model.json")).unwrap();
    assert_eq!(json["terms"]["category"], "Family");
    assert_eq!(json["terms_plural"]["category"], "Familia");
    assert_eq!(json["terms_plural"]["practice"], "Activities");
}

#[test]
fn a_mapping_of_words_needs_its_one_and_nothing_else() {
    let t = BookTest::starter("vocabulary-errors").edit(
        "content/model.yaml",
        "  category: Category\n",
        "  category: { other: Families, few: Some }\n",
    );
    let out = t.build_fails();
    assert!(out.contains("unknown field `few`"), "{out}");
    assert!(out.contains("`one`"), "{out}");
}
