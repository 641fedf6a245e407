//! Model: the [`Site`] the renderer reads — sorted lists, backlinks, the red-flag index and every
//! link already resolved. Built only when `check` found no errors.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use crate::check::{Index, Target, is_draft};
use crate::config::Config;
use crate::load::Stamp;
use crate::parse::InlineDoc;
use crate::parse::Parsed;
use crate::schema::{GuideMatter, Kind, Matter, PageMatter, RedFlag, SharedMatter, Spanned, Step, TermMatter, Urgency};

/// One red flag of a guide: its tier, the guide, and its place in the guide's `see_a_doctor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagRef {
    /// The flag's tier.
    pub urgency: Urgency,
    /// The guide (an index into [`Site::files`]).
    pub guide: usize,
    /// Where the flag is in the guide's `see_a_doctor` list.
    pub index: usize,
}

/// The whole site, ready to render.
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// Every parsed file (indices below point into it).
    pub files: Vec<Parsed>,
    /// Guides in list order (by `order`, then title).
    pub guides: Vec<usize>,
    /// Symptoms by title.
    pub symptoms: Vec<usize>,
    /// Causes by title.
    pub causes: Vec<usize>,
    /// Free pages by title.
    pub pages: Vec<usize>,
    /// For each symptom or cause, the guides that list it (in guide order).
    pub backlinks: BTreeMap<usize, Vec<usize>>,
    /// Every red flag: (tier, guide, index of the flag in the guide), most urgent first, then guide order.
    pub red_flags: Vec<FlagRef>,
    /// The red flags that name each symptom (`symptom:`), in the order of `red_flags`.
    pub flags_of_symptom: BTreeMap<usize, Vec<FlagRef>>,
    /// Resolved links of each file's body, in link order.
    pub body_links: Vec<Vec<Target>>,
    /// Resolved links of inline fields, by the field's byte offset.
    pub inline_links: Vec<BTreeMap<usize, Vec<Target>>>,
    /// Content assets that pages link to (root-relative paths), with what each file was when it
    /// was checked (`None` for files that were never on disk).
    pub assets: BTreeMap<String, Option<Stamp>>,
    /// The files of `static/` (root-relative paths), copied to the top of the output, with what
    /// each was when it was checked.
    pub statics: BTreeMap<String, Option<Stamp>>,
    /// Its translations and its place among the site's languages ([`crate::lang`]).
    pub lang: crate::lang::SiteLang,
    /// Files by kind, then id (looked up with a borrowed id: no allocation per link).
    index_ids: BTreeMap<Kind, BTreeMap<String, usize>>,
    /// The output path of each file (pages link to each other thousands of times).
    out_paths: Vec<String>,
}

impl Site {
    /// The guide front matter of file `i` (the model only holds guides whose matter is typed).
    pub fn guide(&self, i: usize) -> Option<&GuideMatter> {
        match self.files[i].matter.as_deref() {
            Some(Matter::Guide(g)) => Some(g),
            _ => None,
        }
    }

    /// The symptom/cause front matter of file `i`.
    pub fn term(&self, i: usize) -> Option<&TermMatter> {
        match self.files[i].matter.as_deref() {
            Some(Matter::Term(t)) => Some(t),
            _ => None,
        }
    }

    /// The page front matter of file `i`.
    pub fn page(&self, i: usize) -> Option<&PageMatter> {
        match self.files[i].matter.as_deref() {
            Some(Matter::Page(p)) => Some(p),
            _ => None,
        }
    }

    /// The red flag `flag` points to.
    pub fn flag(&self, flag: FlagRef) -> Option<&RedFlag> {
        self.guide(flag.guide)?.see_a_doctor.get(flag.index)
    }

    /// The file of `kind` with `id`.
    pub fn find(&self, kind: Kind, id: &str) -> Option<usize> {
        self.index_ids.get(&kind).and_then(|ids| ids.get(id)).copied()
    }

    /// The output path of file `i` (`guides/mastitis.html`).
    pub fn out_path(&self, i: usize) -> &str {
        &self.out_paths[i]
    }

    /// The title of file `i`.
    pub fn title(&self, i: usize) -> &str {
        match self.files[i].matter.as_deref() {
            Some(Matter::Guide(g)) => &g.title.value,
            Some(Matter::Term(t)) => &t.title.value,
            Some(Matter::Page(p)) => &p.title.value,
            Some(Matter::Shared(_)) | None => &self.files[i].id,
        }
    }
}

