//! The results page: targets, the roadmap with its plan, comparison per
//! question, the printed report, and its fit on a laptop and a phone.

use super::*;

/// Answers EF on the survey page (EF-1.1 and the generic practices performed, the other practices at 1)
/// with the assessment details, then opens the results page.
async fn answer_ef(c: &Client) -> R {
    c.goto(&file_url("survey/index.html")).await?;
    js(c, "document.querySelectorAll('fieldset[data-question^=\"EF\"]').forEach(f => {
             const r = f.querySelector(`input[value=\"${f.dataset.question === 'EF-1.1' || f.dataset.question.includes(':') ? 3 : 1}\"]`); if (r) r.click(); });
           for (const [k, v] of [['organization', 'Acme =Corp'], ['scope', 'Billing'], ['assessor', 'Ann'], ['date', '2026-03-15']]) {
             const i = document.querySelector(`[data-respondent=\"${k}\"]`); i.value = v; i.dispatchEvent(new Event('input', {bubbles: true})); }").await?;
    c.goto(&file_url("survey/results/index.html")).await?;
    Ok(())
}
/// Each area's target as the page scores it.
async fn targets(c: &Client) -> R<Value> {
    js(c, "const s = window.refbookSurvey.score(); const o = {}; for (const k in s) o[k] = s[k].target; return o").await
}
/// Chooses `level` in a target select and applies it (a bulk select's button, or the area's own change).
async fn choose(c: &Client, select: &str, level: &str) -> R {
    js_with(c, "const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));
                const b = document.querySelector(`button[data-target-set=\"${s.id}\"]`); if (b) b.click();",
        vec![json!(select), json!(level)]).await?;
    Ok(())
}

/// Targets set for all, per category and per area; kept across a reload and
/// through export and import; shown against the current level with the gap.
#[tokio::test]
async fn targets_per_area_category_and_all() {
    with_browser("targets", |c, _| async move {
        answer_ef(&c).await?;
        assert_eq!(targets(&c).await?["EF"], Value::Null);
        choose(&c, "#target-all", "2").await?;
        let t = targets(&c).await?;
        assert!(t.as_object().unwrap().values().all(|v| v == &json!(2)), "every area at 2: {t}");
        // a category: the areas of EF's category only
        let cat = js(&c, "const d = window.refbook$data.survey; const ef = d.areas.find(a => a.code === 'EF');
                          return [ef.category.toLowerCase().replace(/[^a-z0-9]+/g, '-'), d.areas.filter(a => a.category === ef.category).map(a => a.code)]").await?;
        choose(&c, &format!("#target-cat-{}", cat[0].as_str().unwrap()), "3").await?;
        let t = targets(&c).await?;
        for (code, v) in t.as_object().unwrap() {
            let in_cat = cat[1].as_array().unwrap().contains(&json!(code));
            assert_eq!(v, &json!(if in_cat { 3 } else { 2 }), "{code}: {t}");
        }
        choose(&c, "select[data-target=\"EF\"]", "1").await?;
        choose(&c, "select[data-target=\"RISK\"]", "").await?;
        let want = targets(&c).await?;
        assert_eq!((&want["EF"], &want["RISK"]), (&json!(1), &Value::Null));
        c.refresh().await?;
        assert_eq!(targets(&c).await?, want, "kept across a reload");
        // the table: current against target, the gap; not assessed is never level 0
        let ef = text(&c, "table.targets tr[data-target-area=\"EF\"]").await?;
        let comm = text(&c, "table.targets tr[data-target-area=\"COMM\"]").await?;
        assert!(ef.contains("target met") || ef.contains("to go"), "{ef}");
        assert!(comm.contains("not assessed") && !comm.contains("0 "), "{comm}");
        assert_eq!(js(&c, "return document.querySelectorAll('svg.level-chart .target-mark').length").await?.as_u64(),
            Some(want.as_object().unwrap().values().filter(|v| !v.is_null()).count() as u64), "a mark per target in the chart");
        // export and import
        let out: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        assert_eq!(out["targets"]["EF"], 1);
        c.execute("window.confirm = () => true;", vec![]).await?;
        let empty = json!({"format": "refbook-survey", "version": 2, "model": "cert-ref", "answers": {"EF-1.1": {"value": 1}}});
        js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(empty.to_string())]).await?;
        assert_eq!(targets(&c).await?["EF"], Value::Null, "the import replaced them");
        let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(out.to_string())]).await?;
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(targets(&c).await?, want, "back with the file");
        Ok(())
    })
    .await;
}

