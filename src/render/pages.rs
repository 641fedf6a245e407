//! The pages: each job's file, and the contexts of guides, symptoms, causes and free pages.

use super::context::*;
use super::dates::iso_date;
use super::links::Ctx;
use super::{Job, RenderError, Renderer};
use crate::diagnostic::Diagnostic;
use crate::lang::date_text;
use crate::markdown::{self, MdDoc};
use crate::model::{FileId, Guide, Page, Term};
use crate::output::{OutputFile, Sink};
use crate::schema::{GuideMatter, Kind, RedFlag, Source, Spanned, Urgency};
use crate::templates::Shared;

/// The doctor index.
const DOCTOR_PAGE: &str = "when-to-see-a-doctor.html";

/// The template of one sign of the doctor index.
const FLAG_TEMPLATE: &str = "_doctor_flag.html";

impl<'a> Renderer<'a> {
    /// The page of guide `g`, whose body `doc` is already rendered.
    pub(super) fn guide_page(
        &self,
        sink: &dyn Sink,
        g: &Guide,
        doc: &MdDoc,
    ) -> Result<Option<OutputFile>, RenderError> {
        let guide = self.guide_ctx(g, Ctx::Page { root: "../" }, doc)?;
        let (title, summary) = (guide.title, guide.summary);
        self.page(sink, self.site.out_path(g.file), "guide.html", "guide", title, Some(summary), GuidePageCtx { guide })
    }

    /// Makes the file of `job`: returned, or (for the few that grow with the site) written into
    /// `sink` a piece at a time.
    pub(super) fn job(&self, job: &Job, sink: &dyn Sink) -> Result<Option<OutputFile>, RenderError> {
        let s = self.site;
        match *job {
            Job::Home => {
                let x = HomeCtx {
                    guides: self.items(s.guides.iter().take(HOME_LIST).map(|g| g.file))?,
                    guide_count: s.guides.len(),
                    symptoms: self.items(s.symptoms.iter().take(HOME_LIST).map(|t| t.file))?,
                    causes: self.items(s.causes.iter().take(HOME_LIST).map(|t| t.file))?,
                };
                let title = s.config.title.as_str();
                let common = self.common("index.html", "home", title, s.config.description.as_deref(), x);
                self.page_into(sink, "home.html", common)?;
                Ok(None)
            }
            Job::GuideIndex => {
                let x = GuideIndexCtx { guides: self.items(s.guides.iter().map(|g| g.file))? };
                self.page(
                    sink,
                    "guides/index.html",
                    "guides.html",
                    "guide-index",
                    crate::lang::word(s, "guides_title", "Guides"),
                    None,
                    x,
                )
            }
            Job::SymptomIndex | Job::CauseIndex => self.term_index(sink, matches!(job, Job::SymptomIndex)),
            Job::Doctor => {
                let common = self.common(
                    DOCTOR_PAGE,
                    "doctor",
                    crate::lang::word(s, "when_to_see_a_doctor", "When to see a doctor"),
                    None,
                    self.doctor()?,
                );
                self.page_into(sink, "doctor.html", common)?;
                Ok(None)
            }
            Job::Search => {
                crate::search::write(s, sink).map_err(RenderError::Output)?;
                Ok(None)
            }
            Job::NotFound => self.page(
                sink,
                "404.html",
                "404.html",
                "not-found",
                crate::lang::word(s, "title_not_found", "Page not found"),
                None,
                NotFoundCtx {},
            ),
            Job::Guide(g) => self.guide_page(sink, g, &s.file(g.file).body_html(self.md)),
            Job::Term(t) => self.term_page(sink, t),
            Job::Page(p) => self.free_page(sink, p),
        }
    }

    /// symptoms/index.html (`symptoms`) or causes/index.html: every term with its number of guides.
    fn term_index(&self, sink: &dyn Sink, symptoms: bool) -> Result<Option<OutputFile>, RenderError> {
        let s = self.site;
        let (list, path, tpl, kind, title) = if symptoms {
            (
                &s.symptoms,
                "symptoms/index.html",
                "symptoms.html",
                "symptom-index",
                crate::lang::word(s, "title_symptoms", "Symptoms"),
            )
        } else {
            (
                &s.causes,
                "causes/index.html",
                "causes.html",
                "cause-index",
                crate::lang::word(s, "title_causes", "Causes"),
            )
        };
        let items = list
            .iter()
            .map(|t| IndexItem { entry: self.entry(t.file), guide_count: s.backlinks.get(&t.file).map_or(0, Vec::len) })
            .collect();
        self.page(sink, path, tpl, kind, title, None, IndexCtx { items })
    }

