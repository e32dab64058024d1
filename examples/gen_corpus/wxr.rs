//! `gen-corpus --wxr FILE`: the same corpus as a WordPress export (WXR 1.2), for benchmarking
//! `dossier import wordpress`. Bodies are the briefs' Markdown rendered to HTML; every other post
//! is stored as the classic editor stores it (no `<p>`, paragraphs apart by blank lines) and the
//! others with block-editor comments, so both paths of the importer are measured. A post's old
//! permalink is `/<year>/<month>/<day>/<slug>/`, as WordPress's common "day and name" setting has it.

use std::fmt::Write as _;
use std::io::Write as _;

use super::{Plan, World};

/// XML text in CDATA: `]]>` inside is split so the section cannot end early.
fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

fn html_of(markdown: &str) -> String {
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    options.insert(pulldown_cmark::Options::ENABLE_FOOTNOTES);
    let parser = pulldown_cmark::Parser::new_ext(markdown, options);
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

/// Classic-editor storage: paragraphs without tags, a blank line between them.
fn classic(html: &str) -> String {
    html.replace("<p>", "")
        .replace("</p>\n", "\n\n")
        .replace("</p>", "\n\n")
}

/// Block-editor storage: each paragraph, heading and list in its block comments.
fn blocks(html: &str) -> String {
    html.replace("<p>", "<!-- wp:paragraph -->\n<p>")
        .replace("</p>\n", "</p>\n<!-- /wp:paragraph -->\n\n")
        .replace(
            "<h2>",
            "<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">",
        )
        .replace("</h2>\n", "</h2>\n<!-- /wp:heading -->\n\n")
        .replace("<ul>", "<!-- wp:list -->\n<ul>")
        .replace("</ul>\n", "</ul>\n<!-- /wp:list -->\n\n")
}

/// A WordPress date, `YYYY-MM-DD HH:MM:SS`, from a brief's date (the offset dropped).
fn wp_date(date: &str) -> String {
    let day = &date[..10];
    let time = date.get(11..19).unwrap_or("12:00:00");
    format!("{day} {time}")
}

pub(crate) fn write(
    path: &std::path::Path,
    world: &World,
    plans: &[Plan],
    body: impl Fn(&Plan) -> String + Sync,
) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(
        out,
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>The Benchmark Institute</title>
	<link>https://example.org</link>
	<description>A synthetic site of policy briefs for benchmarks.</description>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://example.org</wp:base_site_url>
	<wp:base_blog_url>https://example.org</wp:base_blog_url>"#
    )?;
    for (i, a) in world.authors.iter().enumerate() {
        writeln!(
            out,
            "\t<wp:author><wp:author_id>{}</wp:author_id><wp:author_login>{}</wp:author_login><wp:author_display_name>{}</wp:author_display_name><wp:author_description>{}</wp:author_description></wp:author>",
            i + 1,
            cdata(&a.slug),
            cdata(&a.name),
            cdata(&a.bio)
        )?;
    }
    for (i, c) in world.categories.iter().enumerate() {
        writeln!(
            out,
            "\t<wp:category><wp:term_id>{}</wp:term_id><wp:category_nicename>{}</wp:category_nicename><wp:category_parent></wp:category_parent><wp:cat_name>{}</wp:cat_name></wp:category>",
            i + 1,
            cdata(&slug(c)),
            cdata(c)
        )?;
    }
    // Items are made in parallel chunks and written in order.
    for chunk in plans.chunks(256) {
        let items: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .chunks(chunk.len().div_ceil(4).max(1))
                .map(|part| {
                    let body = &body;
                    scope.spawn(move || {
                        part.iter()
                            .map(|plan| item(world, plan, &body(plan)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("an item thread panicked"))
                .collect()
        });
        for item in items {
            out.write_all(item.as_bytes())?;
        }
    }
    writeln!(out, "</channel>\n</rss>")?;
    out.flush()
}

fn slug(text: &str) -> String {
    super::slugify(text)
}

fn item(world: &World, plan: &Plan, markdown: &str) -> String {
    let html = html_of(markdown);
    let content = if plan.index.is_multiple_of(2) {
        classic(&html)
    } else {
        blocks(&html)
    };
    let date = wp_date(&plan.date);
    let (y, m, d) = (&date[..4], &date[5..7], &date[8..10]);
    let id = plan.index + 1;
    let mut item = String::with_capacity(content.len() + 2048);
    let _ = write!(
        item,
        "\t<item>\n\t\t<title>{}</title>\n\t\t<link>https://example.org/{y}/{m}/{d}/{}/</link>\n\t\t<dc:creator>{}</dc:creator>\n\t\t<guid isPermaLink=\"false\">https://example.org/?p={id}</guid>\n\t\t<content:encoded>{}</content:encoded>\n\t\t<excerpt:encoded>{}</excerpt:encoded>\n\t\t<wp:post_id>{id}</wp:post_id>\n\t\t<wp:post_date>{}</wp:post_date>\n\t\t<wp:post_date_gmt>{}</wp:post_date_gmt>\n\t\t<wp:post_modified_gmt>{}</wp:post_modified_gmt>\n\t\t<wp:post_name>{}</wp:post_name>\n\t\t<wp:status>publish</wp:status>\n\t\t<wp:post_parent>0</wp:post_parent>\n\t\t<wp:menu_order>0</wp:menu_order>\n\t\t<wp:post_type>post</wp:post_type>\n\t\t<wp:post_password></wp:post_password>\n",
        cdata(&plan.title),
        plan.slug,
        cdata(&world.authors[plan.authors[0]].slug),
        cdata(&content),
        cdata(plan.summary.as_deref().unwrap_or_default()),
        cdata(&date),
        cdata(&date),
        cdata(
            &plan
                .updated
                .as_deref()
                .map(wp_date)
                .unwrap_or_else(|| date.clone())
        ),
        cdata(&plan.slug),
    );
    let category = &world.categories[plan.category];
    let _ = writeln!(
        item,
        "\t\t<category domain=\"category\" nicename=\"{}\">{}</category>",
        slug(category),
        cdata(category)
    );
    for &t in &plan.tags {
        let tag = &world.tags[t];
        let _ = writeln!(
            item,
            "\t\t<category domain=\"post_tag\" nicename=\"{}\">{}</category>",
            slug(tag),
            cdata(tag)
        );
    }
    item.push_str("\t</item>\n");
    item
}
