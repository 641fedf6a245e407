//! Model: the [`Site`] the renderer reads — sorted lists, backlinks, the red-flag index and every
//! link already resolved. Built only when `check` found no errors.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::check::{Target, is_draft};
use crate::config::Config;
use crate::load::Stamp;
use crate::parse::InlineDoc;
use crate::parse::Parsed;
use crate::schema::{GuideMatter, Kind, Matter, PageMatter, RedFlag, SharedMatter, Spanned, Step, TermMatter, Urgency};

pub use crate::check::FileId;
pub(crate) use crate::check::FileLinks;
pub(crate) use keep::Cache;

mod keep;

/// One red flag of a guide: its tier, the guide, and its place in the guide's `see_a_doctor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagRef {
    /// The flag's tier.
    pub urgency: Urgency,
    /// The guide's file.
    pub(crate) guide: FileId,
    /// Where the flag is in the guide's `see_a_doctor` list ([`Site::flag`] gives the flag).
    index: usize,
}

/// A guide of the site: its file and its front matter.
#[derive(Clone, Debug)]
pub struct Guide {
    /// Its file.
    pub file: FileId,
    /// Its front matter, with `- shared: id` items replaced by their blocks.
    pub matter: Arc<GuideMatter>,
}

/// A symptom or a cause: its file and its front matter.
#[derive(Clone, Debug)]
pub struct Term {
    /// Its file.
    pub file: FileId,
    /// Its front matter.
    pub(crate) matter: Arc<TermMatter>,
}

/// A symptom ([`Term`] in `content/symptoms/`).
pub(crate) type Symptom = Term;
/// A cause ([`Term`] in `content/causes/`).
pub(crate) type Cause = Term;

/// A free page: its file and its front matter.
#[derive(Clone, Debug)]
pub struct Page {
    /// Its file.
    pub(crate) file: FileId,
    /// Its front matter.
    pub(crate) matter: Arc<PageMatter>,
}

