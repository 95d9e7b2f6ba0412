"""User-written Markdown turned into safe HTML: scripts, event handlers and javascript: links
never survive, whatever the text contains."""

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MAX_MARKDOWN_LENGTH = 200_000


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, sanitised by nh3 (allow-list of tags, attributes and URL schemes).

    Headings start at h2 because the page's own title is the h1. Raw HTML in the text is
    escaped or stripped, never passed through.
    """
    html = markdown_lib.markdown(
        (text or "")[:MAX_MARKDOWN_LENGTH],
        extensions=["extra", "sane_lists"],
        output_format="html",
    )
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)
