//! Profiling aid for `serve`'s rebuild (#21): builds SITE once as `serve` does, then edits one
//! guide EDITS times (body, title or flag) and times each rebuild and the page that shows it.
//!
//! usage: cargo run --release --example preview_edit -- SITE KIND [EDITS]
//! Under callgrind, collect only the edits: `--toggle-collect='*edit_once*'`.

use std::time::Instant;

use carebook::serve::Pages;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(root), Some(kind)) = (args.get(1), args.get(2)) else {
        anyhow::bail!("usage: preview_edit SITE body|title|flag [EDITS]");
    };
    let edits: usize = args.get(3).map_or(Ok(5), |s| s.parse())?;
    let opts = carebook::Options::new(root);
    let guides = std::path::Path::new(root).join("content/guides");
    let mut names: Vec<String> = std::fs::read_dir(&guides)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let name = names[names.len() / 2].clone();
    let path = guides.join(&name);
    let rel = format!("content/guides/{name}");
    let page = format!("guides/{}.html", name.trim_end_matches(".md"));
    let original = std::fs::read_to_string(&path)?;

    let mut cache = carebook::Cache::default();
    let t = Instant::now();
    let outcome = carebook::run(&opts, carebook::Goal::Preview, Some(&mut cache))?;
    let Some((site, theme)) = outcome.site else {
        anyhow::bail!("{}", outcome.report.render_short());
    };
    let mut pages = Pages::new(site, theme, None);
    for p in [page.as_str(), "when-to-see-a-doctor.html", "index.html"] {
        pages.file(p);
    }
    eprintln!("first build {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let result = (|| {
        for i in 0..edits {
            let mark = format!("Edited {kind} {i}");
            let text = match kind.as_str() {
                "body" => format!("{}\n\n{mark}.\n", original.trim_end()),
                "title" => replace_line(&original, "title: ", &format!("title: {mark}")),
                "flag" => replace_line(&original, "  - sign: ", &format!("  - sign: {mark}")),
                _ => anyhow::bail!("unknown kind {kind}"),
            };
            std::fs::write(&path, text)?;
            pages = edit_once(&opts, &mut cache, pages, &rel, &page, kind, &mark)?;
        }
        Ok(())
    })();
    std::fs::write(&path, &original)?;
    result
}

/// Replaces the first line starting with `prefix` (after any indentation kept by the prefix).
fn replace_line(text: &str, prefix: &str, with: &str) -> String {
    let mut done = false;
    text.lines()
        .map(|l| {
            if !done && l.starts_with(prefix) {
                done = true;
                with.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[inline(never)]
fn edit_once(
    opts: &carebook::Options,
    cache: &mut carebook::Cache,
    earlier: Pages,
    rel: &str,
    page: &str,
    kind: &str,
    mark: &str,
) -> anyhow::Result<Pages> {
    let t0 = Instant::now();
    cache.changed(&[rel.to_string()]);
    let outcome = carebook::run(opts, carebook::Goal::Preview, Some(cache))?;
    let Some((site, theme)) = outcome.site else {
        anyhow::bail!("{}", outcome.report.render_short());
    };
    let t1 = Instant::now();
    let pages = Pages::new(site, theme, Some(&earlier));
    std::thread::spawn(move || drop(earlier));
    let t2 = Instant::now();
    let target = if kind == "flag" { "when-to-see-a-doctor.html" } else { page };
    let bytes = pages.file(target).and_then(Result::ok).unwrap_or_else(|| std::sync::Arc::from(&b""[..]));
    let t3 = Instant::now();
    let shown = String::from_utf8_lossy(&bytes).contains(mark);
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
    eprintln!(
        "{kind}: run {:.1} ms, pages {:.1} ms, {target} {:.1} ms, total {:.1} ms{}; made again {:?}",
        ms(t0, t1),
        ms(t1, t2),
        ms(t2, t3),
        ms(t0, t3),
        if shown { "" } else { " (NOT SHOWN)" },
        pages.made_again()
    );
    Ok(pages)
}