/// A file of the site that has a page, as its list holds it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Listed<'s> {
    /// A guide.
    Guide(&'s Guide),
    /// A symptom or a cause.
    Term(&'s Term),
    /// A free page.
    Page(&'s Page),
}

/// Where a file is in its typed list (an index that never leaves the model).
#[derive(Clone, Copy, Debug)]
enum Place {
    Guide(usize),
    Symptom(usize),
    Cause(usize),
    Page(usize),
}

/// The whole site, ready to render.
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// Guides in list order (by `order`, then title).
    pub guides: Vec<Guide>,
    /// Symptoms by title.
    pub symptoms: Vec<Symptom>,
    /// Causes by title.
    pub causes: Vec<Cause>,
    /// Free pages by title.
    pub pages: Vec<Page>,
    /// For each symptom or cause, the guides that list it (in guide order).
    pub backlinks: HashMap<FileId, Vec<FileId>>,
    /// Every red flag, most urgent first, then guide order.
    pub red_flags: Vec<FlagRef>,
    /// The red flags that name each symptom (`symptom:`), in the order of `red_flags`.
    pub(crate) flags_of_symptom: HashMap<FileId, Vec<FlagRef>>,
    /// Content assets that pages link to (root-relative paths), with what each file was when it
    /// was checked. A linked file with no stamp was made in memory (fuzzing, property tests): it
    /// has nothing to copy and is left out.
    pub(crate) assets: BTreeMap<String, Stamp>,
    /// The files of `static/` (root-relative paths), copied to the top of the output, with what
    /// each was when it was checked.
    pub(crate) statics: BTreeMap<String, Stamp>,
    /// Its translations and its place among the site's languages ([`crate::lang`]).
    pub lang: crate::lang::SiteLang,
    /// Every parsed file, by [`FileId`].
    files: Vec<Parsed>,
    /// Each file's resolved links, by [`FileId`].
    links: Vec<FileLinks>,
    /// Each file's place in its typed list, by [`FileId`] (`None`: drafts, shared blocks).
    places: Vec<Option<Place>>,
    /// Files by kind, then id (looked up with a borrowed id: no allocation per link).
    index_ids: Arc<HashMap<Kind, HashMap<String, FileId>>>,
    /// The output path of each file (pages link to each other thousands of times).
    out_paths: Arc<Vec<String>>,
}

impl Site {
    /// The parsed file `id`.
    pub fn file(&self, id: FileId) -> &Parsed {
        &self.files[id.index()]
    }

    /// Every parsed file, with its id.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &Parsed)> {
        FileId::all(self.files.len()).zip(&self.files)
    }

    /// File `id` as its list holds it; `None` for drafts left out and shared blocks.
    pub(crate) fn listed(&self, id: FileId) -> Option<Listed<'_>> {
        Some(match self.places.get(id.index()).copied().flatten()? {
            Place::Guide(n) => Listed::Guide(&self.guides[n]),
            Place::Symptom(n) => Listed::Term(&self.symptoms[n]),
            Place::Cause(n) => Listed::Term(&self.causes[n]),
            Place::Page(n) => Listed::Page(&self.pages[n]),
        })
    }

    /// File `id`, if it is a listed guide.
    pub fn guide(&self, id: FileId) -> Option<&Guide> {
        match self.listed(id)? {
            Listed::Guide(g) => Some(g),
            _ => None,
        }
    }

    /// File `id`, if it is a listed symptom or cause.
    pub(crate) fn term(&self, id: FileId) -> Option<&Term> {
        match self.listed(id)? {
            Listed::Term(t) => Some(t),
            _ => None,
        }
    }

    /// File `id`, if it is a listed free page.
    pub(crate) fn page(&self, id: FileId) -> Option<&Page> {
        match self.listed(id)? {
            Listed::Page(p) => Some(p),
            _ => None,
        }
    }

    /// The red flag `flag` points to, with its guide.
    pub fn flag(&self, flag: FlagRef) -> Option<(&Guide, &RedFlag)> {
        let g = self.guide(flag.guide)?;
        Some((g, g.matter.see_a_doctor.get(flag.index)?))
    }

    /// The listed file of `kind` with `id`.
    pub fn find(&self, kind: Kind, id: &str) -> Option<FileId> {
        self.index_ids.get(&kind).and_then(|ids| ids.get(id)).copied()
    }

    /// The output path of file `id` (`guides/mastitis.html`).
    pub fn out_path(&self, id: FileId) -> &str {
        &self.out_paths[id.index()]
    }

    /// The resolved links of file `id`.
    pub(crate) fn links(&self, id: FileId) -> &FileLinks {
        &self.links[id.index()]
    }

    /// The title of file `id`.
    pub(crate) fn title(&self, id: FileId) -> &str {
        match self.files[id.index()].matter.as_deref() {
            Some(Matter::Guide(g)) => &g.title.value,
            Some(Matter::Term(t)) => &t.title.value,
            Some(Matter::Page(p)) => &p.title.value,
            Some(Matter::Shared(_)) | None => &self.files[id.index()].id,
        }
    }

    /// The output paths of every listed file: guides, symptoms, causes, then pages.
    pub fn listed_paths(&self) -> impl Iterator<Item = &str> {
        let guides = self.guides.iter().map(|g| g.file);
        let terms = self.symptoms.iter().chain(&self.causes).map(|t| t.file);
        guides.chain(terms).chain(self.pages.iter().map(|p| p.file)).map(|f| self.out_path(f))
    }
}

/// Builds the site model from files that passed `check`.
pub(crate) fn build(config: Config, checked: crate::pipeline::Checked, drafts: bool) -> Site {
    build_kept(config, checked, drafts, None)
}

/// [`build`], taking from `cache` the whole-site parts of the last site built with it when they
/// still hold ([`keep`]), and keeping this site's there.
pub(crate) fn build_kept(
    config: Config,
    checked: crate::pipeline::Checked,
    drafts: bool,
    cache: Option<&mut Cache>,
) -> Site {
    let crate::pipeline::Checked { parsed: mut files, mut links, statics, stamps } = checked;
    expand_shared(&mut files, &mut links);
    // A file of `static/` without a stamp was refused with an error, so it is not here.
    let statics = statics
        .into_iter()
        .filter_map(|p| {
            let stamp = stamps.get(&p).cloned()?;
            Some((p, stamp))
        })
        .collect();
    let assets = linked_assets(&links, &stamps);
    let kept = cache.as_deref().and_then(|c| c.parts(&files, drafts));
    let mut site = Site {
        out_paths: Arc::default(),
        places: Vec::new(),
        config,
        guides: Vec::new(),
        symptoms: Vec::new(),
        causes: Vec::new(),
        pages: Vec::new(),
        files,
        links,
        backlinks: HashMap::new(),
        red_flags: Vec::new(),
        flags_of_symptom: HashMap::new(),
        assets,
        statics,
        lang: Default::default(),
        index_ids: Arc::default(),
    };
    match kept {
        Some(keep::Taken { parts, guides_moved }) => {
            let keep::Parts { out_paths, index_ids, places, order, backlinks, red_flags, flags_of_symptom } = parts;
            (site.out_paths, site.index_ids, site.places) = (out_paths, index_ids, places);
            fill_lists(&mut site, order);
            if guides_moved {
                backlinks_and_flags(&mut site);
            } else {
                (site.backlinks, site.red_flags, site.flags_of_symptom) = (backlinks, red_flags, flags_of_symptom);
            }
        }
        None => {
            let files = &site.files;
            site.out_paths = Arc::new(files.iter().map(|f| [f.kind.folder(), "/", &f.id, ".html"].concat()).collect());
            site.places = vec![None; files.len()];
            site.index_ids = Arc::new(index_ids(files, drafts));
            lists(&mut site);
            backlinks_and_flags(&mut site);
        }
    }
    if let Some(cache) = cache {
        cache.keep(&site, drafts);
    }
    site
}

