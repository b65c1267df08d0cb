//! A diff as text for people (`refbook diff`) and as JSON for programs
//! (`--format json`, format `refbook-diff` version 1, in the README).

use super::{Change, Diff};
use std::fmt::Write;

/// The JSON of `refbook diff --format json`.
pub fn json(d: &Diff) -> String {
    let v = serde_json::json!({"format": "refbook-diff", "version": 1});
    let mut v = v;
    if let (Some(obj), Ok(serde_json::Value::Object(rest))) =
        (v.as_object_mut(), serde_json::to_value(d))
    {
        obj.extend(rest);
    }
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

fn version(h: &super::Head) -> String {
    match (h.title.is_empty(), h.version.is_empty()) {
        (false, false) => format!("{} {} ({})", h.title, h.version, h.id),
        (false, true) => format!("{} ({})", h.title, h.id),
        _ => h.id.clone(),
    }
}

/// The text of `refbook diff`: a section per kind of change, each element
/// on a line, each changed field below it with its old (`-`) and new (`+`)
/// lines.
pub fn text(d: &Diff) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "old: {}", version(&d.old));
    let _ = writeln!(s, "new: {}", version(&d.new));
    if d.is_empty() {
        s.push_str("no differences\n");
        return s;
    }
    if !d.added.is_empty() {
        let _ = writeln!(s, "\nadded ({}):", d.added.len());
        for e in &d.added {
            let _ = writeln!(s, "  + {} {}  {}", e.kind, e.id, e.title);
        }
    }
    if !d.removed.is_empty() {
        let _ = writeln!(s, "\nremoved ({}):", d.removed.len());
        for e in &d.removed {
            let _ = writeln!(s, "  - {} {}  {}", e.kind, e.id, e.title);
        }
    }
    if !d.renamed.is_empty() {
        let _ = writeln!(s, "\nrenamed ({}):", d.renamed.len());
        for r in &d.renamed {
            let _ = writeln!(s, "  > {} {} -> {}  {}", r.kind, r.from, r.to, r.title);
            changes(&mut s, &r.changes);
        }
    }
    if !d.changed.is_empty() {
        let _ = writeln!(s, "\nchanged ({}):", d.changed.len());
        for c in &d.changed {
            let e = &c.element;
            let _ = writeln!(s, "  ~ {} {}  {}", e.kind, e.id, e.title);
            changes(&mut s, &c.changes);
        }
    }
    let _ = writeln!(
        s,
        "\n{} added, {} removed, {} renamed, {} changed",
        d.added.len(),
        d.removed.len(),
        d.renamed.len(),
        d.changed.len()
    );
    s
}

fn changes(s: &mut String, list: &[Change]) {
    for c in list {
        let (old, new) = (c.old.as_deref(), c.new.as_deref());
        let one_line = |t: Option<&str>| t.is_none_or(|t| !t.contains('\n') && t.len() <= 60);
        if one_line(old) && one_line(new) {
            let show = |t: Option<&str>| t.map_or("(empty)".to_string(), |t| format!("{t:?}"));
            let _ = writeln!(s, "      {}: {} -> {}", c.field, show(old), show(new));
            continue;
        }
        let _ = writeln!(s, "      {}:", c.field);
        for (mark, t) in [('-', old), ('+', new)] {
            match t {
                None => {
                    let _ = writeln!(s, "        {mark} (empty)");
                }
                Some(t) => {
                    for line in t.lines() {
                        let _ = writeln!(s, "        {mark} {line}");
                    }
                }
            }
        }
    }
}