/// One file's resolved links: its body's, and each inline field's by the field's offset.
type FileLinks = (Vec<Target>, BTreeMap<usize, Vec<Target>>);

/// Builds the site model from files that passed `check`.
pub fn build(config: Config, checked: crate::pipeline::Checked, drafts: bool) -> Site {
    let crate::pipeline::Checked { parsed: mut files, assets, statics, stamps } = checked;
    expand_shared(&mut files);
    let assets = &assets[..];
    let statics = statics
        .into_iter()
        .map(|p| {
            let stamp = stamps.get(&p).cloned();
            (p, stamp)
        })
        .collect();
    let (body_links, inline_links, asset_refs) = {
        let index = Index::new(&files, assets, &[], &[], &[], drafts);
        let resolve = |i: usize, dest: &str| index.resolve(i, dest).unwrap_or_else(|_| Target::External("#".into()));
        // Each file's links on their own, in parallel (tens of thousands at 10,000 guides).
        let resolved: Vec<FileLinks> = files
            .par_iter()
            .enumerate()
            .map(|(i, f)| {
                let body: Vec<Target> = f.body.links.iter().map(|l| resolve(i, &l.dest)).collect();
                let inline = f
                    .inline
                    .iter()
                    .map(|(start, field)| (*start, field.doc.links.iter().map(|l| resolve(i, &l.dest)).collect()))
                    .collect();
                (body, inline)
            })
            .collect();
        let mut asset_refs = BTreeMap::new();
        for (body, inline) in &resolved {
            for t in body.iter().chain(inline.values().flatten()) {
                if let Target::Asset(p) = t
                    && !asset_refs.contains_key(p)
                {
                    asset_refs.insert(p.clone(), stamps.get(p).cloned());
                }
            }
        }
        let (body_links, inline_links) = resolved.into_iter().unzip();
        (body_links, inline_links, asset_refs)
    };
    let included = |f: &Parsed| f.matter.is_some() && (drafts || !is_draft(f));
    let mut index_ids: BTreeMap<Kind, BTreeMap<String, usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if included(f) {
            index_ids.entry(f.kind).or_default().entry(f.id.clone()).or_insert(i);
        }
    }
    let of_kind =
        |k: Kind| -> Vec<usize> { index_ids.get(&k).map(|ids| ids.values().copied().collect()).unwrap_or_default() };
    let out_paths = files.iter().map(|f| [f.kind.folder(), "/", &f.id, ".html"].concat()).collect();
    let mut site = Site {
        out_paths,
        config,
        guides: of_kind(Kind::Guide),
        symptoms: of_kind(Kind::Symptom),
        causes: of_kind(Kind::Cause),
        pages: of_kind(Kind::Page),
        files,
        backlinks: BTreeMap::new(),
        red_flags: Vec::new(),
        flags_of_symptom: BTreeMap::new(),
        body_links,
        inline_links,
        assets: asset_refs,
        statics,
        lang: Default::default(),
        index_ids,
    };
    let title_key = |s: &Site, i: usize| (s.title(i).to_lowercase(), s.files[i].id.clone());
    let mut guides = std::mem::take(&mut site.guides);
    guides.sort_by_cached_key(|&i| {
        let order = site.guide(i).and_then(|g| g.order);
        (order.is_none(), order, title_key(&site, i))
    });
    site.guides = guides;
    for list in [Kind::Symptom, Kind::Cause, Kind::Page] {
        let mut v = match list {
            Kind::Symptom => std::mem::take(&mut site.symptoms),
            Kind::Cause => std::mem::take(&mut site.causes),
            _ => std::mem::take(&mut site.pages),
        };
        v.sort_by_cached_key(|&i| title_key(&site, i));
        match list {
            Kind::Symptom => site.symptoms = v,
            Kind::Cause => site.causes = v,
            _ => site.pages = v,
        }
    }
    let mut backlinks: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut flags = Vec::new();
    for &g in &site.guides {
        let Some(m) = site.guide(g) else { continue };
        let mut seen = BTreeSet::new();
        let targets = m
            .symptoms
            .iter()
            .map(|s| (Kind::Symptom, s))
            .chain(m.causes.iter().map(|c| (Kind::Cause, c)))
            .chain(m.see_a_doctor.iter().filter_map(|f| f.symptom.as_ref()).map(|s| (Kind::Symptom, s)));
        for (k, id) in targets {
            if let Some(t) = site.find(k, &id.value)
                && seen.insert(t)
            {
                backlinks.entry(t).or_default().push(g);
            }
        }
        for (n, f) in m.see_a_doctor.iter().enumerate() {
            flags.push(FlagRef { urgency: f.urgency.value, guide: g, index: n });
        }
    }
    // Stable sort: within a tier, guides keep list order and flags their written order.
    flags.sort_by_key(|f| f.urgency);
    let mut flags_of_symptom: BTreeMap<usize, Vec<FlagRef>> = BTreeMap::new();
    for &flag in &flags {
        let symptom = site.flag(flag).and_then(|f| f.symptom.as_ref());
        if let Some(t) = symptom.and_then(|id| site.find(Kind::Symptom, &id.value)) {
            flags_of_symptom.entry(t).or_default().push(flag);
        }
    }
    site.backlinks = backlinks;
    site.red_flags = flags;
    site.flags_of_symptom = flags_of_symptom;
    site
}

