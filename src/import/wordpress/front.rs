//! The front matter the importer writes, as TOML between `+++` lines: the fields dossier reads,
//! strings escaped by the toml crate.

/// A string as a TOML basic string, quoted and escaped.
pub(super) fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", quoted.join(", "))
}

#[derive(Debug, Default, Clone)]
pub(super) struct FrontMatter {
    pub title: String,
    pub date: String,
    pub updated: Option<String>,
    pub authors: Vec<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub draft: bool,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub image_credit: Option<String>,
    pub aliases: Vec<String>,
    pub weight: i64,
    pub wordpress_id: u64,
}

impl FrontMatter {
    /// A brief file: front matter and body.
    pub(super) fn brief(&self, body: &str) -> String {
        let mut out = String::from("+++\n");
        line(&mut out, "title", &toml_string(&self.title));
        line(&mut out, "date", &toml_string(&self.date));
        if let Some(updated) = &self.updated {
            line(&mut out, "updated", &toml_string(updated));
        }
        if !self.authors.is_empty() {
            line(&mut out, "authors", &toml_list(&self.authors));
        }
        if let Some(category) = &self.category {
            line(&mut out, "category", &toml_string(category));
        }
        if !self.tags.is_empty() {
            line(&mut out, "tags", &toml_list(&self.tags));
        }
        if let Some(summary) = &self.summary {
            line(&mut out, "summary", &toml_string(summary));
        }
        self.common(&mut out);
        for (key, value) in [
            ("image", &self.image),
            ("image_alt", &self.image_alt),
            ("image_credit", &self.image_credit),
        ] {
            if let Some(value) = value {
                line(&mut out, key, &toml_string(value));
            }
        }
        self.end(&mut out, body)
    }

    /// A standalone page file.
    pub(super) fn page(&self, body: &str) -> String {
        let mut out = String::from("+++\n");
        line(&mut out, "title", &toml_string(&self.title));
        if self.weight != 0 {
            line(&mut out, "weight", &self.weight.to_string());
        }
        self.common(&mut out);
        self.end(&mut out, body)
    }

    fn common(&self, out: &mut String) {
        if self.draft {
            line(out, "draft", "true");
        }
        if !self.aliases.is_empty() {
            line(out, "aliases", &toml_list(&self.aliases));
        }
    }

    fn end(&self, out: &mut String, body: &str) -> String {
        out.push_str(&format!(
            "extra = {{ wordpress_id = {} }}\n",
            self.wordpress_id
        ));
        out.push_str("+++\n\n");
        out.push_str(body);
        std::mem::take(out)
    }
}

fn line(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(" = ");
    out.push_str(value);
    out.push('\n');
}