/// Is `f` listed: typed, not a shared block, and not a draft left out?
fn is_listed(f: &Parsed, drafts: bool) -> bool {
    f.matter.is_some() && f.kind != Kind::Shared && (drafts || !is_draft(f))
}

/// The content files that pages link to, with what each was when it was checked.
fn linked_assets(links: &[FileLinks], stamps: &HashMap<String, Stamp>) -> BTreeMap<String, Stamp> {
    let mut assets = BTreeMap::new();
    for l in links {
        for t in l.body.iter().chain(l.inline.values().flatten()) {
            if let Target::Asset(p) = t
                && !assets.contains_key(p)
                && let Some(stamp) = stamps.get(p)
            {
                assets.insert(p.clone(), stamp.clone());
            }
        }
    }
    assets
}

/// The files that have a page (typed, and not drafts unless `drafts`), by kind and id.
fn index_ids(files: &[Parsed], drafts: bool) -> HashMap<Kind, HashMap<String, FileId>> {
    let mut index_ids: HashMap<Kind, HashMap<String, FileId>> = HashMap::new();
    for (i, f) in FileId::all(files.len()).zip(files) {
        if is_listed(f, drafts) {
            index_ids.entry(f.kind).or_default().entry(f.id.clone()).or_insert(i);
        }
    }
    index_ids
}

/// Fills the typed lists, sorted: guides by `order`, then title; the others by title.
fn lists(site: &mut Site) {
    let title_key = |s: &Site, i: FileId| (s.title(i).to_lowercase(), s.files[i.index()].id.clone());
    let of_kind = |k: Kind| -> Vec<FileId> {
        let mut v: Vec<FileId> = site.index_ids.get(&k).map(|ids| ids.values().copied().collect()).unwrap_or_default();
        if k == Kind::Guide {
            v.sort_by_cached_key(|&i| {
                let order = match site.files[i.index()].matter.as_deref() {
                    Some(Matter::Guide(g)) => g.order,
                    _ => None,
                };
                (order.is_none(), order, title_key(site, i))
            });
        } else {
            v.sort_by_cached_key(|&i| title_key(site, i));
        }
        v
    };
    let order = [Kind::Guide, Kind::Symptom, Kind::Cause, Kind::Page].map(of_kind);
    fill_lists(site, order);
}

/// Fills the typed lists with the files of `order` (guides, symptoms, causes, pages), each
/// with its front matter, and notes each file's place.
fn fill_lists(site: &mut Site, order: [Vec<FileId>; 4]) {
    let kinds = [Kind::Guide, Kind::Symptom, Kind::Cause, Kind::Page];
    for (kind, list) in kinds.into_iter().zip(order) {
        for file in list {
            let i = file.index();
            let place = match site.files[i].matter.as_deref() {
                Some(Matter::Guide(m)) => {
                    site.guides.push(Guide { file, matter: Arc::clone(m) });
                    Place::Guide(site.guides.len() - 1)
                }
                Some(Matter::Term(m)) if kind == Kind::Symptom => {
                    site.symptoms.push(Term { file, matter: Arc::clone(m) });
                    Place::Symptom(site.symptoms.len() - 1)
                }
                Some(Matter::Term(m)) => {
                    site.causes.push(Term { file, matter: Arc::clone(m) });
                    Place::Cause(site.causes.len() - 1)
                }
                Some(Matter::Page(m)) => {
                    site.pages.push(Page { file, matter: Arc::clone(m) });
                    Place::Page(site.pages.len() - 1)
                }
                Some(Matter::Shared(_)) | None => continue,
            };
            site.places[i] = Some(place);
        }
    }
}

