"""How to cite a resource: BibTeX, RIS, an APA-style reference and the citation_* meta tags.

The authors are the resource's authors in order; a resource without personal authors is cited
under its organisations, and one with neither under the Task Force itself (its own papers).
Dates are only as precise as they are known: "2014", "2022, March", never an invented day.
"""

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from knowledgehub.models import Resource, ResourceKind
from members.models import DatePrecision

TASK_FORCE_NAME = "UN Inter-Agency Task Force on Social and Solidarity Economy"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

REPORT_KINDS = {
    ResourceKind.REPORT,
    ResourceKind.WORKING_PAPER,
    ResourceKind.POLICY_BRIEF,
    ResourceKind.POSITION_PAPER,
}
RIS_TYPES = {
    ResourceKind.RESEARCH_PAPER: "RPRT",
    ResourceKind.WORKING_PAPER: "RPRT",
    ResourceKind.POLICY_BRIEF: "RPRT",
    ResourceKind.REPORT: "RPRT",
    ResourceKind.POSITION_PAPER: "RPRT",
    ResourceKind.ENCYCLOPEDIA_ENTRY: "ENCYC",
    ResourceKind.TRAINING_MATERIAL: "GEN",
    ResourceKind.VIDEO: "VIDEO",
}


@dataclass(frozen=True)
class CitationAuthor:
    name: str
    # Institutions are cited by their full name, never reordered as "Surname, I.".
    is_institution: bool


def citation_authors(resource: Resource) -> list[CitationAuthor]:
    """Uses the prefetched `authors` and `organisations` of the resource."""
    authors = [CitationAuthor(author.name, False) for author in resource.authors.all()]
    if authors:
        return authors
    organisations = [
        CitationAuthor(organisation.name, True) for organisation in resource.organisations.all()
    ]
    return organisations or [CitationAuthor(TASK_FORCE_NAME, True)]


def _language_in_english(resource: Resource) -> str:
    with translation.override("en"):
        return str(resource.get_language_display())


def publisher(resource: Resource) -> str:
    names = [organisation.name for organisation in resource.organisations.all()]
    return " and ".join(names) if names else TASK_FORCE_NAME


def _precision(resource: Resource) -> str:
    return resource.published_precision if resource.published_on else ""


# --- BibTeX --------------------------------------------------------------------------------
_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def bibtex_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}")
    text = _BIBTEX_SPECIAL.sub(r"\\\1", text)
    return text.replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def citation_key(resource: Resource) -> str:
    return f"untfsse{resource.pk}{resource.year or ''}"


def bibtex(resource: Resource, *, url: str) -> str:
    """A BibTeX entry: @techreport for reports and papers of that kind, @misc otherwise."""
    entry_type = "techreport" if resource.kind in REPORT_KINDS else "misc"
    authors = " and ".join(
        "{" + bibtex_escape(author.name) + "}"
        if author.is_institution
        else bibtex_escape(author.name)
        for author in citation_authors(resource)
    )
    fields: list[tuple[str, str]] = [("author", authors), ("title", bibtex_escape(resource.title))]
    if entry_type == "techreport":
        fields.append(("institution", bibtex_escape(publisher(resource))))
        fields.append(("type", bibtex_escape(resource.get_kind_display())))
    else:
        fields.append(("publisher", bibtex_escape(publisher(resource))))
    if resource.published_on:
        fields.append(("year", str(resource.published_on.year)))
        if _precision(resource) in (DatePrecision.MONTH, DatePrecision.DAY):
            fields.append(("month", BIBTEX_MONTHS[resource.published_on.month - 1]))
    if resource.doi:
        fields.append(("doi", bibtex_escape(resource.doi)))
    fields.append(("url", url))
    fields.append(("language", _language_in_english(resource)))
    themes = [theme.name for theme in resource.themes.all()]
    if themes:
        fields.append(("keywords", bibtex_escape(", ".join(themes))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{citation_key(resource)},\n{body}\n}}\n"


# --- RIS -----------------------------------------------------------------------------------
def _ris_value(text: str) -> str:
    return " ".join(text.split())


