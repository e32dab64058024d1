//! Hostile input for the escaping tests: values that would become markup if any output printed
//! them unescaped, in every text field of site.toml and of a brief's front matter.

/// A live script, if printed as HTML.
pub const SCRIPT: &str = "<script>alert(1)</script>";
/// Leaves an attribute and opens an element, if printed unescaped inside one.
pub const BREAKOUT: &str = "\"><img src=x onerror=alert(1)>";

/// A value carrying both payloads, written as a TOML literal string (no escapes needed).
pub fn evil(label: &str) -> String {
    format!("'{label} {SCRIPT} {BREAKOUT}'")
}

/// site.toml with a payload in each text field; `markdown` writes the Markdown fields' values
/// (the disclosure and the author's bio), `top` adds top-level keys, `org_url` is the
/// organization's address and `author` adds keys to the author `mallory`.
pub fn hostile_site_toml(
    markdown: &dyn Fn(&str) -> String,
    top: &str,
    org_url: &str,
    author: &str,
) -> String {
    format!(
        r#"title = {title}
description = {description}
base_url = "https://example.org/blog"
disclosure = {disclosure}
{top}
[organization]
name = {org}
address = {address}
phone = {phone}
url = "{org_url}"

[authors.mallory]
name = {name}
title = {author_title}
bio = {bio}
{author}"#,
        title = evil("Site"),
        description = evil("Description"),
        disclosure = markdown("Disclosure"),
        org = evil("Org"),
        address = evil("Address"),
        phone = evil("Phone"),
        name = evil("Mallory"),
        author_title = evil("Fellow"),
        bio = markdown("Bio"),
    )
}

/// The front-matter fields of a brief by `mallory` with a payload in each text field (and an
/// image URL that breaks out of its attribute); `markdown` writes the acknowledgments' value.
pub fn hostile_front_fields(markdown: &dyn Fn(&str) -> String) -> String {
    format!(
        r#"title = {title}
date = 2022-08-11
authors = ["mallory"]
category = {category}
tags = [{tag}, "plain"]
summary = {summary}
image = 'images/a.svg" onerror="alert(1)'
image_alt = {alt}
image_credit = {credit}
acknowledgments = {ack}
"#,
        title = evil("Title"),
        category = evil("Category"),
        tag = evil("Tag"),
        summary = evil("Summary"),
        alt = evil("Alt"),
        credit = evil("Credit"),
        ack = markdown("Thanks"),
    )
}