/// Backlinks (the guides that list each symptom and cause) and the red flags by tier.
fn backlinks_and_flags(site: &mut Site) {
    let mut backlinks: HashMap<FileId, Vec<FileId>> = HashMap::new();
    let mut flags = Vec::new();
    for g in &site.guides {
        let m = &g.matter;
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
                backlinks.entry(t).or_default().push(g.file);
            }
        }
        for (n, f) in m.see_a_doctor.iter().enumerate() {
            flags.push(FlagRef { urgency: f.urgency.value, guide: g.file, index: n });
        }
    }
    // Stable sort: within a tier, guides keep list order and flags their written order.
    flags.sort_by_key(|f| f.urgency);
    let mut flags_of_symptom: HashMap<FileId, Vec<FlagRef>> = HashMap::new();
    for &flag in &flags {
        let symptom = site.flag(flag).and_then(|(_, f)| f.symptom.as_ref());
        if let Some(t) = symptom.and_then(|id| site.find(Kind::Symptom, &id.value)) {
            flags_of_symptom.entry(t).or_default().push(flag);
        }
    }
    site.backlinks = backlinks;
    site.red_flags = flags;
    site.flags_of_symptom = flags_of_symptom;
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
/// Markdown and resolved links, so that everything after this sees the item as if it were written
/// in the guide (its links were resolved from the block's own file, where they are written).
/// `check` made sure that every id names a block of the right kind.
fn expand_shared(files: &mut [Parsed], links: &mut [FileLinks]) {
    let mut blocks: BTreeMap<String, SharedBlock> = BTreeMap::new();
    for (f, l) in files.iter().zip(links.iter()).filter(|(f, _)| f.kind == Kind::Shared) {
        if let Some(Matter::Shared(m)) = f.matter.as_deref() {
            let by = shared_shift(blocks.len());
            let inline = f
                .inline
                .iter()
                .map(|(k, d)| (k.saturating_add(by), InlineDoc { base: d.base.saturating_add(by), doc: d.doc.clone() }))
                .collect();
            let targets = l.inline.iter().map(|(k, t)| (k.saturating_add(by), t.clone())).collect();
            blocks.entry(f.id.clone()).or_insert(SharedBlock { matter: m.clone(), inline, targets, by });
        }
    }
    if blocks.is_empty() {
        return;
    }
    for (f, l) in files.iter_mut().zip(links.iter_mut()) {
        let uses = |g: &GuideMatter| {
            g.steps.iter().any(|s| s.shared.is_some()) || g.see_a_doctor.iter().any(|r| r.shared.is_some())
        };
        let Some(matter) = f.matter.as_mut() else { continue };
        if !matches!(&**matter, Matter::Guide(g) if uses(g)) {
            continue;
        }
        let Matter::Guide(g) = Arc::make_mut(matter) else { continue };
        let g = Arc::make_mut(g);
        let inline = Arc::make_mut(&mut f.inline);
        let mut used = |b: &SharedBlock| {
            inline.extend(b.inline.iter().map(|(k, d)| (*k, d.clone())));
            l.inline.extend(b.targets.iter().map(|(k, t)| (*k, t.clone())));
        };
        for step in &mut g.steps {
            let Some(b) = step.shared.as_ref().and_then(|id| blocks.get(&id.value)) else { continue };
            let Some(block) = b.matter.steps.first() else { continue };
            *step = shifted_step(block.clone(), b.by);
            used(b);
        }
        for flag in &mut g.see_a_doctor {
            let Some(b) = flag.shared.as_ref().and_then(|id| blocks.get(&id.value)) else { continue };
            let Some(block) = b.matter.see_a_doctor.first() else { continue };
            *flag = shifted_flag(block.clone(), b.by);
            used(b);
        }
    }
}

/// A shared block as the guides that use it take it: its item, its rendered Markdown fields and
/// their resolved links (keys shifted by `by`, see [`shared_shift`]).
struct SharedBlock {
    matter: SharedMatter,
    inline: BTreeMap<usize, InlineDoc>,
    targets: BTreeMap<usize, Vec<Target>>,
    by: usize,
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
