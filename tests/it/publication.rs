//! The OPF book as its source (004) prints it: typical work products before
//! subpractices, and its authors as printed on the title page.

use crate::common::book::BookTest;

#[test]
fn opf_prints_work_products_before_subpractices_and_names_its_authors() {
    let t = BookTest::copy_of("publication-opf", "examples/rmm-opf");
    let built = t.build();
    let page = built.page("areas/opf/opf-sg1-sp1/index.html");
    let wp = page
        .find("Typical work products</h2>")
        .expect("work products");
    let sp = page.find("<h2>Subpractices</h2>").expect("subpractices");
    assert!(wp < sp, "004 prints typical work products first");
    let print = built.page("print/index.html");
    let (wp, sp) = (
        print.find("Typical work products:").unwrap(),
        print.find("class=\"subpractices\"").unwrap(),
    );
    assert!(wp < sp, "and so does the print edition");
    let authors = "Richard A. Caralli, Julia H. Allen, David W. White, Lisa R. Young, Nader Mehravari, Pamela D. Curtis";
    built.has("index.html", &[authors]);
    built.has("print/index.html", &[authors]);
}

/// A page is cited only where it is known: an area's source page is where the
/// area starts, so its objectives and practices show their own page or none.
#[test]
fn source_lines_cite_each_elements_own_page() {
    let built = BookTest::starter("source-pages")
        .edit(
            "content/model.yaml",
            "terms:\n",
            "sources:\n  - {id: rep, short: REP-1, citation: A report.}\nterms:\n",
        )
        .edit(
            "content/areas/EF.md",
            "category: enterprise\n",
            "category: enterprise\nsource: {document: rep, section: Appendix A, page: 7}\n",
        )
        .edit(
            "content/areas/EF.md",
            "        statement: Critical success factors",
            "        page: 8\n        statement: Critical success factors",
        )
        .build();
    built
        .has(
            "areas/ef/index.html",
            &["Source: REP-1, Appendix A, p. 7</p>"],
        )
        .has(
            "areas/ef/ef-1/index.html",
            &["Source: REP-1, Appendix A</p>"],
        )
        .has(
            "areas/ef/ef-1-1/index.html",
            &["Source: REP-1, Appendix A</p>"],
        )
        .has(
            "areas/ef/ef-1-2/index.html",
            &["Source: REP-1, Appendix A, p. 8</p>"],
        );
    let json: serde_json::Value = serde_json::from_str(&built.page("model.json")).unwrap();
    let o = &json["areas"][0]["objectives"][0];
    assert!(o.get("page").is_none(), "no page where none is given");
    assert_eq!(o["practices"][1]["page"], "8");
}
