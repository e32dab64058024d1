//! `dossier schema front-matter|site`: prints the JSON Schema (draft-07) of a brief's front matter
//! or of site.toml. The same files are in the repository's `schemas/` folder, for editors that
//! validate and complete fields as one types (see the README).

pub const FRONT_MATTER: &str = include_str!("../../schemas/front-matter.schema.json");
pub const SITE: &str = include_str!("../../schemas/site.schema.json");
pub const PAGE: &str = include_str!("../../schemas/page.schema.json");

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Which {
    /// The front matter of a brief.
    FrontMatter,
    /// site.toml.
    Site,
    /// The front matter of a standalone page (pages/*.md).
    Page,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which schema to print.
    #[arg(value_enum)]
    pub which: Which,
}

pub fn run(args: &SchemaArgs) {
    print!(
        "{}",
        match args.which {
            Which::FrontMatter => FRONT_MATTER,
            Which::Site => SITE,
            Which::Page => PAGE,
        }
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The fields serde accepts for `T`, from its "unknown field" error.
    fn fields_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(required: &str) -> Vec<String> {
        let text = format!("{required}\nzzzz_unknown = 1\n");
        let err = toml::from_str::<T>(&text).unwrap_err();
        let message = err.message().to_owned();
        // "expected one of `a`, `b`, `c`", or "expected `a` or `b`".
        let list = message
            .split_once("expected ")
            .map(|(_, list)| list)
            .unwrap_or_else(|| panic!("no field list in {message:?}"));
        let mut fields: Vec<String> = list
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        fields.sort();
        fields
    }

    fn properties(schema: &Value, pointer: &str) -> Vec<String> {
        let mut keys: Vec<String> = schema
            .pointer(pointer)
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("no {pointer}"))
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    #[test]
    fn the_schemas_list_exactly_the_fields_dossier_reads() {
        let front: Value = serde_json::from_str(FRONT_MATTER).unwrap();
        assert_eq!(
            properties(&front, "/properties"),
            fields_of::<crate::load::FrontMatter>("title = 't'\ndate = 2024-01-01")
        );
        let page: Value = serde_json::from_str(PAGE).unwrap();
        assert_eq!(
            properties(&page, "/properties"),
            fields_of::<crate::load::pages::PageFront>("title = 't'")
        );
        let site: Value = serde_json::from_str(SITE).unwrap();
        let base = "title = 't'\nbase_url = 'https://e.org'";
        assert_eq!(
            properties(&site, "/properties"),
            fields_of::<crate::config::SiteConfig>(base)
        );
        assert_eq!(
            properties(&site, "/properties/organization/properties"),
            fields_of::<crate::config::Organization>("name = 'n'")
        );
        assert_eq!(
            properties(&site, "/properties/authors/additionalProperties/properties"),
            fields_of::<crate::config::AuthorConfig>("name = 'n'")
        );
        assert_eq!(
            properties(&site, "/properties/citations/properties"),
            fields_of::<crate::config::CitationsConfig>("")
        );
        assert_eq!(
            properties(&site, "/properties/feeds/properties"),
            fields_of::<crate::config::FeedsConfig>("")
        );
        assert_eq!(
            properties(
                &site,
                "/properties/menu/additionalProperties/items/properties"
            ),
            fields_of::<crate::config::MenuEntry>("name = 'n'")
        );
        assert_eq!(
            properties(&site, "/properties/redirects/properties"),
            fields_of::<crate::config::RedirectsConfig>("")
        );
        assert_eq!(
            properties(&site, "/properties/pdf/properties"),
            fields_of::<crate::pdf::PdfConfig>("")
        );
        assert_eq!(
            properties(&site, "/properties/fara/properties"),
            fields_of::<crate::fara::FaraConfig>("registrant = 'r'")
        );
    }
}
