//! A cluster's figure: declared in model.yaml (number, nodes, relations),
//! checked with the rest of the content, and drawn as SVG where the category
//! text cites it and on the pages of the cluster's areas.

use crate::common::book::BookTest;

const CLUSTER: &str = "clusters:
  - id: direction
    name: Direction Cluster
    areas: [EF]
    figure: 3
    nodes:
      - {id: board, label: The board & its <committees>}
    relations:
      - {from: EF, to: board, label: reports to}
survey:
";

fn book(tag: &str) -> BookTest {
    BookTest::starter(tag)
        .edit("content/model.yaml", "survey:\n", CLUSTER)
        .edit(
            "content/categories/enterprise.md",
            "see [[EF]].",
            "see [[EF]].\n\nThis is depicted in Figure 3.\n\n*Figure 3: Direction Cluster*\n\nAfter the figure.",
        )
}

#[test]
fn a_figure_is_drawn_where_the_text_cites_it_and_on_its_areas_pages() {
    let built = book("figures-drawn").build();
    let cat = built.page("categories/enterprise/index.html");
    // The caption line became the figure, in place: before the text after it.
    assert!(
        !cat.contains("<em>Figure 3: Direction Cluster</em>"),
        "{cat}"
    );
    let fig = cat
        .find("<figure class=\"diagram\" id=\"figure-direction\">")
        .expect("figure");
    assert!(fig < cat.find("After the figure.").unwrap());
    built.has(
        "categories/enterprise/index.html",
        &[
            "<g role=\"img\" aria-labelledby=\"figure-direction-title\" aria-describedby=\"figure-direction-desc\">",
            "<title id=\"figure-direction-title\">Figure 3: Direction Cluster</title>",
            // Escaped, in the drawing and in the words beside it.
            "The board &amp; its &lt;committees&gt;",
            "marker-end=\"url(#figure-direction-arrow)\"",
            // The area's box links to its page, from this page's depth.
            "<a tabindex=\"-1\" aria-hidden=\"true\" href=\"../../areas/ef/index.html\">",
            "<li><a href=\"../../areas/ef/index.html\">EF Enterprise Focus</a> → The board &amp; its &lt;committees&gt;: reports to</li>",
        ],
    );
    assert!(!cat.contains("<committees>"));
    assert!(!cat.contains(" style="), "the CSP refuses style attributes");
    built
        .has(
            "areas/ef/index.html",
            &[
                "<h2 id=\"relates-h\">How this area relates</h2>",
                "id=\"figure-direction\"",
            ],
        )
        .lacks("areas/ef/index.html", &["Clusters: Direction Cluster"]);
    let json: serde_json::Value = serde_json::from_str(&built.page("model.json")).unwrap();
    let c = &json["clusters"][0];
    assert_eq!(c["figure"]["number"], 3);
    assert_eq!(c["figure"]["caption"], "Direction Cluster");
    assert_eq!(c["nodes"][0]["id"], "board");
    assert_eq!(c["relations"][0]["to"], "board");
    assert_eq!(c["relations"][0]["directed"], true);
}

#[test]
fn a_cluster_without_a_figure_reads_as_before() {
    let built = BookTest::starter("figures-none")
        .edit(
            "content/model.yaml",
            "survey:\n",
            "clusters:\n  - {id: plain, name: Plain Cluster, areas: [EF]}\nsurvey:\n",
        )
        .build();
    built
        .has("areas/ef/index.html", &["Clusters: Plain Cluster"])
        .lacks("areas/ef/index.html", &["<figure", "How this area relates"]);
    let json: serde_json::Value = serde_json::from_str(&built.page("model.json")).unwrap();
    let c = json["clusters"][0].as_object().unwrap();
    assert!(!c.contains_key("figure") && !c.contains_key("relations"));
}

#[test]
fn relations_name_parts_of_their_cluster_and_figures_have_one_number_each() {
    let t = book("figures-errors")
        .edit("content/model.yaml", "to: board,", "to: bord,")
        .edit("content/model.yaml", "{from: EF,", "{from: EF, to: EF, label: x}\n      - {from: EF,")
        .edit(
            "content/model.yaml",
            "survey:\n",
            "  - {id: again, name: Again, areas: [EF], figure: 3, nodes: [{id: EF, label: Twice}]}\nsurvey:\n",
        );
    let out = t.build_fails();
    // Each problem at once, each where it is written.
    assert!(
        out.contains("content/model.yaml:")
            && out.contains("no area or node `bord` in this cluster"),
        "{out}"
    );
    assert!(out.contains("did you mean `board`?"), "{out}");
    assert!(out.contains("a relation of `EF` to itself"), "{out}");
    assert!(out.contains("two clusters are Figure 3"), "{out}");
    assert!(out.contains("the cluster already has a part `EF`"), "{out}");
}

#[test]
fn a_figure_no_category_text_cites_is_a_warning() {
    let t = BookTest::starter("figures-uncited").edit("content/model.yaml", "survey:\n", CLUSTER);
    let (code, out) = t.check();
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("no category text has the caption of Figure 3"),
        "{out}"
    );
    assert!(out.contains("content/model.yaml:"), "{out}");
    let (_, cited) = book("figures-cited").check();
    assert!(!cited.contains("caption of Figure"), "{cited}");
}