/// The results page fits a laptop (1,366 px) and a phone (390 px) with no
/// horizontal scroll, with targets, a roadmap, a comparison and snapshots shown;
/// and it logs no error.
#[tokio::test]
async fn results_fit_laptop_and_phone() {
    with_browser("results-fit", |c, _| async move {
        answer_ef(&c).await?;
        choose(&c, "#target-all", "3").await?;
        let file = js(&c, "return window.refbookSurvey.exportJSON()").await?;
        js_with(&c, "window.refbookSurvey.compareJSON(arguments[0], 'a-file-with-a-long-name-that-must-wrap-somewhere.json');
                     window.refbookSurvey.saveSnapshot('Baseline', '2026-01-01');", vec![file]).await?;
        assert_eq!(super::console::console_errors(&c).await?, Vec::<String>::new());
        for (w, h) in [(1366u32, 900u32), (390, 844)] {
            c.set_window_size(w, h).await?;
            c.refresh().await?;
            let fit = js(&c, "return [document.documentElement.scrollWidth, window.innerWidth,
                [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                  && !e.closest('.table-scroll, .results-heat, .results-dist')).slice(0, 5).map(e => e.tagName + '.' + e.className)]").await?;
            assert!(fit[0].as_u64() <= fit[1].as_u64(), "no horizontal scroll at {w} px: {fit}");
        }
        Ok(())
    })
    .await;
}

/// The page's roadmap is the Rust rule's for the same answers and targets;
/// owner, due date and note are saved with the answers (kept across a reload,
/// exported in the answer file) and go into the roadmap's CSV (formula-safe) and JSON.
#[tokio::test]
async fn roadmap_is_the_rules_and_keeps_its_plan() {
    use refbook::scoring;
    with_browser("roadmap", |c, _| async move {
        answer_ef(&c).await?;
        assert!(text(&c, "#results-roadmap").await?.contains("No area in scope has a target"));
        choose(&c, "#target-all", "3").await?;
        choose(&c, "select[data-target=\"RISK\"]", "").await?;
        // the same as src/scoring's roadmap
        let page = js(&c, "return window.refbookSurvey.roadmap()").await?;
        let survey: scoring::Survey = serde_json::from_value(js(&c, "return window.refbook$data.survey").await?)?;
        let file: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        let answers: scoring::Answers = serde_json::from_value(file["answers"].clone())?;
        let rust = serde_json::to_value(scoring::roadmap(&survey, &answers, &scoring::Scope::from_json(&file)))?;
        let mut stripped = page.clone();
        for e in stripped.as_array_mut().unwrap() {
            for st in e["steps"].as_array_mut().unwrap() {
                for g in st["goals"].as_array_mut().unwrap() {
                    for it in g["items"].as_array_mut().unwrap() {
                        let it = it.as_object_mut().unwrap();
                        assert!(it.remove("title").is_some());
                        for k in ["owner", "due", "note"] {
                            assert_eq!(it.get(k), None, "no plan yet: {k} absent");
                        }
                    }
                }
            }
        }
        assert_eq!(stripped, rust, "the page's roadmap is the rule's");
        let ef = page.as_array().unwrap().iter().find(|e| e["area"] == "EF").unwrap();
        assert!(!ef["met"].as_bool().unwrap() && !ef["steps"].as_array().unwrap().is_empty(), "{ef}");
        let comm = page.as_array().unwrap().iter().find(|e| e["area"] == "COMM").unwrap();
        assert_eq!(comm["assess_first"], true);
        assert!(page.as_array().unwrap().iter().all(|e| e["area"] != "RISK"), "no target, no entry");
        // what is shown: every item of the rule, in its order
        let shown = js(&c, "return [...document.querySelectorAll('[data-roadmap-area=\"EF\"] tr[data-roadmap-item]')].map(r => r.dataset.roadmapItem)").await?;
        let want: Vec<Value> = ef["steps"].as_array().unwrap().iter()
            .flat_map(|s| s["goals"].as_array().unwrap().iter().flat_map(|g| g["items"].as_array().unwrap().iter().map(|i| i["id"].clone())))
            .collect();
        assert_eq!(shown, json!(want));
        // a plan for the first item, typed as a person would
        let first = want[0].as_str().unwrap().to_string();
        let row = format!("tr[data-roadmap-item=\"{first}\"]");
        c.find(Locator::Css(&format!("{row} input[data-plan=owner]"))).await?.send_keys("=HYPERLINK(\"x\")").await?;
        js_with(&c, "const i = document.querySelector(arguments[0]); i.value = '2026-06-30'; i.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![json!(format!("{row} input[data-plan=due]"))]).await?;
        c.find(Locator::Css(&format!("{row} input[data-plan=note]"))).await?.send_keys("Board, \"Q2\"").await?;
        c.refresh().await?;
        let kept = js_with(&c, "return ['owner', 'due', 'note'].map(k => document.querySelector(arguments[0] + ` input[data-plan=${k}]`).value)",
            vec![json!(row)]).await?;
        assert_eq!(kept, json!(["=HYPERLINK(\"x\")", "2026-06-30", "Board, \"Q2\""]), "kept across a reload");
        let plan = json!({"owner": "=HYPERLINK(\"x\")", "due": "2026-06-30", "note": "Board, \"Q2\""});
        let file: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        assert_eq!(file["plan"], json!({ first.clone(): plan }), "in the answer file");
        let csv = js(&c, "return window.refbookSurvey.roadmapCSV()").await?.as_str().unwrap().to_string();
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\",2026-06-30,\"Board, \"\"Q2\"\"\""), "formula-safe CSV: {csv}");
        assert!(csv.lines().any(|l| l.starts_with("COMM,") && l.contains("assess first")), "{csv}");
        let json_out: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.roadmapJSON()").await?.as_str().unwrap())?;
        assert_eq!(json_out["format"], "refbook-roadmap");
        let ef_out = json_out["areas"].as_array().unwrap().iter().find(|e| e["area"] == "EF").unwrap();
        let item = &ef_out["steps"][0]["goals"][0]["items"][0];
        assert_eq!((&item["id"], &item["owner"], &item["due"]), (&json!(first), &plan["owner"], &plan["due"]));
        // the plan goes and comes back with the answer file
        c.execute("window.confirm = () => true;", vec![]).await?;
        js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])",
            vec![json!(json!({"format": "refbook-survey", "version": 2, "model": "cert-ref", "answers": {}}).to_string())]).await?;
        assert_eq!(js(&c, "return JSON.parse(window.refbookSurvey.exportJSON()).plan").await?, Value::Null);
        js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(file.to_string())]).await?;
        assert_eq!(js(&c, "return JSON.parse(window.refbookSurvey.exportJSON()).plan").await?, json!({ first: plan }));
        Ok(())
    })
    .await;
}

