//! The offline search: a small index loaded on first use (ids, titles,
//! kinds and addresses) and the texts (statements, notes, subpractices,
//! introductions, definitions) in shards that the page loads only when a
//! query needs words or a result needs its snippet; all as scripts, so that
//! `file://` keeps working.

use super::*;
use crate::markdown::plain_text;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// About this many bytes of text per shard: small enough to arrive quickly,
/// few enough that a query scanning the texts loads a handful of files.
const SHARD_BYTES: usize = 64 * 1024;
/// No element's searchable text is longer than this.
const TEXT_CHARS: usize = 40_000;

/// One entry of the index: `[id, title, kind, url]`, the kind an index
/// into the index's `kinds` (thousands of entries share a few kinds); a
/// generic practice as an area asks it has a fifth, the entry of the
/// practice itself, whose text stands for its own where the area adds none.
#[derive(Debug, PartialEq)]
pub(super) struct Entry<'a>(
    pub(super) Cow<'a, str>,
    pub(super) Cow<'a, str>,
    pub(super) usize,
    pub(super) Cow<'a, str>,
    pub(super) Option<usize>,
);

impl Serialize for Entry<'_> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = ser.serialize_seq(Some(if self.4.is_some() { 5 } else { 4 }))?;
        seq.serialize_element(&self.0)?;
        seq.serialize_element(&self.1)?;
        seq.serialize_element(&self.2)?;
        seq.serialize_element(&self.3)?;
        if let Some(of) = self.4 {
            seq.serialize_element(&of)?;
        }
        seq.end()
    }
}

/// The index of `assets/search-index.js`: the entries, and the text shards
/// in order, each `[address, data part]`; shard `k` holds the texts of the
/// entries from `from[k]` to `from[k + 1]` (or the last entry). `grams`
/// says which shards a query word can be in: see [`Grams`].
#[derive(Serialize, Debug)]
pub(super) struct Index<'a> {
    pub(super) kinds: Vec<String>,
    pub(super) entries: Vec<Entry<'a>>,
    pub(super) text: Vec<(String, String)>,
    pub(super) from: Vec<usize>,
    pub(super) grams: BTreeMap<String, Vec<usize>>,
}

/// Which shards hold each trigram of `a`–`z` and `0`–`9` in their lower-cased
/// texts, so that a word the texts lack is answered at once instead of after
/// loading every shard: a shard can hold a word only if it holds each of
/// the word's trigrams. The shards of a trigram are written as run lengths,
/// absent first (`[0, 3, 2, 1]`: shards 0 to 2 and 5), since most trigrams
/// are in long runs of shards or in none. Other characters are left out:
/// the browser lower-cases with its own rules, which agree with Rust's
/// wherever the result is ASCII.
struct Grams {
    /// Trigram (as [`digit`] numbers its letters) -> the shards that hold
    /// it, as run lengths, made as the shards are read: a list of every
    /// shard holding a common trigram took megabytes at scale.
    runs: Vec<Vec<usize>>,
    /// Trigram -> the first shard its runs do not tell yet.
    next: Vec<usize>,
    /// The trigrams of the shard being read, a bit each.
    seen: Vec<u64>,
}

/// Trigrams of `[a-z0-9]`: 36³.
const GRAMS: usize = 36 * 36 * 36;

/// A character's place in `[a-z0-9]`, or `None` for any other.
const fn digit(c: char) -> Option<u16> {
    match c {
        'a'..='z' => Some(c as u16 - 'a' as u16),
        '0'..='9' => Some(26 + c as u16 - '0' as u16),
        _ => None,
    }
}

/// [`digit`] of each ASCII character lower-cased, looked up: the trigrams
/// of every text of a large model are read a byte at a time.
const ASCII_DIGIT: [Option<u16>; 128] = {
    let mut t = [None; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = digit((b as u8).to_ascii_lowercase() as char);
        b += 1;
    }
    t
};

fn gram_text(g: usize) -> String {
    let ch = |d: usize| {
        char::from(if d < 26 {
            b'a' + d as u8
        } else {
            b'0' + (d - 26) as u8
        })
    };
    [ch(g / 1296), ch(g / 36 % 36), ch(g % 36)]
        .into_iter()
        .collect()
}

