//! `dossier import wordpress`: small exports written here, imported with the real binary, then
//! built; assertions on the files written and on the built site.

use std::path::Path;

use crate::harness::{Run, Site, assert_contains};

/// An export of the Harbor Institute's blog with `items` in its channel.
fn export(items: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Harbor Notes</title>
	<link>https://harbor.example.org/blog</link>
	<description>Analysis from the Harbor Institute</description>
	<language>en-US</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://harbor.example.org/blog</wp:base_site_url>
	<wp:base_blog_url>https://harbor.example.org/blog</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[mina.park]]></wp:author_login><wp:author_display_name><![CDATA[Mina Park]]></wp:author_display_name><wp:author_first_name><![CDATA[Mina]]></wp:author_first_name><wp:author_last_name><![CDATA[Park]]></wp:author_last_name></wp:author>
	<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[tom]]></wp:author_login><wp:author_display_name><![CDATA[Tomás Reyes]]></wp:author_display_name></wp:author>
	<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[trade]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Trade]]></wp:cat_name></wp:category>
	<wp:category><wp:term_id>4</wp:term_id><wp:category_nicename><![CDATA[security]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Security]]></wp:cat_name></wp:category>
{items}
</channel>
</rss>
"#
    )
}

/// An `<item>`: `fields` are extra elements (status, meta, categories...).
fn item(
    id: u64,
    kind: &str,
    title: &str,
    name: &str,
    link: &str,
    content: &str,
    fields: &str,
) -> String {
    format!(
        r#"<item>
		<title><![CDATA[{title}]]></title>
		<link>{link}</link>
		<dc:creator><![CDATA[mina.park]]></dc:creator>
		<content:encoded><![CDATA[{content}]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>{id}</wp:post_id>
		<wp:post_date><![CDATA[2023-03-14 09:30:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2023-03-14 13:30:00]]></wp:post_date_gmt>
		<wp:post_modified_gmt><![CDATA[2023-03-14 13:30:00]]></wp:post_modified_gmt>
		<wp:post_name><![CDATA[{name}]]></wp:post_name>
		<wp:post_type><![CDATA[{kind}]]></wp:post_type>
		{fields}
	</item>"#
    )
}

fn post(id: u64, title: &str, name: &str, content: &str, fields: &str) -> String {
    let link = format!("https://harbor.example.org/blog/2023/03/14/{name}/");
    let fields = if fields.contains("<wp:status>") {
        fields.to_owned()
    } else {
        format!("<wp:status><![CDATA[publish]]></wp:status>{fields}")
    };
    item(id, "post", title, name, &link, content, &fields)
}

fn meta(key: &str, value: &str) -> String {
    format!(
        "<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key><wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
    )
}

/// Runs `dossier import wordpress <export> --into <site> <args>`.
fn import(site: &Site, xml: &str, args: &[&str]) -> Run {
    let export = site.path("export.xml");
    std::fs::write(&export, xml).expect("write the export");
    import_file(site, &export, args)
}

fn import_file(site: &Site, export: &Path, args: &[&str]) -> Run {
    let export = export.to_str().expect("a UTF-8 path");
    let into = site.path("site");
    let into = into.to_str().expect("a UTF-8 path");
    let mut all = vec!["import", "wordpress", export, "--into", into];
    all.extend_from_slice(args);
    crate::harness::run(site.root(), &all)
}

/// Builds the imported site (`<tmp>/site`) into `<tmp>/site/public`.
fn build(site: &Site) {
    let into = site.path("site");
    crate::harness::run(
        site.root(),
        &["build", "--root", into.to_str().expect("a UTF-8 path")],
    )
    .success();
}

fn built(site: &Site, url: &str) -> String {
    site.read(&format!("site/public/{}", crate::harness::page_file(url)))
}

#[test]
fn posts_become_briefs_with_their_front_matter() {
    let site = Site::new();
    let items = [
        post(
            10,
            "Chip Exports After the Downturn",
            "chip-exports",
            "Exports fell in 2023.\n\nThey recovered by spring.",
            &format!(
                "<category domain=\"category\" nicename=\"trade\"><![CDATA[Trade]]></category><category domain=\"category\" nicename=\"security\"><![CDATA[Security]]></category><category domain=\"post_tag\" nicename=\"chips\"><![CDATA[chips]]></category>{}{}",
                meta("_yoast_wpseo_primary_category", "4"),
                meta("_thumbnail_id", "50")
            ),
        ),
        post(
            11,
            "Port Cranes",
            "%ed%95%AD%EA%B5%AC-cranes",
            "Busan's cranes.",
            "",
        ),
        post(12, "Untitled Slug Post", "", "Made from the title.", ""),
        post(
            13,
            "A Draft",
            "a-draft",
            "Not yet.",
            "<wp:status><![CDATA[draft]]></wp:status>",
        ),
        post(
            14,
            "Secret",
            "secret",
            "Private words.",
            "<wp:status><![CDATA[private]]></wp:status>",
        ),
        post(
            15,
            "Locked",
            "locked",
            "Locked words.",
            "<wp:status><![CDATA[publish]]></wp:status><wp:post_password><![CDATA[pw]]></wp:post_password>",
        ),
        post(
            16,
            "Binned",
            "binned",
            "Trashed words.",
            "<wp:status><![CDATA[trash]]></wp:status>",
        ),
    ];
    // The attachment's alt text must sit inside its item.
    let attachment = item(50, "attachment", "cranes", "cranes", "https://harbor.example.org/blog/cranes/", "",
        &format!("<wp:status>inherit</wp:status><wp:attachment_url>https://harbor.example.org/blog/wp-content/uploads/2023/03/cranes.jpg</wp:attachment_url>{}", meta("_wp_attachment_image_alt", "Cranes at dusk")))
        .replace("<excerpt:encoded><![CDATA[]]></excerpt:encoded>", "<excerpt:encoded><![CDATA[Photo: Harbor Institute]]></excerpt:encoded>");
    let xml = export(&(items.join("\n") + &attachment));
    import(&site, &xml, &[]).success();

    let chips = site.read("site/briefs/chip-exports.md");
    assert!(
        chips.starts_with(
            "+++\ntitle = \"Chip Exports After the Downturn\"\ndate = \"2023-03-14T13:30:00Z\"\n"
        ),
        "{chips}"
    );
    assert!(chips.contains("authors = [\"mina-park\"]"), "{chips}");
    assert!(
        chips.contains("category = \"Security\""),
        "Yoast's primary category: {chips}"
    );
    assert!(chips.contains("tags = [\"Trade\", \"chips\"]"), "{chips}");
    assert!(
        chips.contains(
            "image = \"https://harbor.example.org/blog/wp-content/uploads/2023/03/cranes.jpg\""
        ),
        "{chips}"
    );
    assert!(chips.contains("image_alt = \"Cranes at dusk\""), "{chips}");
    assert!(
        chips.contains("image_credit = \"Photo: Harbor Institute\""),
        "{chips}"
    );
    assert!(
        chips.contains("Exports fell in 2023.\n\nThey recovered by spring."),
        "{chips}"
    );
    assert!(
        site.path("site/briefs/hanggu-cranes.md").is_file()
            || site.path("site/briefs/hang-gu-cranes.md").is_file(),
        "the percent-encoded Korean slug, decoded and transliterated"
    );
    assert!(
        site.read("site/briefs/untitled-slug-post.md")
            .contains("Made from the title.")
    );
    assert!(site.read("site/briefs/a-draft.md").contains("draft = true"));
    for gone in ["secret", "locked", "binned"] {
        assert!(
            !site.path(&format!("site/briefs/{gone}.md")).exists(),
            "{gone} was imported"
        );
    }
    let report = site.read("site/import-report.md");
    assert_contains(
        &report,
        &[
            "post 14 “Secret”: private: not imported",
            "post 15 “Locked”: password-protected: not imported",
            "post 16 “Binned”: in the trash: not imported",
            "post 10 “Chip Exports After the Downturn”: it has 2 categories: `Security` is its category, the others became tags",
            "<https://harbor.example.org/blog/wp-content/uploads/2023/03/cranes.jpg> (post 10)",
        ],
    );
    let toml = site.read("site/site.toml");
    assert!(toml.contains("title = \"Harbor Notes\""), "{toml}");
    assert!(
        toml.contains("base_url = \"https://harbor.example.org/blog\""),
        "{toml}"
    );
    assert!(toml.contains("language = \"en-US\""), "{toml}");
    assert!(
        toml.contains("[authors.mina-park]\nname = \"Mina Park\""),
        "{toml}"
    );
    assert!(
        toml.contains("[authors.tom]\nname = \"Tomás Reyes\""),
        "{toml}"
    );

    build(&site);
    let page = built(&site, "chip-exports/");
    assert!(page.contains("They recovered by spring."), "{page}");
    assert!(page.contains("Mina Park"));
    assert!(
        !site.path("site/public/a-draft/index.html").exists(),
        "a draft was published"
    );
}

#[test]
fn classic_and_block_bodies_become_markdown() {
    let site = Site::new();
    let classic = "Seoul's exports rose.\nA second line.\n\n[caption id=\"attachment_7\" align=\"aligncenter\" width=\"300\"]<img src=\"https://example.net/port.jpg\" alt=\"The port\" width=\"300\" /> Busan, the port in 2022[/caption]\n\nhttps://www.youtube.com/watch?v=abc123\n\n[embed]https://vimeo.com/123[/embed]\n\n[audio mp3=\"https://example.net/talk.mp3\"]\n\n[video src=\"https://example.net/clip.mp4\"]\n\nClaims need sources.[efn_note]Bank of Korea, 2023.[/efn_note] Another.[mfn]Statistics Korea.[/mfn]\n\n[contact-form-7 id=\"5\" title=\"Contact\"]\n\n<table><thead><tr><th>Year</th><th>Exports</th></tr></thead><tbody><tr><td>2022</td><td>684</td></tr></tbody></table>\n\n<table><tr><td rowspan=\"2\">Merged</td><td>a</td></tr><tr><td>b</td></tr></table>";
    let blocks = "<!-- wp:paragraph -->\n<p>Sanctions tightened in 2017.<sup data-fn=\"f1a\" class=\"fn\"><a href=\"#f1a\" id=\"f1a-link\">1</a></sup></p>\n<!-- /wp:paragraph -->\n\n<!-- wp:latest-posts /-->\n\n<!-- wp:paragraph -->\n<p>See <a href=\"https://harbor.example.org/blog/2023/03/14/classic/\">the classic post</a> and <a href=\"https://harbor.example.org/blog/?p=20\">again</a>.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:footnotes /-->";
    let footnotes = r#"[{"content":"UN Security Council, <em>Resolution 2397</em>.","id":"f1a"}]"#;
    let xml = export(
        &[
            post(20, "Classic", "classic", classic, ""),
            post(
                21,
                "Blocks",
                "blocks",
                blocks,
                &meta("footnotes", footnotes),
            ),
        ]
        .join("\n"),
    );
    import(&site, &xml, &[]).success();

    let classic_md = site.read("site/briefs/classic.md");
    assert_contains(
        &classic_md,
        &[
            "Seoul's exports rose.  \nA second line.",
            "<figure><img src=\"https://example.net/port.jpg\" alt=\"The port\" width=\"300\"><figcaption>Busan, the port in 2022</figcaption></figure>",
            "[https://www.youtube.com/watch?v=abc123](https://www.youtube.com/watch?v=abc123)",
            "[https://vimeo.com/123](https://vimeo.com/123)",
            "<audio controls=\"\" src=\"https://example.net/talk.mp3\">",
            "<video controls=\"\" src=\"https://example.net/clip.mp4\">",
            "Claims need sources.[^1] Another.[^2]",
            "[^1]: Bank of Korea, 2023.",
            "[^2]: Statistics Korea.",
            "\\[contact-form-7 id=\"5\" title=\"Contact\"\\]",
            "| Year | Exports |",
            "<td rowspan=\"2\">Merged</td>",
        ],
    );
    let blocks_md = site.read("site/briefs/blocks.md");
    assert!(!blocks_md.contains("wp:"), "{blocks_md}");
    assert!(
        blocks_md.contains("Sanctions tightened in 2017.[^1]"),
        "{blocks_md}"
    );
    assert!(
        blocks_md.contains("[^1]: UN Security Council, *Resolution 2397*."),
        "{blocks_md}"
    );
    assert!(
        blocks_md.contains("[the classic post](/blog/classic/)"),
        "{blocks_md}"
    );
    assert!(blocks_md.contains("[again](/blog/classic/)"), "{blocks_md}");
    let report = site.read("site/import-report.md");
    assert!(
        report.contains(
            "post 20 “Classic”: the shortcode `[contact-form-7]` is not known to dossier"
        ),
        "{report}"
    );
    assert!(report.contains("post 21 “Blocks”: blocks that WordPress makes when the page is shown were left out: `wp:latest-posts`"), "{report}");

    build(&site);
    let page = built(&site, "classic/");
    assert_eq!(
        crate::harness::count(&page, "figure figcaption"),
        1,
        "{page}"
    );
    assert!(page.contains("Bank of Korea, 2023."));
    assert_eq!(crate::harness::count(&page, "table"), 2);
    let blocks_page = built(&site, "blocks/");
    assert!(blocks_page.contains("Resolution 2397"), "{blocks_page}");
    assert!(crate::harness::links(&blocks_page).contains(&"/blog/classic/".to_owned()));
}

#[test]
fn uploads_are_copied_when_their_folder_is_given() {
    let site = Site::new();
    site.write("uploads/2023/03/chart.png", "PNG");
    site.write("uploads/2023/03/report.pdf", "PDF");
    let body = "<img src=\"https://harbor.example.org/blog/wp-content/uploads/2023/03/chart.png\" alt=\"Chart\" />\n\nThe <a href=\"https://harbor.example.org/blog/wp-content/uploads/2023/03/report.pdf\">full report</a>, and a <a href=\"https://harbor.example.org/blog/wp-content/uploads/2023/03/gone.pdf\">lost one</a>.";
    let xml = export(&post(30, "Files", "files", body, ""));
    let uploads = site.path("uploads");
    import(&site, &xml, &["--uploads", uploads.to_str().unwrap()]).success();
    let md = site.read("site/briefs/files.md");
    assert!(
        md.contains("![Chart](/blog/wp-content/uploads/2023/03/chart.png)"),
        "{md}"
    );
    assert!(
        md.contains("[full report](/blog/wp-content/uploads/2023/03/report.pdf)"),
        "{md}"
    );
    assert!(
        md.contains("(https://harbor.example.org/blog/wp-content/uploads/2023/03/gone.pdf)"),
        "{md}"
    );
    assert_eq!(
        site.read("site/static/wp-content/uploads/2023/03/chart.png"),
        "PNG"
    );
    assert_eq!(
        site.read("site/static/wp-content/uploads/2023/03/report.pdf"),
        "PDF"
    );
    assert!(
        site.read("site/import-report.md")
            .contains("gone.pdf> (post 30)")
    );
    build(&site);
    assert_eq!(
        site.read("site/public/wp-content/uploads/2023/03/chart.png"),
        "PNG"
    );
}

#[test]
fn a_second_import_changes_nothing_and_force_overwrites() {
    let site = Site::new();
    let xml = export(&post(40, "Once", "once", "Text.", ""));
    import(&site, &xml, &[]).success();
    let before = crate::harness::snapshot(&site.path("site"));
    import(&site, &xml, &[]).success();
    assert_eq!(
        before,
        crate::harness::snapshot(&site.path("site")),
        "a second import changed files"
    );

    site.write("site/briefs/once.md", "edited by hand");
    // The export has grown meanwhile: a refused import writes none of it.
    let grown = export(
        &[
            post(40, "Once", "once", "Text.", ""),
            post(41, "Twice", "twice", "More text.", ""),
        ]
        .join("\n"),
    );
    let refused = import(&site, &grown, &[]).failure();
    refused
        .stderr_has("already exist with other contents")
        .stderr_has("briefs/once.md")
        .stderr_has("--force");
    assert_eq!(site.read("site/briefs/once.md"), "edited by hand");
    assert!(
        !site.path("site/briefs/twice.md").exists(),
        "a refused import wrote a new file"
    );
    let mut after = crate::harness::snapshot(&site.path("site"));
    after.insert(
        "briefs/once.md".to_owned(),
        before["briefs/once.md"].clone(),
    );
    assert_eq!(before, after, "a refused import changed the folder");
    import(&site, &grown, &["--force"]).success();
    assert!(
        site.read("site/briefs/once.md")
            .contains("title = \"Once\"")
    );
    assert!(site.read("site/briefs/twice.md").contains("More text."));
    assert!(
        !site.path("site/.dossier-import.tmp").exists(),
        "the staging folder is left behind"
    );
}

#[test]
fn bad_exports_get_clear_errors() {
    let site = Site::new();
    let run = import(&site, "<html><body>Not an export</body></html>", &[]).failure();
    run.stderr_has(
        "export.xml:1:1: this is not a WordPress export (WXR): its root element is <html>",
    );
    let xml = export(&post(1, "Cut", "cut", "Text", ""));
    let cut = &xml[..xml.find("<wp:post_name>").unwrap()];
    import(&site, cut, &[])
        .failure()
        .stderr_has("the export ends inside <item>: the file is truncated");
    let latin = xml.replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    import(&site, &latin, &[])
        .failure()
        .stderr_has("declares the encoding `iso-8859-1`")
        .stderr_has("iconv");
    let mut bad_bytes = xml.clone().into_bytes();
    let at = xml.find("Text").unwrap();
    bad_bytes[at] = 0xE9;
    std::fs::write(site.path("bytes.xml"), &bad_bytes).unwrap();
    import_file(&site, &site.path("bytes.xml"), &[])
        .failure()
        .stderr_has("not valid UTF-8");
    let feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>A feed</title><item><title>x</title></item></channel></rss>";
    import(&site, feed, &[])
        .failure()
        .stderr_has("without WordPress's export fields");
    import_file(&site, &site.path("missing.xml"), &[])
        .failure()
        .stderr_has("cannot read the export");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        !site.path("site/site.toml").exists(),
        "a failed import wrote files"
    );
}