def ris(resource: Resource, *, url: str) -> str:
    """A RIS record (tags and values one per line, CRLF line ends as the format wants)."""
    lines = [("TY", RIS_TYPES.get(resource.kind, "GEN"))]
    lines += [("AU", _ris_value(author.name)) for author in citation_authors(resource)]
    lines.append(("TI", _ris_value(resource.title)))
    if resource.published_on:
        date = resource.published_on
        lines.append(("PY", str(date.year)))
        precision = _precision(resource)
        month = f"{date.month:02d}" if precision in (DatePrecision.MONTH, DatePrecision.DAY) else ""
        day = f"{date.day:02d}" if precision == DatePrecision.DAY else ""
        lines.append(("DA", f"{date.year}/{month}/{day}/"))
    if resource.abstract:
        lines.append(("AB", _ris_value(resource.abstract)))
    lines += [("KW", _ris_value(theme.name)) for theme in resource.themes.all()]
    lines.append(("PB", _ris_value(publisher(resource))))
    lines.append(("LA", _language_in_english(resource)))
    if resource.doi:
        lines.append(("DO", resource.doi))
    lines.append(("UR", url))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in lines)


# --- APA -----------------------------------------------------------------------------------
def _apa_person(name: str) -> str:
    """ "Ilcheong Yi" as "Yi, I."; a single word stays as it is."""
    parts = name.split()
    if len(parts) < 2:
        return name
    initials = " ".join(f"{part[0]}." for part in parts[:-1])
    return f"{parts[-1]}, {initials}"


def _apa_authors(authors: list[CitationAuthor]) -> str:
    names = [
        author.name if author.is_institution else _apa_person(author.name) for author in authors
    ]
    if len(names) == 1:
        return names[0]
    if len(names) <= 20:
        return ", ".join(names[:-1]) + ", & " + names[-1]
    return ", ".join(names[:19]) + ", … " + names[-1]


def apa_date(resource: Resource) -> str:
    if not resource.published_on:
        return "n.d."
    date = resource.published_on
    precision = _precision(resource)
    if precision == DatePrecision.YEAR:
        return str(date.year)
    if precision == DatePrecision.MONTH:
        return f"{date.year}, {MONTHS[date.month - 1]}"
    return f"{date.year}, {MONTHS[date.month - 1]} {date.day}"


def apa(resource: Resource, *, url: str) -> SafeString:
    """An APA 7-style reference as HTML (the title in italics)."""
    authors = citation_authors(resource)
    author_text = _apa_authors(authors)
    source = publisher(resource)
    # APA leaves out the publisher when it is the author.
    show_publisher = not (
        len(authors) == 1 and authors[0].is_institution and authors[0].name == source
    )
    link = resource.doi_url or url
    title = resource.title.rstrip(".")
    return format_html(
        "{}. ({}). <em>{}</em>{}. {}{}",
        author_text.rstrip("."),
        apa_date(resource),
        title,
        format_html(" [{}]", resource.get_kind_display()) if resource.kind in REPORT_KINDS else "",
        format_html("{}. ", source) if show_publisher else "",
        link,
    )


# --- Meta tags read by scholarly search engines ----------------------------------------------
def citation_meta_tags(resource: Resource, *, url: str, pdf_url: str = "") -> SafeString:
    """The Highwire Press citation_* <meta> tags (Google Scholar's inclusion guidelines)."""
    tags = [("citation_title", resource.title)]
    tags += [("citation_author", author.name) for author in citation_authors(resource)]
    if resource.published_on:
        date = resource.published_on
        precision = _precision(resource)
        value = (
            str(date.year)
            if precision == DatePrecision.YEAR
            else f"{date.year}/{date.month:02d}"
            if precision == DatePrecision.MONTH
            else f"{date.year}/{date.month:02d}/{date.day:02d}"
        )
        tags.append(("citation_publication_date", value))
    if resource.kind in REPORT_KINDS:
        tags.append(("citation_technical_report_institution", publisher(resource)))
    else:
        tags.append(("citation_publisher", publisher(resource)))
    tags.append(("citation_language", resource.language))
    if resource.doi:
        tags.append(("citation_doi", resource.doi))
    themes = [theme.name for theme in resource.themes.all()]
    if themes:
        tags.append(("citation_keywords", "; ".join(themes)))
    tags.append(("citation_abstract_html_url", url))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    return format_html_join("\n", '<meta name="{}" content="{}">', tags)


def download_file_name(resource: Resource) -> str:
    return f"{resource.slug or 'resource'}.pdf"