impl Default for Grams {
    fn default() -> Self {
        Grams {
            runs: vec![Vec::new(); GRAMS],
            next: vec![0; GRAMS],
            seen: vec![0; GRAMS.div_ceil(64)],
        }
    }
}

impl Grams {
    /// Notes the trigrams of shard `k`'s texts: a bit set per trigram read,
    /// since a shard has tens of thousands of them and few distinct ones.
    fn add(&mut self, k: usize, texts: &[String]) {
        self.seen.fill(0);
        for t in texts {
            // The last characters read as a number in base 36, and how
            // many of them in a row were of `[a-z0-9]`.
            let (mut g, mut run) = (0usize, 0u8);
            let mut step = |d: Option<u16>| match d {
                Some(d) => {
                    g = (g * 36 + d as usize) % GRAMS;
                    run = run.saturating_add(1);
                    if run >= 3 {
                        self.seen[g / 64] |= 1 << (g % 64);
                    }
                }
                None => run = 0,
            };
            let mut at = 0;
            while let Some(&b) = t.as_bytes().get(at) {
                if b.is_ascii() {
                    step(ASCII_DIGIT[usize::from(b)]);
                    at += 1;
                } else {
                    let c = t[at..].chars().next().unwrap_or_default();
                    c.to_lowercase().for_each(|l| step(digit(l)));
                    at += c.len_utf8();
                }
            }
        }
        for (w, &bits) in self.seen.iter().enumerate() {
            let mut bits = bits;
            while bits != 0 {
                let g = w * 64 + bits.trailing_zeros() as usize;
                let (runs, next) = (&mut self.runs[g], &mut self.next[g]);
                match runs.last_mut() {
                    Some(present) if k == *next => *present += 1,
                    _ => runs.extend([k - *next, 1]),
                }
                *next = k + 1;
                bits &= bits - 1;
            }
        }
    }

    fn runs(self) -> BTreeMap<String, Vec<usize>> {
        (self.runs.into_iter().enumerate())
            .filter(|(_, runs)| !runs.is_empty())
            .map(|(g, runs)| (gram_text(g), runs))
            .collect()
    }
}

/// An entry as it is made, its kind still a name, with its text.
struct Made<'a> {
    id: Cow<'a, str>,
    title: Cow<'a, str>,
    kind: Cow<'a, str>,
    url: Cow<'a, str>,
    text: String,
    /// The element an entry is (`is`), or the generic practice it asks (`of`).
    is: Option<Elem>,
    of: Option<Elem>,
}

fn md_text(md: &Md) -> String {
    plain_text(&md.src, TEXT_CHARS)
}

fn opt_text(md: &Option<Md>) -> String {
    md.as_ref().map(md_text).unwrap_or_default()
}

fn join(parts: impl IntoIterator<Item = String>) -> String {
    let mut out = String::new();
    for p in parts.into_iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&p);
    }
    out
}

fn subs_text(subs: &[Subpractice]) -> impl Iterator<Item = String> + '_ {
    subs.iter()
        .flat_map(|s| [md_text(&s.title), opt_text(&s.notes)])
}

