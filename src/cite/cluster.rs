//! Formatting one cluster of sources (see `style`'s header): the citations that make each asked
//! form appear, one run of hayagriva over them, then each source's reference, forms and
//! bibliography sort key read off the result.

use hayagriva::citationberg::json::Item;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BibliographySorter, CitationItem, CitationRequest,
    EntrySortKey, IndexedItem, Rendered,
};

use super::html;
use super::style::{CitationStyle, FormKey, Formatted, LocatorKey, NOTE_BASE, Position};

/// The citations asked of hayagriva for a cluster, and which of them answers each form.
struct Plan<'a, 'i> {
    requests: Vec<CitationRequest<'a, IndexedItem<'i>>>,
    /// Per source, per form asked: the rendered citation that answers it (`None`: formatted
    /// alone, see `extra_firsts`).
    answer: Vec<Vec<Option<usize>>>,
    /// Forms in the first position beyond a source's first: each needs a driver of its own.
    extra_firsts: Vec<(usize, usize)>,
}

impl CitationStyle {
    /// Formats a cluster; `sort`: with each source's bibliography sort key (a brief's own
    /// reference, for "cite this brief", needs none).
    pub(super) fn format_cluster_now(
        &self,
        cluster: &[(&Item, Vec<FormKey>)],
        sort: bool,
    ) -> Formatted {
        // Each item's variables are read once, not at every test of the style.
        let indexed: Vec<IndexedItem> = cluster
            .iter()
            .map(|(item, _)| IndexedItem::new(item))
            .collect();
        let separator = IndexedItem::new(self.separator());
        let plan = self.plan(cluster, &indexed, &separator);
        let answer = plan.answer;
        let extra_firsts = plan.extra_firsts;
        let mut driver = BibliographyDriver::new();
        for request in plan.requests {
            driver.citation(request);
        }
        let rendered = driver.finish(self.bibliography_request());
        let (mut references, mut reference_names) = self.references(cluster, &rendered);
        let mut forms = self.forms(cluster, &rendered, &answer);
        for (s, k) in extra_firsts {
            let keys = &cluster[s].1;
            if let Some(form) = self.alone(self.item(&indexed[s], &keys[k].locator), |citation| {
                let html = html::write_form(citation, keys[k].suppress_author);
                self.strip_layout(html::mark_first_note(html, Some(NOTE_BASE)))
            }) {
                forms[s][k] = form;
            }
        }
        // A style may leave some items out of its bibliography (Chicago: those with no
        // publisher, container, number, DOI or URL): they are not listed. Where a source still needs showing (its
        // own page, the citation index), or the style has no bibliography at all, its full note
        // stands in for the entry.
        let has_bibliography = self.csl().bibliography.is_some();
        let mut listed = vec![true; cluster.len()];
        for (s, reference) in references.iter_mut().enumerate() {
            if reference.is_empty()
                && let Some(full) = self.alone(CitationItem::with_entry(&indexed[s]), html::write)
            {
                *reference = full;
                reference_names[s] = None;
                listed[s] = !has_bibliography;
            }
        }
        let sort_keys = if sort {
            self.sort_keys_indexed(&indexed)
        } else {
            vec![None; indexed.len()]
        };
        Formatted {
            references,
            reference_names,
            listed,
            forms,
            sort_keys,
        }
    }

    /// Each item's key in the style's bibliography order, as `format_cluster` gives it, without
    /// formatting anything.
    pub fn sort_keys(&self, items: &[&Item]) -> Vec<Option<EntrySortKey>> {
        let indexed: Vec<IndexedItem> = items.iter().map(|item| IndexedItem::new(item)).collect();
        self.sort_keys_indexed(&indexed)
    }

    fn sort_keys_indexed(&self, indexed: &[IndexedItem]) -> Vec<Option<EntrySortKey>> {
        let sorter = BibliographySorter::new(&self.bibliography_request());
        indexed.iter().map(|item| sorter.key(item, 0)).collect()
    }

