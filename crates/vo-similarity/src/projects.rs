//! The project index and its "more like this" ranking.

use std::collections::HashSet;
use tantivy::collector::TopDocs;
use tantivy::query::{MoreLikeThisQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, OwnedValue, Schema, TextFieldIndexing, TextOptions, Value, STORED,
    STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// What of a project is compared.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectText {
    pub code: String,
    pub title: String,
    pub abstract_text: String,
    pub keywords: String,
    pub category: String,
}

impl ProjectText {
    /// The words compared: the title twice (it says most), abstract, keywords, category.
    fn words(&self) -> String {
        format!(
            "{title}\n{title}\n{}\n{}\n{}",
            self.abstract_text,
            self.keywords,
            self.category,
            title = self.title
        )
    }
}

/// A similar project and its score (BM25 "more like this"; larger is more alike).
#[derive(Debug, Clone, PartialEq)]
pub struct Similar {
    pub code: String,
    pub score: f32,
}

/// The projects indexed so far. Each project's compared words, from which its "more like
/// this" query is built, are kept in the index's own compressed document store rather than
/// as strings beside it (32 MB of text for the million-row demo's 54,044 projects).
pub struct ProjectIndex {
    reader: IndexReader,
    writer: IndexWriter,
    code: Field,
    text: Field,
    codes: HashSet<String>,
}

/// The most terms a "more like this" query takes from a project.
const QUERY_TERMS: usize = 25;

impl ProjectIndex {
    /// An empty index.
    pub fn new() -> Result<ProjectIndex, String> {
        let mut schema = Schema::builder();
        let code = schema.add_text_field("code", STRING | STORED);
        // words with their counts, for BM25; no positions (no phrase is ever searched), which
        // were most of the index's memory
        let words = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("default")
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
            .set_stored();
        let text = schema.add_text_field("text", words);
        let index = Index::create_in_ram(schema.build());
        let writer = index
            .writer_with_num_threads(1, 50_000_000)
            .map_err(|e| e.to_string())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| e.to_string())?;
        Ok(ProjectIndex {
            reader,
            writer,
            code,
            text,
            codes: HashSet::new(),
        })
    }

    /// Adds projects (a project already indexed is replaced) and makes them searchable.
    pub fn add(
        &mut self,
        projects: impl IntoIterator<Item = ProjectText>,
    ) -> Result<usize, String> {
        let mut added = 0;
        for p in projects {
            if self.codes.contains(&p.code) {
                self.writer
                    .delete_term(Term::from_field_text(self.code, &p.code));
            }
            self.writer
                .add_document(doc!(self.code => p.code.clone(), self.text => p.words()))
                .map_err(|e| e.to_string())?;
            self.codes.insert(p.code);
            added += 1;
        }
        self.writer.commit().map_err(|e| e.to_string())?;
        self.reader.reload().map_err(|e| e.to_string())?;
        Ok(added)
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The codes indexed.
    pub fn codes(&self) -> Vec<String> {
        self.codes.iter().cloned().collect()
    }

    /// Whether a project is indexed.
    pub fn contains(&self, code: &str) -> bool {
        self.codes.contains(code)
    }

    /// The `n` projects most like `code`, best first; None when `code` is not indexed.
    pub fn similar(&self, code: &str, n: usize) -> Result<Option<Vec<Similar>>, String> {
        if !self.codes.contains(code) {
            return Ok(None);
        }
        let searcher = self.reader.searcher();
        // the project's own document, for its words
        let own = searcher
            .search(
                &TermQuery::new(
                    Term::from_field_text(self.code, code),
                    IndexRecordOption::Basic,
                ),
                &TopDocs::with_limit(1).order_by_score(),
            )
            .map_err(|e| e.to_string())?;
        let Some((_, address)) = own.first() else {
            return Ok(None);
        };
        let document: TantivyDocument = searcher.doc(*address).map_err(|e| e.to_string())?;
        let words = document
            .get_first(self.text)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let query = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(1)
            .with_min_word_length(3)
            .with_max_query_terms(QUERY_TERMS)
            .with_stop_words(STOP_WORDS.iter().map(|w| w.to_string()).collect())
            .with_document_fields(vec![(self.text, vec![OwnedValue::from(words.as_str())])]);
        let found = searcher
            .search(&query, &TopDocs::with_limit(n + 1).order_by_score())
            .map_err(|e| e.to_string())?;
        let mut out = Vec::with_capacity(n);
        for (score, address) in found {
            let document: TantivyDocument = searcher.doc(address).map_err(|e| e.to_string())?;
            let Some(other) = document.get_first(self.code).and_then(|v| v.as_str()) else {
                continue;
            };
            if other != code && out.len() < n {
                out.push(Similar {
                    code: other.to_string(),
                    score,
                });
            }
        }
        Ok(Some(out))
    }
}

/// Words too common in proposals to tell them apart.
const STOP_WORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "this",
    "that",
    "these",
    "will",
    "are",
    "from",
    "our",
    "which",
    "its",
    "their",
    "into",
    "than",
    "also",
    "can",
    "has",
    "have",
    "been",
    "was",
    "were",
    "over",
    "alma",
    "observations",
    "propose",
    "data",
    "using",
    "study",
    "between",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn project(code: &str, title: &str, abstract_text: &str) -> ProjectText {
        ProjectText {
            code: code.into(),
            title: title.into(),
            abstract_text: abstract_text.into(),
            keywords: String::new(),
            category: String::new(),
        }
    }

    #[test]
    fn the_most_alike_come_first_and_the_project_itself_not_at_all() {
        let mut index = ProjectIndex::new().unwrap();
        index
            .add([
                project(
                    "a",
                    "Rings and gaps in protoplanetary disks",
                    "dust continuum rings gaps planets",
                ),
                project(
                    "b",
                    "Gaps carved by planets in disks",
                    "rings gaps dust protoplanetary",
                ),
                project(
                    "c",
                    "Lensed galaxies at high redshift",
                    "CII emission lensing cluster",
                ),
                project(
                    "d",
                    "CII in lensed dusty galaxies",
                    "lensing redshift CII dusty star formation",
                ),
            ])
            .unwrap();
        let similar = index.similar("a", 3).unwrap().unwrap();
        assert_eq!(similar[0].code, "b", "{similar:?}");
        assert!(similar.iter().all(|s| s.code != "a"));
        assert_eq!(index.similar("c", 1).unwrap().unwrap()[0].code, "d");
        assert!(index.similar("nope", 3).unwrap().is_none());
        // replacing a project keeps one copy of it
        index
            .add([project(
                "b",
                "Gaps carved by planets in disks",
                "rings gaps dust",
            )])
            .unwrap();
        assert_eq!(index.len(), 4);
        let again = index.similar("a", 5).unwrap().unwrap();
        assert_eq!(
            again.iter().filter(|s| s.code == "b").count(),
            1,
            "{again:?}"
        );
    }
}