/// Compared with an earlier export and a snapshot: the answers that changed
/// (from -> to), the practices that became performed or stopped, each area's
/// level change; the comparisons chosen survive a reload.
#[tokio::test]
async fn compare_per_question_and_kept() {
    with_browser("compare", |c, _| async move {
        answer_ef(&c).await?;
        let earlier = js(&c, "return window.refbookSurvey.exportJSON()").await?;
        let earlier_csv = js(&c, "return window.refbookSurvey.exportCSV()").await?;
        let before = js(&c, "return window.refbookSurvey.score().EF.level").await?;
        // now every EF practice performed (level 1 at least), EF:GG2.GP1 no longer
        c.goto(&file_url("survey/index.html")).await?;
        js(&c, "document.querySelectorAll('fieldset[data-question^=\"EF\"]').forEach(f => {
                  const r = f.querySelector(`input[value=\"${f.dataset.question === 'EF:GG2.GP1' ? 1 : 3}\"]`); if (r) r.click(); })").await?;
        c.goto(&file_url("survey/results/index.html")).await?;
        let after = js(&c, "return window.refbookSurvey.score().EF.level").await?;
        assert_ne!(before, after, "the level moved");
        let r = js_with(&c, "return window.refbookSurvey.compareJSON(arguments[0], 'earlier.json')", vec![earlier]).await?;
        assert_eq!(r["ok"], true, "{r}");
        let check = async |c: &Client| -> R {
            let d = js(c, "return window.refbookSurvey.comparisons()[0].diff").await?;
            let gp = d["answers"].as_array().unwrap().iter().find(|x| x["id"] == "EF:GG2.GP1").unwrap();
            assert_eq!((&gp["from"], &gp["to"]), (&json!(3), &json!(1)));
            assert_eq!(d["stopped"], json!(["EF:GG2.GP1"]), "{d}");
            assert!(d["started"].as_array().unwrap().contains(&json!("EF-1.2")), "{d}");
            assert!(!d["answers"].as_array().unwrap().iter().any(|x| x["id"] == "EF-1.1"), "unchanged: not listed");
            let labels = js(c, "const l = window.refbook$data.survey.scale; return [l.find(s => s.value === 3).label, l.find(s => s.value === 1).label]").await?;
            let row = text(c, "#results-compare tr[data-changed=\"EF:GG2.GP1\"]").await?;
            assert!(row.contains(labels[0].as_str().unwrap()) && row.contains(labels[1].as_str().unwrap()), "from -> to: {row}");
            let lv = text(c, "#results-compare table.comparison tr[data-compare-area=\"EF\"]").await?;
            assert!(lv.contains(&format!("level {before}")) && lv.contains(&format!("level {after}")), "{lv}");
            assert!(text(c, "#results-compare .diff-stopped").await?.contains("EF:GG2.GP1"));
            Ok(())
        };
        check(&c).await?;
        c.refresh().await?;
        check(&c).await?; // kept
        // the same file exported as CSV compares the same, kept as well
        let r = js_with(&c, "return window.refbookSurvey.compareJSON(arguments[0], 'earlier.csv')", vec![earlier_csv]).await?;
        assert_eq!(r["ok"], true, "{r}");
        c.refresh().await?;
        let both = js(&c, "const d = window.refbookSurvey.comparisons().map(x => x.diff); return JSON.stringify(d[0]) === JSON.stringify(d[1]) && d.length === 2").await?;
        assert_eq!(both, json!(true), "CSV and JSON of one answer file compare alike");
        js(&c, "document.querySelector('#results-compare .compare-item[data-compare=\"1\"] button[data-action=compare-remove]').click()").await?;
        // a snapshot as a second comparison; removing the first leaves it
        js(&c, "window.refbookSurvey.saveSnapshot('Today', '2026-05-01')").await?;
        let id = js(&c, "return window.refbookSurvey.snapshots()[0].id").await?;
        js_with(&c, "window.refbookSurvey.compareSnapshot(arguments[0])", vec![id]).await?;
        assert_eq!(js(&c, "return document.querySelectorAll('#results-compare .compare-item').length").await?, json!(2));
        click(&c, "#results-compare .compare-item[data-compare=\"0\"] button[data-action=compare-remove]").await?;
        c.refresh().await?;
        let left = js(&c, "return window.refbookSurvey.comparisons().map(x => [x.name, x.diff.answers.length])").await?;
        assert_eq!(left, json!([["snapshot \u{201C}Today\u{201D} (2026-05-01)", 0]]), "the snapshot's comparison is kept");
        let bad = js_with(&c, "return window.refbookSurvey.compareJSON(arguments[0], 'x.json')",
            vec![json!("{\"format\":\"refbook-survey\",\"version\":1,\"model\":\"other\",\"answers\":{}}")]).await?;
        assert_eq!(bad["ok"], false);
        Ok(())
    })
    .await;
}

