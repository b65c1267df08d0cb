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