impl Site<'_> {
    /// Every entry with its text, in reading order: elements, then the
    /// generic practices as each area asks them (`EF:GG2.GP1`), glossary
    /// terms and pages.
    fn search_entries(&self) -> impl Iterator<Item = Made<'_>> + '_ {
        let m = &self.b.model;
        let elems = self.reading_order().into_iter().map(move |e| Made {
            id: self.b.id(e).into(),
            title: self.b.title(e).into(),
            kind: self.b.kind(e).into(),
            url: self.b.url(e).into(),
            text: self.elem_text(e),
            is: Some(e),
            of: None,
        });
        let asked = self.asked_goals.iter().flat_map(move |&g| {
            (0..m.areas.len())
                .filter(move |&a| self.b.urls.contains_key(&Elem::Area(a)))
                .flat_map(move |a| self.asked_entries(a, g))
        });
        // An old id (`replaces`) finds the element now in its place.
        let renamed = self.b.renames().map(move |(old, e)| Made {
            id: old.into(),
            title: self.b.title(e).into(),
            kind: self.b.kind(e).into(),
            url: self.b.url(e).into(),
            text: format!("{old} is now {}", self.b.id(e)),
            is: None,
            of: None,
        });
        let terms = m.glossary.iter().map(|t| Made {
            id: t.term.text.as_str().into(),
            title: t.term.text.as_str().into(),
            kind: "Glossary".into(),
            url: urls::term(&t.term.text).into(),
            text: md_text(&t.definition),
            is: None,
            of: None,
        });
        let pages = m.pages.iter().map(|p| Made {
            id: "".into(),
            title: p.title.as_str().into(),
            kind: "Page".into(),
            url: urls::page(&p.slug).into(),
            text: md_text(&p.body),
            is: None,
            of: None,
        });
        elems.chain(renamed).chain(asked).chain(terms).chain(pages)
    }

    /// The generic practices of goal `g` as area `a` asks them, found by the
    /// id the survey gives them and leading to that question on the area's
    /// page (to the practice's own page where the area asks nothing). Their
    /// text is the area's elaboration, if any: the practice's own text is on
    /// its own entry, once, rather than once per area.
    fn asked_entries(&self, a: usize, g: usize) -> impl Iterator<Item = Made<'_>> + '_ {
        let m = &self.b.model;
        let area = &m.areas[a];
        let asks = area.objectives.iter().any(|o| !o.practices.is_empty());
        let kind = format!(
            "{} for {} {}",
            m.terms.generic_practice, area.code.text, area.name
        );
        let goal = &m.generic_goals[g];
        goal.practices.iter().enumerate().map(move |(p, gp)| {
            let id = asked_id(&area.code.text, &gp.id.text);
            let url = if asks {
                urls::question(self.b.url(Elem::Area(a)), &id)
            } else {
                self.b.url(Elem::GenericPractice(g, p)).to_string()
            };
            let text = area
                .elaborations
                .iter()
                .find(|(k, _)| k.text == gp.id.text)
                .map(|(_, md)| md_text(md))
                .unwrap_or_default();
            Made {
                id: id.into(),
                title: gp.title.as_str().into(),
                kind: kind.clone().into(),
                url: url.into(),
                text,
                is: None,
                of: Some(Elem::GenericPractice(g, p)),
            }
        })
    }

    /// Everything searchable on an element's own page, its statement first
    /// (what a result shows when only its id or title matched).
    fn elem_text(&self, e: Elem) -> String {
        let m = &self.b.model;
        match e {
            Elem::Category(c) => {
                let cat = &m.categories[c];
                join([
                    cat.summary.clone().unwrap_or_default(),
                    opt_text(&cat.description),
                ])
            }
            Elem::Area(a) => {
                let ar = &m.areas[a];
                join([
                    md_text(&ar.purpose),
                    opt_text(&ar.status),
                    md_text(&ar.introduction),
                ])
            }
            Elem::Objective(a, o) => {
                let ob = &m.areas[a].objectives[o];
                join([md_text(&ob.statement), opt_text(&ob.notes)])
            }
            Elem::Practice(a, o, p) => {
                let pr = &m.areas[a].objectives[o].practices[p];
                let head = [md_text(&pr.statement), opt_text(&pr.notes)];
                let rest = subs_text(&pr.subpractices).chain(pr.work_products.iter().cloned());
                join(head.into_iter().chain(rest))
            }
            Elem::Goal(g) => {
                let goal = &m.generic_goals[g];
                join([md_text(&goal.statement), md_text(&goal.body)])
            }
            Elem::GenericPractice(g, p) => {
                let gp = &m.generic_goals[g].practices[p];
                let head = [md_text(&gp.statement), opt_text(&gp.notes)];
                join(head.into_iter().chain(subs_text(&gp.subpractices)))
            }
        }
    }
}

/// Where a shard goes: its address, its part of `refbook$data` and its texts.
pub(super) type PutShard<'p> = dyn FnMut(&str, &str, &[String]) -> Result<(), WriteError> + 'p;

