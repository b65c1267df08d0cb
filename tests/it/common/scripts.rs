//! The theme's scripts as pages load them: which scripts a page names, and
//! which scripts each of the theme's scripts declares it loads after (the
//! `Loads after:` line of its header comment).

use super::ROOT;
use std::collections::BTreeMap;
use std::path::Path;

/// The scripts a page loads, in order, by their name under `assets/`
/// (`survey-store.js`), with whether they are deferred.
pub fn page_scripts(html: &str) -> Vec<(String, bool)> {
    html.split("<script ")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            let src = tag.split("src=\"").nth(1)?.split('"').next()?;
            let name = src.rsplit("assets/").next()?;
            Some((name.to_string(), tag.contains(" defer")))
        })
        .collect()
}

/// The scripts a page runs in order as it is parsed (not the deferred ones).
pub fn ordered_scripts(html: &str) -> Vec<String> {
    page_scripts(html)
        .into_iter()
        .filter(|(_, defer)| !defer)
        .map(|(n, _)| n)
        .collect()
}

/// Each script of the default theme that declares what it loads after, with
/// those scripts in the order a page loads them (`survey-data.js` is the
/// survey data the build writes, the others are theme files).
pub fn declared_prerequisites() -> BTreeMap<String, Vec<String>> {
    let dir = Path::new(ROOT).join("themes/default/static");
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".js") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let Some(line) = text.lines().find(|l| l.contains("Loads after:")) else {
            continue;
        };
        let after = line.split("Loads after:").nth(1).unwrap();
        let list = after
            .split([' ', ','])
            .filter(|w| w.ends_with(".js"))
            .map(str::to_string)
            .collect();
        out.insert(name, list);
    }
    out
}