/// A word of a PDF page: its left and right edges and its text.
type Word = (f64, f64, String);
/// A PDF page: its width and its words.
type Page = (f64, Vec<Word>);

/// The words of each page of a PDF with the page's width (pdftotext -bbox):
/// [(width, [(xMin, xMax, word)])]. None without poppler.
fn pdf_words(pdf: &[u8], name: &str) -> Option<Vec<Page>> {
    let out = Path::new(TMP).join(format!("{name}-bbox-{}.pdf", std::process::id()));
    std::fs::write(&out, pdf).ok()?;
    let o = Command::new("pdftotext")
        .arg("-bbox")
        .arg(&out)
        .arg("-")
        .output()
        .ok()?;
    let _ = std::fs::remove_file(&out);
    let html = String::from_utf8_lossy(&o.stdout).into_owned();
    let num = |s: &str, k: &str| -> f64 {
        s.split(&format!("{k}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0.0)
    };
    let mut pages = Vec::new();
    for p in html.split("<page ").skip(1) {
        let width = num(p, "width");
        let words = p
            .split("<word ")
            .skip(1)
            .map(|w| {
                (
                    num(w, "xMin"),
                    num(w, "xMax"),
                    w.split('>')
                        .nth(1)
                        .unwrap_or("")
                        .split('<')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                )
            })
            .collect();
        pages.push((width, words));
    }
    Some(pages)
}

/// Every page holds something besides the running header, the page number and
/// the site's footer (the notice), and no word runs past the page's edges.
pub(in crate::browser) async fn pages_fit_and_are_not_only_the_notice(
    c: &Client,
    pdf: &[u8],
    name: &str,
) -> R<usize> {
    let footer = js(c, "return document.querySelector('.site-footer').innerText").await?;
    let footer: std::collections::HashSet<String> = footer
        .as_str()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let Some(pages) = pdf_words(pdf, name) else {
        return Ok(0);
    };
    for (i, (width, words)) in pages.iter().enumerate() {
        for (x0, x1, w) in words {
            assert!(
                *x0 >= 0.0 && *x1 <= *width + 0.5,
                "{name} page {}: {w:?} at {x0}..{x1} beyond the width {width}",
                i + 1
            );
        }
        // the margin boxes: above the first and below the last line of the body
        let body: Vec<&String> = words
            .iter()
            .map(|w| &w.2)
            .filter(|w| !footer.contains(*w))
            .collect();
        assert!(
            body.len() > 12,
            "{name} page {} holds only the notice or headers: {body:?}",
            i + 1
        );
    }
    Ok(pages.len())
}

/// The results print as a report: title block, numbered pages with a running
/// header, the chart within the page, N/A with reasons, notes, targets and the roadmap.
#[tokio::test]
async fn the_report_on_paper() {
    with_browser("report-pdf", |c, _| async move {
        answer_ef(&c).await?;
        js(
            &c,
            "const k = 'refbook:cert-ref:answers'; const s = JSON.parse(localStorage.getItem(k));
                s.answers['EF-1.2'] = {value: 'na', reason: 'Outsourced to the parent company'};
                s.answers['EF-1.1'].note = 'Minutes of the board, March';
                localStorage.setItem(k, JSON.stringify(s));",
        )
        .await?;
        c.refresh().await?;
        choose(&c, "#target-all", "2").await?;
        c.find(Locator::Css("tr[data-roadmap-item] input[data-plan=owner]"))
            .await?
            .send_keys("Head of Risk Office")
            .await?;
        let pdf = c
            .print(PrintConfiguration::builder().build().unwrap())
            .await?;
        let pages = super::print::pdf_pages(&pdf);
        assert!(pages >= 3, "{pages} pages");
        let Some(t) = super::print::pdf_text(&pdf, "report") else {
            return Ok(());
        };
        for want in [
            "Organization",
            "Acme =Corp",
            "Billing",
            "Ann",
            "2026-03-15",
            "Capability level by area",
            "Targets: current level against target",
            "Roadmap to the targets",
            "Outsourced to the parent company",
            "Minutes of the board, March",
            "Head of Risk Office",
            "Assessment report",
            &format!("Page 1 of {pages}"),
            &format!("Page {pages} of {pages}"),
        ] {
            assert!(t.contains(want), "{want:?} printed");
        }
        for not in [
            "mm/dd/yyyy",
            "Export roadmap CSV",
            "Save snapshot",
            "Print the report",
            "Every area in scope:",
        ] {
            assert!(!t.contains(not), "{not:?} is not printed");
        }
        assert_eq!(
            pages_fit_and_are_not_only_the_notice(&c, &pdf, "report").await?,
            pages
        );
        Ok(())
    })
    .await;
}
