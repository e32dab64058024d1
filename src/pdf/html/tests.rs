use super::*;

struct Site;

impl Resolver for Site {
    fn image(&mut self, src: &str) -> Option<String> {
        src.ends_with(".png").then(|| "/image-0.png".to_owned())
    }
    fn note(&self, number: usize) -> Option<&str> {
        (number == 1).then_some("<p>Doe, <em>Book</em>, 3.</p>\n")
    }
    fn link(&self, href: &str) -> Option<String> {
        (!href.starts_with('#')).then(|| href.to_owned())
    }
}

fn typst(html: &str) -> String {
    let mut out = String::new();
    convert(html, &mut Site, &mut out);
    out.trim().to_owned()
}

#[test]
fn text_may_start_with_a_character_of_several_bytes() {
    assert_eq!(
        typst("<p>“Quoted,” <i>Wire</i>, a “<b>bold</b>” 한국</p>"),
        "“Quoted,” #emph[Wire], a “#strong[bold]” 한국"
    );
    assert_eq!(typst("“"), "“");
}

#[test]
fn inline_markup() {
    assert_eq!(
        typst("<p>A <em>b</em> &amp; <strong>c</strong> <a href=\"https://x.org/a?b=1\">d</a></p>"),
        "A #emph[b] & #strong[c] #link(\"https://x.org/a?b=1\")[d]"
    );
}

#[test]
fn notes_become_footnotes_and_a_second_reference_points_to_the_first() {
    let html = "<p>Text.<sup class=\"note-ref\"><a href=\"#note-1\" id=\"note-ref-1\">1</a></sup> Again<sup class=\"note-ref\"><a href=\"#note-1\">1</a></sup></p>";
    assert_eq!(
        typst(html),
        "Text\\.#footnote[Doe, #emph[Book], 3\\.]<note-1> Again#footnote(<note-1>)"
    );
}

#[test]
fn lists_tables_and_code_are_balanced_calls() {
    assert_eq!(
        typst("<ul>\n<li>a</li>\n<li>b <code>x*y</code></li>\n</ul>"),
        "#list([a],[b #raw(\"x*y\")],)"
    );
    assert_eq!(
        typst(
            "<table><thead><tr><th>H</th><th>I</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
        ),
        "#table(columns: 2, table.header([#strong[H]],[#strong[I]],),[1],[2],)"
    );
    // Unclosed and stray tags still give balanced markup.
    assert_eq!(typst("<p><em>a</p></strong>b"), "#emph[a]\n\nb");
}

#[test]
fn images_resolve_or_fall_back_to_their_description() {
    assert_eq!(
        typst("<img src=\"/a.png\" alt=\"A &quot;chart&quot;\" title=\"Fig\">"),
        "#figure(image(\"/image-0.png\", alt: \"A \\\"chart\\\"\", fit: \"contain\"), caption: [Fig])"
    );
    assert_eq!(
        typst("<img src=\"https://x.org/b.jpg\" alt=\"Map\">"),
        "#box(stroke: 0.5pt + luma(160), inset: 4pt)[Image: Map]"
    );
}

#[test]
fn entities_and_scripts() {
    assert_eq!(
        typst("a&nbsp;b &#x41;&#66; &bogus; <script>x</script>"),
        "a\u{a0}b AB &bogus;"
    );
}
