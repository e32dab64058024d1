//! Small helpers over roxmltree for WordprocessingML. Elements and attributes are matched by
//! local name: Word writes the transitional namespace, "Strict" documents another, and no two
//! elements dossier reads share a local name within the parts it reads.

use roxmltree::Node;

/// An attribute by local name (`w:val`, `r:id`, or a plain `Id`).
pub(super) fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| a.value())
}

/// The first child element with this local name.
pub(super) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
}

/// The first descendant element with this local name.
pub(super) fn descendant<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.descendants()
        .find(|n| n.is_element() && n.tag_name().name() == name)
}

/// A toggle property (`<w:b/>`, `<w:b w:val="0"/>`): on unless its value says off.
pub(super) fn on_off(node: Node<'_, '_>) -> bool {
    !matches!(attr(node, "val"), Some("0" | "false" | "off" | "none"))
}

/// The text of an element (all its text nodes).
pub(super) fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}
