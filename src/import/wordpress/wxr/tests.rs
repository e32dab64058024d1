use super::stream::read_from;
use super::*;

fn read_str(xml: &str) -> Result<Export, ReadError> {
    let mut items = Vec::new();
    let header =
        read_from(xml.as_bytes(), Pass::Index, |item| items.push(item)).map_err(|(e, _)| e)?;
    Ok(Export {
        channel: header.channel,
        authors: header.authors,
        terms: header.terms,
        items,
    })
}

fn bodies(xml: &str, wanted: &dyn Fn(usize) -> bool) -> Vec<Item> {
    let mut items = Vec::new();
    read_from(xml.as_bytes(), Pass::Bodies(wanted), |item| {
        items.push(item)
    })
    .map_err(|(e, _)| e.message)
    .unwrap();
    items
}

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="https://wordpress.org/export/1.2/" xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/"><channel>"#;

#[test]
fn reads_items_with_meta_terms_and_entities() {
    let xml = format!(
        "{HEAD}<title>A &amp; B</title><wp:wxr_version>1.2</wp:wxr_version>
<item><title>One</title><dc:creator><![CDATA[ann]]></dc:creator><content:encoded><![CDATA[Hi <b>there</b>]]></content:encoded>
<wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type><category domain=\"category\" nicename=\"econ\"><![CDATA[Economy]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value><![CDATA[9]]></wp:meta_value></wp:postmeta>
<wp:comment><wp:comment_content>x</wp:comment_content></wp:comment></item></channel></rss>"
    );
    let export = read_str(&xml).unwrap();
    assert_eq!(export.channel.title, "A & B");
    let item = &export.items[0];
    assert_eq!(
        (item.id, item.title.as_str(), item.creator.as_str()),
        (7, "One", "ann")
    );
    assert_eq!(item.content, "", "the index has no bodies");
    assert_eq!(item.terms[0].slug, "econ");
    assert_eq!(item.terms[0].name, "Economy");
    assert_eq!(item.meta("_thumbnail_id"), Some("9"));
    assert_eq!(item.comments, 1);
    let with_body = bodies(&xml, &|seq| seq == 0);
    assert_eq!(with_body[0].content, "Hi <b>there</b>");
}

#[test]
fn the_bodies_pass_keeps_only_the_wanted_items_bodies_and_footnotes() {
    let item = |n: usize| {
        format!(
            "<item><title>T{n}</title><content:encoded><![CDATA[Body {n}]]></content:encoded><wp:post_id>{n}</wp:post_id>\
<wp:postmeta><wp:meta_key>footnotes</wp:meta_key><wp:meta_value><![CDATA[[{{\"id\":\"a\"}}]]]></wp:meta_value></wp:postmeta>\
<wp:postmeta><wp:meta_key>_edit_lock</wp:meta_key><wp:meta_value>1</wp:meta_value></wp:postmeta></item>"
        )
    };
    let xml = format!("{HEAD}{}{}{}</channel></rss>", item(10), item(11), item(12));
    let items = bodies(&xml, &|seq| seq != 1);
    let seen: Vec<(usize, &str)> = items.iter().map(|i| (i.seq, i.content.as_str())).collect();
    assert_eq!(seen, [(0, "Body 10"), (2, "Body 12")]);
    assert_eq!(items[1].meta("footnotes"), Some("[{\"id\":\"a\"}]"));
    assert_eq!(items[1].meta("_edit_lock"), None);
    let index = read_str(&xml).unwrap();
    assert_eq!(index.items.len(), 3);
    assert_eq!(
        index.items[2].meta("footnotes"),
        Some(""),
        "no value in the index"
    );
    assert_eq!(index.items[2].title, "T12");
}

#[test]
fn reads_wxr_1_0_and_1_1_namespaces() {
    for version in ["1.0", "1.1"] {
        let xml = format!(
            "<rss xmlns:wp=\"http://wordpress.org/export/{version}/\" xmlns:excerpt=\"http://wordpress.org/export/{version}/excerpt/\"><channel><item><wp:post_id>3</wp:post_id><excerpt:encoded>Short</excerpt:encoded></item></channel></rss>"
        );
        let export = read_str(&xml).unwrap();
        assert_eq!(export.items[0].id, 3);
        assert_eq!(export.items[0].excerpt, "Short");
    }
}

#[test]
fn lines_of_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.xml");
    std::fs::write(&path, "a\nbc\n\nd").unwrap();
    assert_eq!(
        lines_of(&path, &[0, 1, 2, 5, 6, 7, 99]),
        [1, 1, 2, 3, 4, 4, 4]
    );
}

#[test]
fn refuses_what_is_not_an_export() {
    let html = read_str("<html><body>hi</body></html>").unwrap_err();
    assert!(
        html.message.contains("not a WordPress export"),
        "{}",
        html.message
    );
    let feed = read_str("<rss><channel><item><title>x</title></item></channel></rss>").unwrap_err();
    assert!(
        feed.message.contains("without WordPress"),
        "{}",
        feed.message
    );
    let cut = read_str(&format!("{HEAD}<item><title>x</title>")).unwrap_err();
    assert!(cut.message.contains("truncated"), "{}", cut.message);
    let latin = read_str("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss/>").unwrap_err();
    assert!(latin.message.contains("iso-8859-1"), "{}", latin.message);
}