/// Hands each text shard to `put` (its address, its data part and the texts)
/// as it is made, so that no more than one shard of text is held at once, and
/// returns the index that names them.
pub(super) fn write_search<'s>(
    site: &'s Site,
    put: &mut PutShard,
) -> Result<Index<'s>, WriteError> {
    let mut index = Index {
        kinds: Vec::new(),
        entries: Vec::new(),
        text: Vec::new(),
        from: Vec::new(),
        grams: BTreeMap::new(),
    };
    let mut grams = Grams::default();
    let mut kinds: HashMap<String, usize> = HashMap::new();
    let mut entry_of: HashMap<Elem, usize> = HashMap::new();
    let mut shard: Vec<String> = Vec::new();
    let mut bytes = 0;
    let mut flush = |index: &mut Index, shard: &mut Vec<String>| {
        if shard.is_empty() {
            return Ok(());
        }
        let k = index.text.len();
        let (url, part) = (urls::search_text(k), urls::search_text_part(k));
        grams.add(k, shard);
        put(&url, &part, shard)?;
        index.text.push((url, part));
        index.from.push(index.entries.len() - shard.len());
        shard.clear();
        Ok(())
    };
    for e in site.search_entries() {
        let kind = match kinds.get(e.kind.as_ref()) {
            Some(&k) => k,
            None => {
                index.kinds.push(e.kind.to_string());
                kinds.insert(e.kind.into_owned(), index.kinds.len() - 1);
                index.kinds.len() - 1
            }
        };
        if let Some(is) = e.is {
            entry_of.insert(is, index.entries.len());
        }
        let of = e.of.and_then(|of| entry_of.get(&of).copied());
        index.entries.push(Entry(e.id, e.title, kind, e.url, of));
        bytes += e.text.len();
        shard.push(e.text);
        if bytes >= SHARD_BYTES {
            flush(&mut index, &mut shard)?;
            bytes = 0;
        }
    }
    flush(&mut index, &mut shard)?;
    index.grams = grams.runs();
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> crate::resolve::Book {
        let (book, diags) = crate::check(Path::new(env!("CARGO_MANIFEST_DIR")));
        book.unwrap_or_else(|| panic!("the shipped book resolves: {diags:?}"))
    }

    #[test]
    fn the_ascii_table_is_digit_of_the_lower_case() {
        for b in 0..128u8 {
            let lower = char::from(b.to_ascii_lowercase());
            assert_eq!(ASCII_DIGIT[usize::from(b)], digit(lower), "{b}");
        }
    }

    #[test]
    fn every_entry_has_its_text_in_the_shard_the_index_names() {
        let book = shipped();
        let mut shards: Vec<(String, String, Vec<String>)> = Vec::new();
        let site = Site::new(&book);
        let index = write_search(&site, &mut |url, part, texts| {
            shards.push((url.into(), part.into(), texts.to_vec()));
            Ok(())
        })
        .unwrap();
        let n = index.entries.len();
        assert_eq!(index.text.len(), shards.len());
        assert_eq!(index.from.len(), shards.len());
        assert_eq!(index.from[0], 0);
        let mut texts = Vec::new();
        for (k, (url, part, t)) in shards.iter().enumerate() {
            assert_eq!(&index.text[k], &(url.clone(), part.clone()));
            assert_eq!(
                index.from[k],
                texts.len(),
                "shard {k} starts where the last ended"
            );
            assert!(url.starts_with("assets/") && url.ends_with(".js"), "{url}");
            texts.extend(t.iter().cloned());
        }
        assert_eq!(texts.len(), n, "one text per entry");
        // Kinds are shared, and each one is used.
        assert!(index.kinds.len() < 50, "{:?}", index.kinds);
        assert!(index.entries.iter().all(|e| e.2 < index.kinds.len()));

        let find = |id: &str| index.entries.iter().position(|e| e.0 == id);
        // Every kind of id a page shows.
        for id in ["EF", "EF-1", "EF-1.1", "GG2", "GG2.GP1", "EF:GG2.GP1"] {
            assert!(find(id).is_some(), "{id} is not in the index");
        }
        // The generic practice as asked for an area leads to its question.
        let asked = &index.entries[find("EF:GG2.GP1").unwrap()];
        assert_eq!(asked.3, urls::question(&urls::area("EF"), "EF:GG2.GP1"));
        assert!(
            index.kinds[asked.2].contains("EF"),
            "{:?}",
            index.kinds[asked.2]
        );
        // It points at the practice it asks, whose text stands for its own.
        assert_eq!(asked.4, find("GG2.GP1"));
        assert_eq!(
            texts[find("EF:GG2.GP1").unwrap()],
            "",
            "EF adds no elaboration"
        );
        assert!(
            index
                .entries
                .iter()
                .all(|e| e.4.is_some() == e.0.contains(':'))
        );
        // A practice's text holds its notes and subpractices, not only its statement.
        let p = &book
            .model
            .areas
            .iter()
            .flat_map(|a| &a.objectives)
            .flat_map(|o| &o.practices)
            .find(|p| p.id.text == "EF-1.1")
            .unwrap();
        let t = &texts[find("EF-1.1").unwrap()];
        assert!(
            t.starts_with(&plain_text(&p.statement.src, 40)[..20]),
            "{t}"
        );
        if let Some(s) = p.subpractices.first() {
            assert!(
                t.contains(
                    &plain_text(&s.title.src, 30)
                        .trim_end_matches('…')
                        .to_string()
                ),
                "{t}"
            );
        }
        if let Some(notes) = &p.notes {
            assert!(
                t.contains(plain_text(&notes.src, 30).trim_end_matches('…')),
                "{t}"
            );
        }
        // Glossary terms, with their definitions.
        let term = &book.model.glossary[0];
        let i = find(&term.term.text).unwrap();
        assert_eq!(index.entries[i].3, urls::term(&term.term.text));
        assert!(!texts[i].is_empty());
    }

    #[test]
    fn shards_are_cut_by_size() {
        let book = shipped();
        let site = Site::new(&book);
        let mut sizes = Vec::new();
        write_search(&site, &mut |_, _, texts| {
            sizes.push(texts.iter().map(String::len).sum::<usize>());
            Ok(())
        })
        .unwrap();
        let (last, full) = sizes.split_last().unwrap();
        assert!(
            full.iter()
                .all(|s| (SHARD_BYTES..SHARD_BYTES + TEXT_CHARS * 4).contains(s)),
            "{sizes:?}"
        );
        assert!(*last > 0, "{sizes:?}");
    }

    /// The shards the run lengths of `runs` name.
    fn shards_of(runs: &[usize]) -> Vec<usize> {
        let mut out = Vec::new();
        let mut k = 0;
        for pair in runs.chunks(2) {
            k += pair[0];
            out.extend(k..k + pair.get(1).copied().unwrap_or(0));
            k += pair.get(1).copied().unwrap_or(0);
        }
        out
    }

    #[test]
    fn trigram_shards_are_run_lengths_absent_first() {
        let mut g = Grams::default();
        for k in [0, 1, 2, 5, 7, 8] {
            g.add(k, &["Risk".to_string()]);
        }
        g.add(3, &["Ärger, über 2K".into()]);
        let runs = g.runs();
        assert_eq!(runs["ris"], vec![0, 3, 2, 1, 1, 2]);
        assert_eq!(shards_of(&runs["isk"]), vec![0, 1, 2, 5, 7, 8]);
        // Only trigrams of a-z and 0-9, lower-cased: "ärg" and "übe" have a
        // letter beyond ASCII, none spans a space or a comma, "2K" is short.
        assert_eq!(runs["rge"], vec![3, 1]);
        assert_eq!(runs["ber"], vec![3, 1]);
        assert_eq!(
            runs.keys().collect::<Vec<_>>(),
            ["ber", "ger", "isk", "rge", "ris"]
        );
    }

    /// No shard is ruled out that holds a word: each word of each text, and
    /// each piece of one, has every trigram in its shard.
    #[test]
    fn every_word_of_every_text_is_in_the_shards_its_trigrams_name() {
        let book = shipped();
        let site = Site::new(&book);
        let mut shards: Vec<Vec<String>> = Vec::new();
        let index = write_search(&site, &mut |_, _, texts| {
            shards.push(texts.to_vec());
            Ok(())
        })
        .unwrap();
        assert!(!index.grams.is_empty());
        let sets: BTreeMap<&str, Vec<usize>> = index
            .grams
            .iter()
            .map(|(g, runs)| (g.as_str(), shards_of(runs)))
            .collect();
        let mut checked = 0;
        for (k, texts) in shards.iter().enumerate() {
            for t in texts {
                let low: Vec<char> = t.chars().flat_map(char::to_lowercase).collect();
                for w in low.windows(3) {
                    if !w.iter().all(|&c| digit(c).is_some()) {
                        continue;
                    }
                    let text: String = w.iter().collect();
                    assert!(sets[text.as_str()].contains(&k), "{text} in shard {k}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
        // And a trigram no text has is in no shard.
        assert!(!sets.contains_key("qzx"));
    }
}
