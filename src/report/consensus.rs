//! A consensus of the assessors of one (organization, scope, date), as an
//! answer file the site imports (`refbook-survey`, version 2).
//!
//! `min` takes the conservative answer: the lowest value given; N/A only
//! when every assessor who answered said N/A (their reasons joined). `mode`
//! takes the answer given most often; a tie goes to the lower value, and a
//! value wins a tie with N/A. A question nobody answered stays unanswered:
//! an unanswered question is no claim, so the others' answers stand. The
//! note of a disputed question starts with `DISPUTED` and every answer;
//! the assessors' notes follow, each with its assessor; evidence is the
//! union of theirs.

use super::Assessment;
use super::summary::{Given, Index, Kept};
use super::team::{self, Team};
use crate::output::{IoAt, WriteStop};
use crate::scoring::{Answer, AnswerValue, Answers, Scope, Survey};
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// How a consensus is made (`--consensus min|mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    Min,
    Mode,
}

impl Rule {
    fn name(self) -> &'static str {
        match self {
            Rule::Min => "min",
            Rule::Mode => "mode",
        }
    }
}

/// A consensus answer file: whose it is, and (once written) where.
#[derive(Debug, Clone, Serialize)]
pub struct ConsensusFile {
    pub organization: String,
    pub scope: String,
    pub date: String,
    pub rule: Rule,
    pub assessors: Vec<String>,
    pub disputed: usize,
    /// Where it was written; `None` until it is.
    pub path: Option<String>,
    /// The file's text.
    #[serde(skip)]
    pub text: String,
}

/// One question's consensus answer.
pub(super) struct Agreed {
    pub question: u32,
    pub given: Option<Given>,
    pub disputed: Option<team::Why>,
    pub sides: Vec<Option<Given>>,
    pub notes: Vec<Option<std::sync::Arc<str>>>,
}

/// The consensus of `files`, question by question in model order.
pub(super) fn agree(index: &Index, files: &[&Assessment], rule: Rule) -> Vec<Agreed> {
    let mut by_question: BTreeMap<u32, Vec<Option<&Kept>>> = BTreeMap::new();
    for (n, a) in files.iter().enumerate() {
        for k in &a.kept {
            by_question
                .entry(k.question)
                .or_insert_with(|| vec![None; files.len()])[n] = Some(k);
        }
    }
    by_question
        .into_iter()
        .map(|(question, kept)| {
            let given: Vec<Option<&Given>> = kept
                .iter()
                .map(|k| k.and_then(|k| k.given.as_ref()))
                .collect();
            let (_, disputed) = team::dispute(index, &given);
            let assessors: Vec<&str> = files.iter().map(|a| team::key(&a.respondent)[2]).collect();
            Agreed {
                question,
                given: pick(&given, &assessors, rule),
                disputed,
                sides: given.iter().map(|g| g.cloned()).collect(),
                notes: kept
                    .iter()
                    .map(|k| k.and_then(|k| k.note.clone()))
                    .collect(),
            }
        })
        .collect()
}

/// The answer `rule` picks from those given.
fn pick(given: &[Option<&Given>], assessors: &[&str], rule: Rule) -> Option<Given> {
    let values = super::team::values(given);
    let na: Vec<String> = given
        .iter()
        .zip(assessors)
        .filter_map(|(g, who)| match g {
            Some(Given::NotApplicable(r)) if who.is_empty() => Some(r.to_string()),
            Some(Given::NotApplicable(r)) => Some(format!("{who}: {r}")),
            _ => None,
        })
        .collect();
    let as_na = || Some(Given::NotApplicable(na.join("; ").into()));
    match rule {
        Rule::Min if values.is_empty() && na.is_empty() => None,
        Rule::Min if values.is_empty() => as_na(),
        Rule::Min => values.iter().min().map(|&v| Given::Value(v)),
        Rule::Mode => {
            let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
            for v in &values {
                *counts.entry(*v).or_default() += 1;
            }
            // The lowest of the most frequent: max_by_key keeps the last
            // maximum, so walk from the highest value down.
            let best = counts.iter().rev().max_by_key(|(_, n)| **n);
            match best {
                Some((&v, &n)) if n >= na.len() => Some(Given::Value(v)),
                _ if !na.is_empty() => as_na(),
                _ => None,
            }
        }
    }
}