#[test]
fn duplicate_slugs_missing_titles_and_traversal_are_reported() {
    let site = Site::new();
    let xml = export(&[
        post(60, "Tariffs", "tariffs", "First.", ""),
        post(61, "Tariffs Again", "tariffs", "Second.", ""),
        post(62, "", "", "Words without a title here.", ""),
        post(63, "Escape", "..%2F..%2Fetc%2Fpasswd", "Sneaky.", &meta("_thumbnail_id", "64")),
        item(64, "attachment", "x", "x", "https://harbor.example.org/blog/x/", "",
            "<wp:status>inherit</wp:status><wp:attachment_url>https://harbor.example.org/blog/wp-content/uploads/../../../../etc/passwd</wp:attachment_url>"),
        post(65, "Body Escape", "body-escape", "<img src=\"https://harbor.example.org/blog/wp-content/uploads/2023/%2e%2e/%2e%2e/%2e%2e/secret.txt\" alt=\"x\">", ""),
    ].join("\n"));
    site.write("uploads/2023/a.txt", "a");
    site.write("secret.txt", "outside");
    let uploads = site.path("uploads");
    let run = import(&site, &xml, &["--uploads", uploads.to_str().unwrap()]).success();
    assert!(site.read("site/briefs/tariffs.md").contains("First."));
    assert!(site.read("site/briefs/tariffs-2.md").contains("Second."));
    let untitled = site.read("site/briefs/post-62.md");
    assert!(
        untitled.contains("title = \"Words without a title here.…\""),
        "{untitled}"
    );
    assert!(
        site.path("site/briefs/etc-passwd.md").is_file(),
        "the slug is made safe"
    );
    // The report's lines are warnings too, at the line where the item starts in the export.
    let line_of = |id: u64| {
        let at = xml.find(&format!("<wp:post_id>{id}</wp:post_id>")).unwrap();
        xml[..xml[..at].rfind("<item>").unwrap()]
            .matches('\n')
            .count()
            + 1
    };
    run.stderr_has(&format!(
        "warning: {}:{}:1: post 61 “Tariffs Again”: its slug `tariffs` was taken: now `tariffs-2`",
        site.path("export.xml").display(),
        line_of(61)
    ))
    .stderr_has(&format!(
        "export.xml:{}:1: post 62 “(no title)”: it has no title",
        line_of(62)
    ));
    let report = site.read("site/import-report.md");
    assert_contains(
        &report,
        &[
            "post 61 “Tariffs Again”: its slug `tariffs` was taken: now `tariffs-2`",
            "post 62 “(no title)”: it has no title",
            "post 63 “Escape”: its slug `../../etc/passwd` was made URL-safe: `etc-passwd`",
            "post 63 “Escape”: its featured image `https://harbor.example.org/blog/wp-content/uploads/../../../../etc/passwd` leads out of the uploads folder",
            "post 63 “Escape”: its old address /2023/03/14/../../etc/passwd/ cannot be a redirect: it has `.` or `..` in it",
            "post 65 “Body Escape”: the upload URL",
        ],
    );
    let written: Vec<_> = crate::harness::files_below(&site.path("site"));
    assert!(written.iter().all(|p| p.starts_with(site.path("site"))));
    assert!(!site.path("site/static/secret.txt").exists());
    assert!(
        !site.path("site/static").exists(),
        "nothing was to be copied"
    );
    build(&site);
}

