//! Property tests (proptest) of the loader's pieces: the front matter split,
//! YAML into the model, `[[...]]` parsing and slugs. Nothing may panic, and
//! every position reported must lie inside the input. Failing inputs that
//! proptest finds are kept beside this file (fuzz.proptest-regressions) and replayed first.
//! `PROPTEST_CASES` bounds the run (CI uses the default, 256 per property).

use proptest::prelude::*;
use refbook::markdown::{self, MdOptions, Target};
use refbook::model::slug;

/// Text that looks like the files of a book: front matter fences, keys,
/// YAML punctuation, wikilinks, odd Unicode and control characters.
fn bookish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_string()),
        Just("...\n".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("code: EF\n".to_string()),
        Just("name: N\ncategory: enterprise\npurpose: P\n".to_string()),
        Just("objectives:\n  - id: EF-1\n    title: T\n    statement: S\n".to_string()),
        Just(
            "    practices:\n      - { id: EF-1.1, title: A, statement: \"[[EF-1\" }\n".to_string()
        ),
        Just("related: [".to_string()),
        Just("elaborations:\n  GG2.GP1: |\n    text\n".to_string()),
        Just("[[".to_string()),
        Just("]]".to_string()),
        Just("|".to_string()),
        Just(": ".to_string()),
        Just("- ".to_string()),
        Just("  ".to_string()),
        Just("&a *a !!str ? {}".to_string()),
        "[a-zA-Z0-9 .:_-]{0,12}",
        "\\PC{0,6}",
        "[\u{0}-\u{1f}]{0,3}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn lines(text: &str) -> u32 {
    text.split('\n').count() as u32 + 1
}

proptest! {
    #[test]
    fn slugs_are_safe_path_segments(id in "\\PC{0,40}") {
        let s = slug(&id);
        prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{s}");
        prop_assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"), "{s}");
        prop_assert_eq!(slug(&s), s.clone());
    }

    #[test]
    fn yaml_errors_point_inside_the_text(text in bookish()) {
        if let Err(e) = refbook::yaml::parse(&text) {
            prop_assert!(e.pos.line >= 1 && e.pos.line <= lines(&text), "{e:?}");
        }
    }

    #[test]
    fn area_files_decode_without_panic_and_positions_stay_inside(text in bookish()) {
        let (_, diags) = refbook::load::area_from_str("content/areas/X.md", &text);
        for d in &diags {
            prop_assert!(d.loc.line <= lines(&text), "{} for {:?}", refbook::diag::short(d), text);
        }
    }

    #[test]
    fn wikilinks_are_found_where_they_stand(text in bookish()) {
        let opts = MdOptions { allow_html: false, heading_shift: 1, inline: false, footnote_prefix: "f-".into() };
        let r = markdown::render(&text, &opts, |id| (id == "EF-1").then_some(Target { url: "areas/ef/ef-1/index.html".into(), title: "T".into() }));
        for (_, range) in r.refs.iter().chain(&r.unresolved) {
            prop_assert!(range.end <= text.len() && text.is_char_boundary(range.start), "{range:?}");
            prop_assert!(text[range.clone()].starts_with("[["), "{:?}", &text[range.clone()]);
        }
        prop_assert!(!r.html.contains("<script"), "{}", r.html);
    }
}

proptest! {
    // Whole books on disk are slower: fewer cases.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn a_book_with_any_area_file_checks_without_panic(text in bookish()) {
        let dir = std::env::temp_dir().join(format!("refbook-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        refbook::init::write(&dir).unwrap();
        std::fs::write(dir.join("content/areas/EF.md"), &text).unwrap();
        let (_, diags) = refbook::check(&dir);
        let _ = refbook::diag::render(&diags, &refbook::diag::DiskSources::new(&dir), false);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