/// The consensus as scoring reads answers.
pub(super) fn answers(index: &Index, agreed: &[Agreed]) -> Answers {
    agreed
        .iter()
        .filter_map(|a| {
            let value = match a.given.as_ref()? {
                Given::Value(v) => (AnswerValue::Number(*v as f64), None),
                Given::NotApplicable(r) => (AnswerValue::NotApplicable, Some(r.to_string())),
            };
            let id = index.questions[a.question as usize].id.to_string();
            Some((
                id,
                Answer {
                    value: Some(value.0),
                    note: None,
                    reason: value.1,
                },
            ))
        })
        .collect()
}

/// The scope of several files: every area if one of them covers every
/// area, else the areas any of them covers; per area the highest target.
pub(super) fn scope(files: &[&Assessment]) -> Scope {
    let every = files.iter().any(|a| a.areas_in_scope.is_none());
    let areas_in_scope = (!every).then(|| {
        let chosen: HashSet<&str> = files
            .iter()
            .flat_map(|a| a.areas_in_scope.iter().flatten())
            .map(String::as_str)
            .collect();
        // In model order.
        let order = files
            .first()
            .map(|a| a.areas.as_slice())
            .unwrap_or_default();
        order
            .iter()
            .filter(|x| chosen.contains(x.id.as_str()))
            .map(|x| x.id.clone())
            .collect()
    });
    let mut targets: BTreeMap<String, i64> = BTreeMap::new();
    for x in files.iter().flat_map(|a| &a.areas) {
        if let Some(t) = x.target {
            let slot = targets.entry(x.id.clone()).or_insert(t);
            *slot = (*slot).max(t);
        }
    }
    Scope {
        areas_in_scope,
        targets,
    }
}