fn nav_item(
    id: u64,
    order: i64,
    title: &str,
    target: (&str, &str, u64),
    url: &str,
    parent: u64,
) -> String {
    let (kind, object, object_id) = target;
    item(
        id,
        "nav_menu_item",
        title,
        &id.to_string(),
        "https://harbor.example.org/blog/?p=1",
        "",
        &format!(
            "<wp:status>publish</wp:status><wp:menu_order>{order}</wp:menu_order><category domain=\"nav_menu\" nicename=\"main-menu\"><![CDATA[Main Menu]]></category>{}{}{}{}{}",
            meta("_menu_item_type", kind),
            meta("_menu_item_object", object),
            meta("_menu_item_object_id", &object_id.to_string()),
            meta("_menu_item_url", url),
            meta("_menu_item_menu_item_parent", &parent.to_string())
        ),
    )
}

#[test]
fn pages_menus_dates_and_aliases_are_written() {
    let site = Site::new();
    let page = |id: u64, title: &str, name: &str, parent: u64, link: &str| {
        item(
            id,
            "page",
            title,
            name,
            link,
            &format!("The {title} page."),
            &format!(
                "<wp:status>publish</wp:status><wp:post_parent>{parent}</wp:post_parent><wp:menu_order>{id}</wp:menu_order>"
            ),
        )
    };
    let xml = export(
        &[
            // A child before its parent, as exports may order them.
            page(
                71,
                "Staff",
                "staff",
                70,
                "https://harbor.example.org/blog/about/staff/",
            ),
            page(
                70,
                "About",
                "about",
                0,
                "https://harbor.example.org/blog/about/",
            ),
            post(
                72,
                "Scheduled",
                "scheduled",
                "Soon.",
                "<wp:status><![CDATA[future]]></wp:status>",
            )
            .replace(
                "2023-03-14 13:30:00]]></wp:post_date_gmt>",
                "2031-05-01 12:00:00]]></wp:post_date_gmt>",
            ),
            post(
                73,
                "Pending",
                "pending",
                "Waiting.",
                "<wp:status><![CDATA[pending]]></wp:status>",
            )
            .replace(
                "<wp:post_date_gmt><![CDATA[2023-03-14 13:30:00]]>",
                "<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]>",
            ),
            post(74, "Revised", "revised", "Changed.", "").replace(
                "<wp:post_modified_gmt><![CDATA[2023-03-14 13:30:00]]>",
                "<wp:post_modified_gmt><![CDATA[2023-04-02 08:00:00]]>",
            ),
            nav_item(80, 1, "", ("post_type", "page", 70), "", 0),
            nav_item(81, 2, "Team", ("post_type", "page", 71), "", 80),
            nav_item(82, 3, "Latest", ("post_type", "post", 74), "", 0),
            nav_item(83, 4, "Trade", ("taxonomy", "category", 3), "", 0),
            nav_item(
                84,
                5,
                "Donate",
                ("custom", "custom", 84),
                "https://give.example.org/",
                0,
            ),
        ]
        .join("\n"),
    );
    import(&site, &xml, &[]).success();

    let about = site.read("site/pages/about.md");
    assert!(
        about.starts_with("+++\ntitle = \"About\"\nweight = 70\naliases = [\"/?page_id=70\"]\n"),
        "{about}"
    );
    assert!(about.contains("The About page."));
    let staff = site.read("site/pages/about/staff.md");
    assert!(
        staff.contains("aliases = [\"/?page_id=71\"]"),
        "the old path is the new one: {staff}"
    );
    assert!(
        site.read("site/briefs/scheduled.md")
            .contains("date = \"2031-05-01T12:00:00Z\"")
    );
    let pending = site.read("site/briefs/pending.md");
    assert!(
        pending.contains("date = \"2023-03-14T09:30:00\"\n"),
        "the local date: {pending}"
    );
    assert!(pending.contains("draft = true"));
    let revised = site.read("site/briefs/revised.md");
    assert!(
        revised.contains("updated = \"2023-04-02T08:00:00Z\""),
        "{revised}"
    );
    assert!(
        revised.contains("aliases = [\"/2023/03/14/revised/\", \"/?p=74\"]"),
        "{revised}"
    );

    let toml = site.read("site/site.toml");
    let menu = &toml[toml.find("[[menu.main]]").expect("a menu")..];
    assert_eq!(
        menu,
        "[[menu.main]]\nname = \"About\"\npage = \"about\"\nweight = 1\n\n[[menu.main]]\nname = \"Latest\"\nurl = \"/revised/\"\nweight = 3\n\n[[menu.main]]\nname = \"Trade\"\nurl = \"/categories/trade/\"\nweight = 4\n\n[[menu.main]]\nname = \"Donate\"\nurl = \"https://give.example.org/\"\nweight = 5\n"
    );
    let report = site.read("site/import-report.md");
    assert!(
        report.contains("the menu entry “Team” is nested under another: left out"),
        "{report}"
    );

    // The site builds: pages at their paths, the menu in the navigation, old URLs redirected.
    build(&site);
    assert!(built(&site, "about/staff/").contains("The Staff page."));
    let nav = crate::harness::select_text(&built(&site, ""), ".site-nav li");
    assert_eq!(
        &nav[nav.len() - 4..],
        ["About", "Latest", "Trade", "Donate"]
    );
    let old = built(&site, "2023/03/14/revised/");
    assert!(
        old.contains("url=https://harbor.example.org/blog/revised/"),
        "{old}"
    );
    let redirects = site.read("site/public/_redirects");
    assert!(
        redirects.contains("/blog/ p=74 /blog/revised/ 301!\n"),
        "{redirects}"
    );
    assert!(
        redirects.contains("/blog/ page_id=71 /blog/about/staff/ 301!\n"),
        "{redirects}"
    );
}