    /// when-to-see-a-doctor.html's variables: every red flag by tier.
    pub(super) fn doctor(&self) -> Result<DoctorCtx<'a>, Box<Diagnostic>> {
        let s = self.site;
        let root = "";
        let ctx = Ctx::Page { root };
        let mut tiers = Vec::new();
        for u in Urgency::ALL {
            let t = s.config.urgency.get(u);
            // The same sign often appears in several guides: list it once per tier, with
            // every guide that gives it (grouped here, in linear time, not in the template).
            let mut flags: Vec<DoctorFlag> = Vec::new();
            let mut seen: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
            for &flag in s.red_flags.iter().filter(|f| f.urgency == u) {
                let Some((g, f)) = s.flag(flag) else { continue };
                let sign_html = self.inline(g.file, &f.sign, ctx);
                let guide = self.item(g.file)?;
                let refs = refs(&g.matter, &f.cite, &[root, s.out_path(g.file)].concat(), "");
                match seen.get(&sign_html) {
                    Some(&k) => {
                        flags[k].guides.push(guide);
                        flags[k].refs.push(refs);
                    }
                    None => {
                        seen.insert(sign_html.clone(), flags.len());
                        let symptom = f
                            .symptom
                            .as_ref()
                            .and_then(|id| s.find(Kind::Symptom, &id.value))
                            .map(|i| self.item(i))
                            .transpose()?;
                        flags.push(DoctorFlag { sign_html, guides: vec![guide], refs: vec![refs], symptom });
                    }
                }
            }
            let flags = self.doctor_flags(&flags)?;
            let flags_html = self.theme.joined(&flags, "html");
            let tier = TierFlags { key: u.as_str(), label: &t.label, advice: &t.advice, flags };
            tiers.push(DoctorTier { tier, flags_html });
        }
        Ok(DoctorCtx { tiers, flag_count: s.red_flags.len() })
    }

    /// Each sign of the doctor index as a [`DoctorFlagItem`], with its list item made by
    /// `_doctor_flag.html` (in parallel), or kept from an earlier render when that template's
    /// context is the same (`serve`: after an edit, only the edited signs are made again).
    fn doctor_flags(&self, flags: &[DoctorFlag<'a>]) -> Result<Vec<Shared>, Box<Diagnostic>> {
        use rayon::prelude::*;
        let title = crate::lang::word(self.site, "when_to_see_a_doctor", "When to see a doctor");
        // What every sign's context holds but the sign, fingerprinted once.
        let base =
            self.theme.fingerprint(FLAG_TEMPLATE, &self.common(DOCTOR_PAGE, "doctor", title, None, NotFoundCtx {}));
        flags
            .par_iter()
            .map(|flag| {
                let key = self.theme.fingerprint_after(base, &DoctorFlagCtx { flag });
                if let Some(v) = self.memo.flags.get(key) {
                    return Ok(v);
                }
                let common = self.common(DOCTOR_PAGE, "doctor", title, None, DoctorFlagCtx { flag });
                #[cfg(test)]
                record(FLAG_TEMPLATE, &common);
                let html = String::from_utf8(self.theme.render(FLAG_TEMPLATE, &common)?)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                let v = self.theme.share_as(&DoctorFlagItem { flag, html }, key)?;
                self.memo.flags.put(v.clone());
                Ok(v)
            })
            .collect()
    }

    /// The page of a symptom or cause.
    fn term_page(&self, sink: &dyn Sink, t: &'a Term) -> Result<Option<OutputFile>, RenderError> {
        let item = self.term_ctx(t, Ctx::Page { root: "../" })?;
        let (kind, tpl) = if self.site.file(t.file).kind == Kind::Symptom {
            ("symptom", "symptom.html")
        } else {
            ("cause", "cause.html")
        };
        let (title, summary) = (item.title, item.summary);
        self.page(sink, self.site.out_path(t.file), tpl, kind, title, Some(summary), TermPageCtx { item })
    }

    /// The page of a free page.
    fn free_page(&self, sink: &dyn Sink, p: &'a Page) -> Result<Option<OutputFile>, RenderError> {
        let f = self.site.file(p.file);
        let item = FreePageCtx {
            id: &f.id,
            title: &p.matter.title.value,
            summary: p.matter.summary.as_ref().map(|x| x.value.as_str()),
            body_html: self.body(p.file, &f.body_html(self.md), Ctx::Page { root: "../" }),
        };
        let (title, summary) = (item.title, item.summary);
        self.page(sink, self.site.out_path(p.file), "page.html", "page", title, summary, FreePagePageCtx { item })
    }

    pub(super) fn entry(&self, i: FileId) -> Entry<'a> {
        let s = self.site;
        let (summary, aliases) = match s.term(i) {
            Some(t) => (t.matter.summary.value.as_str(), t.matter.aliases.iter().map(|a| a.value.as_str()).collect()),
            None => ("", Vec::new()),
        };
        Entry { id: &s.file(i).id, title: s.title(i), summary, href: s.out_path(i), aliases }
    }

    pub(super) fn guide_summary(&self, g: &'a Guide) -> GuideSummary<'a> {
        let s = self.site;
        let m = &g.matter;
        GuideSummary {
            id: &s.file(g.file).id,
            title: &m.title.value,
            summary: &m.summary.value,
            href: s.out_path(g.file),
            top_urgency: m.see_a_doctor.iter().map(|f| f.urgency.value).min().map_or("routine", Urgency::as_str),
            flag_href: [s.out_path(g.file), "#see-a-doctor"].concat(),
        }
    }

    pub(super) fn guide_ctx(&self, guide: &'a Guide, ctx: Ctx, doc: &MdDoc) -> Result<GuideCtx<'a>, Box<Diagnostic>> {
        let s = self.site;
        let (g, m) = (guide.file, &*guide.matter);
        let f = s.file(g);
        let prefix = self.prefix(g, ctx);
        let resolve = |kind: Kind, ids: &[Spanned<String>]| -> Result<Vec<Shared>, Box<Diagnostic>> {
            self.items(ids.iter().filter_map(|id| s.find(kind, &id.value)))
        };
        let refs = |cite: &[Spanned<String>]| refs(m, cite, "", prefix);
        let red_flags: Vec<FlagCtx> =
            m.see_a_doctor.iter().map(|r| self.flag_ctx(guide, r, ctx, prefix)).collect::<Result<_, _>>()?;
        let red_flags_by_tier = self.flags_by_tier(&m.see_a_doctor, &red_flags);
        Ok(GuideCtx {
            id: &f.id,
            title: &m.title.value,
            summary: &m.summary.value,
            href: s.out_path(g),
            body_html: self.body(g, doc, ctx),
            headings: f
                .body
                .headings
                .iter()
                .map(|h| {
                    let id = [prefix, &h.id].concat();
                    let href = ["#", &crate::markdown::encode_name(&id)].concat();
                    HeadingCtx { level: h.level, id, href, text: &h.text }
                })
                .collect(),
            symptoms: resolve(Kind::Symptom, &m.symptoms)?,
            causes: resolve(Kind::Cause, &m.causes)?,
            steps: m
                .steps
                .iter()
                .enumerate()
                .map(|(n, st)| StepCtx {
                    number: n + 1,
                    anchor: [prefix, "step-", &(n + 1).to_string()].concat(),
                    title: &st.title.value,
                    text_html: self.inline(g, &st.text, ctx),
                    caution_html: st.caution.as_ref().map(|c| self.inline(g, c, ctx)),
                    refs: refs(&st.cite),
                })
                .collect(),
            mistakes: m
                .mistakes
                .iter()
                .map(|x| MistakeCtx {
                    mistake_html: self.inline(g, &x.mistake, ctx),
                    instead_html: self.inline(g, &x.instead, ctx),
                    why_html: x.why.as_ref().map(|w| self.inline(g, w, ctx)),
                    refs: refs(&x.cite),
                })
                .collect(),
            red_flags,
            red_flags_by_tier,
            related: resolve(Kind::Guide, &m.related)?,
            sources: sources_ctx(&m.sources, prefix),
            reviewed_by: m
                .reviewed_by
                .iter()
                .map(|r| ReviewerCtx { name: &r.name.value, role: &r.role.value })
                .collect(),
            reviewed: m.reviewed.as_ref().map(|d| iso_date(d.value)).unwrap_or_default(),
            review_due: m.review_due.as_ref().map(|d| iso_date(d.value)).unwrap_or_default(),
            reviewed_text: m.reviewed.as_ref().map(|d| date_text(self.site, d.value)).unwrap_or_default(),
            review_due_text: m.review_due.as_ref().map(|d| date_text(self.site, d.value)).unwrap_or_default(),
            anchor_prefix: prefix.to_string(),
        })
    }

    /// One red flag of `guide` as its page shows it.
    fn flag_ctx(
        &self,
        guide: &'a Guide,
        r: &'a RedFlag,
        ctx: Ctx,
        prefix: &str,
    ) -> Result<FlagCtx<'a>, Box<Diagnostic>> {
        let s = self.site;
        let t = s.config.urgency.get(r.urgency.value);
        Ok(FlagCtx {
            refs: refs(&guide.matter, &r.cite, "", prefix),
            sign_html: self.inline(guide.file, &r.sign, ctx),
            urgency: r.urgency.value.as_str(),
            urgency_label: &t.label,
            urgency_advice: &t.advice,
            symptom: r
                .symptom
                .as_ref()
                .and_then(|id| s.find(Kind::Symptom, &id.value))
                .map(|i| self.item(i))
                .transpose()?,
        })
    }

    /// `red_flags` (one per entry of `see_a_doctor`) grouped by urgency tier, in tier order,
    /// leaving out empty tiers.
    fn flags_by_tier(&self, see_a_doctor: &[RedFlag], red_flags: &[FlagCtx<'a>]) -> Vec<TierFlags<'a, FlagCtx<'a>>> {
        let mut by_tier = Vec::new();
        for u in Urgency::ALL {
            let flags: Vec<FlagCtx> = see_a_doctor
                .iter()
                .zip(red_flags)
                .filter(|(r, _)| r.urgency.value == u)
                .map(|(_, f)| f.clone())
                .collect();
            let t = self.site.config.urgency.get(u);
            if !flags.is_empty() {
                by_tier.push(TierFlags { key: u.as_str(), label: &t.label, advice: &t.advice, flags });
            }
        }
        by_tier
    }

    pub(super) fn term_ctx(&self, term: &'a Term, ctx: Ctx) -> Result<TermCtx<'a>, Box<Diagnostic>> {
        let s = self.site;
        let (i, t) = (term.file, &*term.matter);
        let f = s.file(i);
        let guides: Vec<FileId> = s.backlinks.get(&i).cloned().unwrap_or_default();
        let mut red_flags: Vec<TermFlag> = Vec::new();
        if f.kind == Kind::Symptom {
            // The same sign in several guides is listed once per tier, with every guide that
            // gives it, as on the doctor index.
            let root = match ctx {
                Ctx::Page { root } => root,
                Ctx::Print { .. } => "",
            };
            let mut seen: std::collections::HashMap<(Urgency, String), usize> = std::collections::HashMap::new();
            for &flag in s.flags_of_symptom.get(&i).map_or(&[][..], Vec::as_slice) {
                let (u, Some((g, r))) = (flag.urgency, s.flag(flag)) else { continue };
                let sign_html = self.inline(g.file, &r.sign, ctx);
                let guide = self.item(g.file)?;
                let refs = refs(&g.matter, &r.cite, &[root, s.out_path(g.file)].concat(), "");
                match seen.get(&(u, sign_html.clone())) {
                    Some(&k) => {
                        red_flags[k].guides.push(guide);
                        red_flags[k].refs.push(refs);
                    }
                    None => {
                        seen.insert((u, sign_html.clone()), red_flags.len());
                        red_flags.push(TermFlag {
                            sign_html,
                            urgency: u.as_str(),
                            urgency_label: &s.config.urgency.get(u).label,
                            guide: guide.clone(),
                            guides: vec![guide],
                            refs: vec![refs],
                        });
                    }
                }
            }
        }
        Ok(TermCtx {
            id: &f.id,
            title: &t.title.value,
            summary: &t.summary.value,
            aliases: t.aliases.iter().map(|a| a.value.as_str()).collect(),
            body_html: self.body(i, &f.body_html(self.md), ctx),
            prevention_html: t.prevention.iter().map(|p| self.inline(i, p, ctx)).collect(),
            guides: self.items(guides.iter().copied())?,
            red_flags,
            reviewed: t.reviewed.as_ref().map(|d| iso_date(d.value)),
            review_due: t.review_due.as_ref().map(|d| iso_date(d.value)),
            reviewed_text: t.reviewed.as_ref().map(|d| date_text(self.site, d.value)),
            review_due_text: t.review_due.as_ref().map(|d| date_text(self.site, d.value)),
        })
    }
}

/// The numbered references of `cite` in guide `m`, linking to `page` (`""`: the same page) at the
/// source's anchor (with `prefix` on the print page). Keys were checked.
fn refs<'a>(m: &'a GuideMatter, cite: &[Spanned<String>], page: &str, prefix: &str) -> Vec<RefCtx<'a>> {
    {
        cite.iter()
            .filter_map(|c| {
                let n = m.sources.iter().position(|x| x.key.as_ref().is_some_and(|k| k.value == c.value))?;
                Some(RefCtx {
                    number: n + 1,
                    href: [page, "#", prefix, "source-", &(n + 1).to_string()].concat(),
                    title: &m.sources[n].title.value,
                })
            })
            .collect()
    }
}

/// The numbered sources of a guide, each with its anchor (after `prefix` on the print page).
fn sources_ctx<'a>(sources: &'a [Source], prefix: &str) -> Vec<SourceCtx<'a>> {
    sources
        .iter()
        .enumerate()
        .map(|(n, x)| SourceCtx {
            number: n + 1,
            anchor: [prefix, "source-", &(n + 1).to_string()].concat(),
            title: &x.title.value,
            url: markdown::encode_url(&x.url.value),
            publisher: x.publisher.as_ref().map(|p| p.value.as_str()),
            year: x.year.as_ref().map(|y| y.value),
        })
        .collect()
}