/// Where the spans of shared block number `n` go in a guide that uses it: past every offset of
/// a real file (at most [`crate::load::MAX_FILE_BYTES`]), one window per block, so that its
/// rendered Markdown fields keep keys of their own in the guide's `inline` map.
fn shared_shift(n: usize) -> usize {
    let window = usize::try_from(crate::load::MAX_FILE_BYTES).unwrap_or(usize::MAX / 4).saturating_add(1);
    (usize::MAX / 2).saturating_add(n.saturating_mul(window))
}

fn shift<T>(s: &mut Spanned<T>, by: usize) {
    s.span = s.span.start.saturating_add(by)..s.span.end.saturating_add(by);
}

/// Puts each guide's `- shared: id` items' blocks in their place, with the blocks' rendered
/// Markdown, so that everything after this sees the item as if it were written in the guide.
/// `check` made sure that every id names a block of the right kind.
fn expand_shared(files: &mut [Parsed]) {
    let mut blocks: BTreeMap<String, (SharedMatter, BTreeMap<usize, InlineDoc>, usize)> = BTreeMap::new();
    for f in files.iter().filter(|f| f.kind == Kind::Shared) {
        if let Some(Matter::Shared(m)) = f.matter.as_deref() {
            let by = shared_shift(blocks.len());
            let inline = f
                .inline
                .iter()
                .map(|(k, d)| (k.saturating_add(by), InlineDoc { base: d.base.saturating_add(by), doc: d.doc.clone() }))
                .collect();
            blocks.entry(f.id.clone()).or_insert((m.clone(), inline, by));
        }
    }
    if blocks.is_empty() {
        return;
    }
    for f in files.iter_mut() {
        let uses = |g: &GuideMatter| {
            g.steps.iter().any(|s| s.shared.is_some()) || g.see_a_doctor.iter().any(|r| r.shared.is_some())
        };
        let Some(matter) = f.matter.as_mut() else { continue };
        if !matches!(&**matter, Matter::Guide(g) if uses(g)) {
            continue;
        }
        let Matter::Guide(g) = std::sync::Arc::make_mut(matter) else { continue };
        let inline = std::sync::Arc::make_mut(&mut f.inline);
        for step in &mut g.steps {
            let Some((m, docs, by)) = step.shared.as_ref().and_then(|id| blocks.get(&id.value)) else { continue };
            let Some(block) = m.steps.first() else { continue };
            *step = shifted_step(block.clone(), *by);
            inline.extend(docs.iter().map(|(k, d)| (*k, d.clone())));
        }
        for flag in &mut g.see_a_doctor {
            let Some((m, docs, by)) = flag.shared.as_ref().and_then(|id| blocks.get(&id.value)) else { continue };
            let Some(block) = m.see_a_doctor.first() else { continue };
            *flag = shifted_flag(block.clone(), *by);
            inline.extend(docs.iter().map(|(k, d)| (*k, d.clone())));
        }
    }
}

fn shifted_step(mut s: Step, by: usize) -> Step {
    shift(&mut s.title, by);
    shift(&mut s.text, by);
    s.caution.iter_mut().chain(&mut s.cite).for_each(|t| shift(t, by));
    s
}

fn shifted_flag(mut f: RedFlag, by: usize) -> RedFlag {
    shift(&mut f.sign, by);
    shift(&mut f.urgency, by);
    f.symptom.iter_mut().chain(&mut f.cite).for_each(|t| shift(t, by));
    f
}