#[test]
fn galleries_ref_notes_comments_and_old_archive_links() {
    let site = Site::new();
    let attachment = |id: u64, file: &str, alt: &str, caption: &str| {
        item(
            id,
            "attachment",
            file,
            file,
            &format!("https://harbor.example.org/blog/{file}/"),
            "",
            &format!(
                "<wp:status>inherit</wp:status><wp:post_parent>90</wp:post_parent><wp:menu_order>{id}</wp:menu_order><wp:attachment_url>https://harbor.example.org/blog/wp-content/uploads/2023/03/{file}.jpg</wp:attachment_url>{}",
                meta("_wp_attachment_image_alt", alt)
            ),
        )
        .replace(
            "<excerpt:encoded><![CDATA[]]></excerpt:encoded>",
            &format!("<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>"),
        )
    };
    let body = "Two views of the port.\n\n[gallery columns=\"2\"]\n\nOnly the second: [gallery ids=\"92\"]\n\nVolumes grew.[ref]Korea Customs Service, 2023.[/ref]\n\nMore in <a href=\"https://harbor.example.org/blog/category/trade/\">Trade</a>, <a href=\"https://harbor.example.org/blog/tag/ports/\">ports</a> and <a href=\"https://harbor.example.org/blog/author/mina.park/\">Mina's posts</a>; see <a href=\"https://harbor.example.org/blog/cranes-91/\">the photo page</a>.";
    let comment = "<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_content><![CDATA[Great read]]></wp:comment_content></wp:comment>";
    let xml = export(
        &[
            post(
                90,
                "Port Pictures",
                "port-pictures",
                body,
                &format!(
                    "<category domain=\"category\" nicename=\"trade\"><![CDATA[Trade]]></category><category domain=\"post_tag\" nicename=\"ports\"><![CDATA[ports]]></category>{comment}{comment}"
                ),
            ),
            attachment(91, "cranes-91", "Cranes", "Cranes at dawn"),
            attachment(92, "ships-92", "Ships", ""),
        ]
        .join("\n"),
    )
    .replacen(
        "</wp:category>\n",
        "</wp:category>\n<wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug><![CDATA[ports]]></wp:tag_slug><wp:tag_name><![CDATA[ports]]></wp:tag_name></wp:tag>\n",
        1,
    );
    import(&site, &xml, &[]).success();
    let md = site.read("site/briefs/port-pictures.md");
    assert_contains(
        &md,
        &[
            // `[gallery]` without ids: the post's attachments in their order, with captions.
            "<figure class=\"gallery\"><figure><img src=\"https://harbor.example.org/blog/wp-content/uploads/2023/03/cranes-91.jpg\" alt=\"Cranes\"><figcaption>Cranes at dawn</figcaption></figure><figure><img src=\"https://harbor.example.org/blog/wp-content/uploads/2023/03/ships-92.jpg\" alt=\"Ships\"></figure></figure>",
            "Volumes grew.[^1]",
            "[^1]: Korea Customs Service, 2023.",
            "[Trade](/blog/categories/trade/)",
            "[ports](/blog/tags/ports/)",
            "[Mina's posts](/blog/authors/mina-park/)",
            "[the photo page](https://harbor.example.org/blog/wp-content/uploads/2023/03/cranes-91.jpg)",
        ],
    );
    assert_eq!(
        md.matches("ships-92.jpg").count(),
        2,
        "`[gallery ids=\"92\"]` shows that image alone: {md}"
    );
    let report = site.read("site/import-report.md");
    assert!(
        report.contains(
            "2 comments on the imported posts and pages were not imported: a dossier site has no comments"
        ),
        "{report}"
    );
    build(&site);
    let page = built(&site, "port-pictures/");
    assert_eq!(crate::harness::count(&page, "figure.gallery img"), 3);
    assert!(page.contains("Korea Customs Service, 2023."));
    let links = crate::harness::links(&page);
    for link in [
        "/blog/categories/trade/",
        "/blog/tags/ports/",
        "/blog/authors/mina-park/",
    ] {
        assert!(links.contains(&link.to_owned()), "{link} in {links:?}");
    }
}