    /// Every source's first citation (with its first "first" form, if asked), then each later
    /// position, set up by what comes just before it.
    fn plan<'a, 'i>(
        &'a self,
        cluster: &'a [(&Item, Vec<FormKey>)],
        indexed: &'a [IndexedItem<'i>],
        dummy: &'a IndexedItem<'i>,
    ) -> Plan<'a, 'i> {
        let mut plan = Plan {
            requests: Vec::new(),
            answer: Vec::with_capacity(cluster.len()),
            extra_firsts: Vec::new(),
        };
        let push = |requests: &mut Vec<CitationRequest<'a, IndexedItem<'i>>>,
                    item: CitationItem<'a, IndexedItem<'i>>| {
            let note = NOTE_BASE + requests.len();
            requests.push(self.request(vec![item], note));
            requests.len() - 1
        };
        for (s, ((_, keys), item)) in cluster.iter().zip(indexed).enumerate() {
            let mut answers = vec![None; keys.len()];
            let first = keys.iter().position(|k| k.position == Position::First);
            let index = match first {
                Some(k) => push(&mut plan.requests, self.item(item, &keys[k].locator)),
                // Only its bibliography entry is wanted: a hidden citation costs less.
                None => push(
                    &mut plan.requests,
                    CitationItem::new(item, None, None, true, None),
                ),
            };
            if let Some(k) = first {
                answers[k] = Some(index);
            }
            for (k, key) in keys.iter().enumerate() {
                if key.position == Position::First && Some(k) != first {
                    plan.extra_firsts.push((s, k));
                }
            }
            plan.answer.push(answers);
        }
        for (s, ((_, keys), item)) in cluster.iter().zip(indexed).enumerate() {
            for (k, key) in keys.iter().enumerate() {
                let requests = &mut plan.requests;
                let index = match key.position {
                    Position::First => continue,
                    Position::Subsequent => {
                        push(requests, CitationItem::with_entry(dummy));
                        push(requests, self.item(item, &key.locator))
                    }
                    Position::Ibid => {
                        push(requests, CitationItem::with_entry(dummy));
                        push(requests, self.item(item, &key.locator));
                        push(requests, self.item(item, &key.locator))
                    }
                    Position::IbidWithLocator => {
                        push(requests, CitationItem::with_entry(dummy));
                        push(requests, self.item(item, &LocatorKey::None));
                        push(requests, self.item(item, &key.locator))
                    }
                };
                plan.answer[s][k] = Some(index);
            }
        }
        plan
    }

    /// Each source's bibliography entry (empty if the style printed none) and where its names
    /// are in it.
    fn references(
        &self,
        cluster: &[(&Item, Vec<FormKey>)],
        rendered: &Rendered,
    ) -> (Vec<String>, Vec<Option<(usize, usize)>>) {
        let mut references = vec![String::new(); cluster.len()];
        let mut names = vec![None; cluster.len()];
        if let Some(bibliography) = &rendered.bibliography {
            for entry in &bibliography.items {
                if let Some(s) = cluster
                    .iter()
                    .position(|(item, _)| item.id().as_deref() == Some(entry.key.as_str()))
                {
                    (references[s], names[s]) = html::write_reference(&entry.content);
                }
            }
        }
        (references, names)
    }

    /// Each asked form, with the note number of the source's first citation made a placeholder.
    fn forms(
        &self,
        cluster: &[(&Item, Vec<FormKey>)],
        rendered: &Rendered,
        answer: &[Vec<Option<usize>>],
    ) -> Vec<Vec<String>> {
        answer
            .iter()
            .zip(cluster)
            .map(|(answers, (_, keys))| {
                let first_note = answers.iter().flatten().min().map(|i| NOTE_BASE + i);
                answers
                    .iter()
                    .zip(keys)
                    .map(|(index, key)| {
                        index
                            .map(|i| {
                                let html = html::write_form(
                                    &rendered.citations[i].citation,
                                    key.suppress_author,
                                );
                                self.strip_layout(html::mark_first_note(html, first_note))
                            })
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect()
    }

    /// One citation formatted on its own, written by `write`.
    fn alone(
        &self,
        item: CitationItem<'_, IndexedItem<'_>>,
        write: impl FnOnce(&hayagriva::ElemChildren) -> String,
    ) -> Option<String> {
        let mut driver = BibliographyDriver::new();
        driver.citation(self.request(vec![item], NOTE_BASE));
        let rendered = driver.finish(self.bibliography_request());
        rendered.citations.first().map(|c| write(&c.citation))
    }

    pub(super) fn bibliography_request(&self) -> BibliographyRequest<'_> {
        BibliographyRequest::new(self.csl(), self.locale.clone(), &self.locales)
    }
}