/// A consensus file per team of two assessors or more.
pub(super) fn files(
    survey: &Survey,
    index: &Index,
    list: &[Assessment],
    teams: &[Team],
    rule: Rule,
) -> Vec<ConsensusFile> {
    teams
        .iter()
        .filter(|t| t.members.len() > 1)
        .map(|t| {
            let members: Vec<&Assessment> = t.members.iter().map(|&i| &list[i]).collect();
            let agreed = agree(index, &members, rule);
            let assessors: Vec<String> = t.assessors.iter().map(|m| m.assessor.clone()).collect();
            let text = file_text(survey, index, t, &members, &agreed, rule);
            ConsensusFile {
                organization: t.organization.clone(),
                scope: t.scope.clone(),
                date: t.date.clone(),
                rule,
                assessors,
                disputed: agreed.iter().filter(|a| a.disputed.is_some()).count(),
                path: None,
                text,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u32,
    model: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    model_version: Option<&'a str>,
    respondent: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    areas_in_scope: Option<Vec<String>>,
    targets: BTreeMap<String, i64>,
    #[serde(serialize_with = "in_order")]
    answers: Vec<(String, Entry)>,
}

#[derive(Serialize)]
struct Entry {
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<super::team::EvidenceLink>,
}

/// The answers as a JSON object in model order.
fn in_order<S: Serializer>(list: &[(String, Entry)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(list.iter().map(|(k, v)| (k, v)))
}

fn file_text(
    survey: &Survey,
    index: &Index,
    t: &Team,
    members: &[&Assessment],
    agreed: &[Agreed],
    rule: Rule,
) -> String {
    let names: Vec<&str> = t.assessors.iter().map(|m| m.assessor.as_str()).collect();
    let mut respondent = BTreeMap::new();
    for (k, v) in [
        ("organization", &t.organization),
        ("scope", &t.scope),
        ("date", &t.date),
    ] {
        if !v.is_empty() {
            respondent.insert(k, v.clone());
        }
    }
    let who = names
        .iter()
        .map(|n| if n.is_empty() { "(no name)" } else { n });
    respondent.insert(
        "assessor",
        format!(
            "consensus ({}) of {}",
            rule.name(),
            who.collect::<Vec<_>>().join(", ")
        ),
    );
    let scope = scope(members);
    let answers = agreed
        .iter()
        .map(|a| {
            let id = index.questions[a.question as usize].id.to_string();
            (id.clone(), entry(a, &names, members, &id))
        })
        .collect();
    let out = FileOut {
        format: crate::answers::FORMAT,
        version: 2,
        model: &survey.model,
        model_version: survey.model_version.as_deref(),
        respondent,
        areas_in_scope: scope.areas_in_scope,
        targets: scope.targets,
        answers,
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}

fn entry(a: &Agreed, names: &[&str], members: &[&Assessment], id: &str) -> Entry {
    let (value, reason) = match &a.given {
        Some(Given::Value(v)) => (Some((*v).into()), None),
        Some(Given::NotApplicable(r)) => (Some("na".into()), Some(r.to_string())),
        None => (None, None),
    };
    let mut lines = Vec::new();
    if let Some(why) = a.disputed {
        let said: Vec<String> = a
            .sides
            .iter()
            .zip(names)
            .map(|(g, n)| {
                let v = match g {
                    Some(Given::Value(v)) => v.to_string(),
                    Some(Given::NotApplicable(_)) => "N/A".into(),
                    None => "unanswered".into(),
                };
                format!("{}: {v}", if n.is_empty() { "(no name)" } else { n })
            })
            .collect();
        lines.push(format!("DISPUTED ({}): {}", why.text(), said.join(", ")));
    }
    for (note, n) in a.notes.iter().zip(names) {
        if let Some(note) = note {
            lines.push(format!(
                "{}: {note}",
                if n.is_empty() { "(no name)" } else { n }
            ));
        }
    }
    let mut seen = HashSet::new();
    let evidence = members
        .iter()
        .flat_map(|m| m.evidence.iter().filter(|e| e.id == id))
        .filter(|e| seen.insert(e.href.clone()))
        .map(|e| super::team::EvidenceLink {
            href: e.href.clone(),
            description: e.description.clone(),
        })
        .collect();
    Entry {
        value,
        note: (!lines.is_empty()).then(|| lines.join("\n")),
        reason,
        evidence,
    }
}

/// The marker of a folder of consensus files refbook made.
pub const MARKER: &str = ".refbook-consensus";

/// Why the consensus files were not written: a refusal, or what the
/// system refused.
pub type ConsensusError = WriteStop<ConsensusRefusal>;

/// `--consensus-out` names a place where writing would touch the user's files.
#[derive(Debug)]
pub enum ConsensusRefusal {
    /// A file.
    IsFile(PathBuf),
    /// A folder that holds files refbook did not write.
    NotOurs(PathBuf),
}

impl std::fmt::Display for ConsensusRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            ConsensusRefusal::IsFile(p) => write!(
                f,
                "{} is a file: consensus files go in a folder",
                p.display()
            ),
            ConsensusRefusal::NotOurs(p) => write!(
                f,
                "{} holds files refbook did not write (no {MARKER} in it): name a new or empty folder with --consensus-out",
                p.display()
            ),
        }
    }
}

/// Writes the consensus files into `dir`: a folder refbook made (it holds
/// [`MARKER`]), an empty one, or one to create; any other folder, or a
/// file, is refused, so no file of the user's is overwritten. The files
/// refbook wrote there before (listed in the marker) are removed first.
pub fn write_consensus(list: &mut [ConsensusFile], dir: &Path) -> Result<(), ConsensusError> {
    let marker = dir.join(MARKER);
    if dir.exists() {
        if !dir.is_dir() {
            return Err(WriteStop::Refused(ConsensusRefusal::IsFile(dir.into())));
        }
        let empty = std::fs::read_dir(dir)
            .map_err(IoAt::at("read", dir))?
            .next()
            .is_none();
        if !empty && !marker.is_file() {
            return Err(WriteStop::Refused(ConsensusRefusal::NotOurs(dir.into())));
        }
        if let Ok(old) = std::fs::read_to_string(&marker) {
            for name in old.lines().filter(|n| is_ours(n)) {
                let _ = std::fs::remove_file(dir.join(name));
            }
        }
    } else {
        std::fs::create_dir(dir).map_err(IoAt::at("create", dir))?;
    }
    let mut names = HashSet::new();
    let mut written = String::new();
    for c in list.iter_mut() {
        let name = file_name(c, &mut names);
        let path: PathBuf = dir.join(&name);
        std::fs::write(&path, &c.text).map_err(IoAt::at("write", &path))?;
        written.push_str(&name);
        written.push('\n');
        c.path = Some(path.display().to_string());
    }
    std::fs::write(&marker, written).map_err(IoAt::at("write", &marker))?;
    Ok(())
}

/// A name the marker may list: one of ours, never a path.
fn is_ours(name: &str) -> bool {
    name.starts_with("consensus-")
        && name.ends_with(".json")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

/// `consensus-<organization>-<scope>-<date>.json` from letters and digits
/// only, numbered when two teams would share a name.
fn file_name(c: &ConsensusFile, taken: &mut HashSet<String>) -> String {
    let part = |s: &str| {
        let mut out = String::new();
        for ch in s.chars().flat_map(char::to_lowercase) {
            if ch.is_ascii_alphanumeric() {
                out.push(ch);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-')
            .chars()
            .take(40)
            .collect::<String>()
    };
    let parts: Vec<String> = [&c.organization, &c.scope, &c.date]
        .iter()
        .map(|s| part(s))
        .filter(|s| !s.is_empty())
        .collect();
    let stem = if parts.is_empty() {
        "consensus-team".to_string()
    } else {
        format!("consensus-{}", parts.join("--"))
    };
    let mut name = format!("{stem}.json");
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{stem}-{n}.json");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(org: &str) -> ConsensusFile {
        ConsensusFile {
            organization: org.into(),
            scope: "All".into(),
            date: "2026-12-01".into(),
            rule: Rule::Min,
            assessors: vec!["a".into(), "b".into()],
            disputed: 0,
            path: None,
            text: format!("{{\"organization\": \"{org}\"}}"),
        }
    }

    /// Consensus files go only where refbook wrote them before, or into a
    /// new or empty folder; a file or a folder of the user's is refused and
    /// left as it was.
    #[test]
    fn consensus_files_never_overwrite_the_users() {
        let dir = crate::output::test_dir("consensus");
        let out = dir.join("out");
        write_consensus(&mut [team("North"), team("South")], &out).unwrap();
        let names = |d: &Path| {
            let mut v: Vec<String> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(&out).len(), 3, "{:?}", names(&out));
        // Written again with one team: the other's file, refbook's, goes.
        write_consensus(&mut [team("North")], &out).unwrap();
        assert_eq!(names(&out).len(), 2, "{:?}", names(&out));
        let file = dir.join("a-file");
        std::fs::write(&file, "mine").unwrap();
        let e = write_consensus(&mut [team("North")], &file).unwrap_err();
        assert!(
            matches!(&e, WriteStop::Refused(ConsensusRefusal::IsFile(p)) if *p == file),
            "{e:?}"
        );
        assert!(
            e.to_string()
                .ends_with("is a file: consensus files go in a folder")
        );
        let users = dir.join("users");
        std::fs::create_dir(&users).unwrap();
        std::fs::write(users.join("notes.txt"), "mine").unwrap();
        let e = write_consensus(&mut [team("North")], &users).unwrap_err();
        assert!(
            matches!(&e, WriteStop::Refused(ConsensusRefusal::NotOurs(p)) if *p == users),
            "{e:?}"
        );
        assert!(e.to_string().contains("holds files refbook did not write"));
        assert_eq!(names(&users), ["notes.txt"]);
        let e = write_consensus(&mut [team("North")], &file.join("sub")).unwrap_err();
        assert!(
            matches!(&e, WriteStop::Io(io) if io.doing == "create"),
            "{e:?}"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
