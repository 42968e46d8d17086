"""Fetch and validate feeds and sitemaps in tests: sitemaps against the sitemaps.org XSDs,
Atom against RFC 4287's RELAX NG grammar (plus its two Schematron rules), RSS 2.0 against the
elements its specification requires."""

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RSS_CONTENT_TYPE = "application/rss+xml; charset=utf-8"
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"


@cache
def _xml_schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@cache
def _atom_grammar() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))


@dataclass
class FeedItem:
    title: str
    link: str
    guid: str
    published: datetime
    description: str | None
    author: str | None


def _get(client, url: str, host: str, content_type: str) -> etree._Element:
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (url, host, response.status_code)
    assert response["Content-Type"] == content_type, response["Content-Type"]
    return etree.fromstring(response.content)


def fetch_rss(client, url: str, *, host: str = "localhost") -> tuple[etree._Element, list[FeedItem]]:
    """GET an RSS feed and check what RSS 2.0 requires (there is no official schema)."""
    root = _get(client, url, host, RSS_CONTENT_TYPE)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channels = root.findall("channel")
    assert len(channels) == 1
    channel = channels[0]
    for required in ("title", "link", "description"):
        element = channel.find(required)
        assert element is not None and (element.text or "").strip(), required
    assert channel.findtext("link").startswith(("http://", "https://"))
    items = []
    for item in channel.findall("item"):
        title, description = item.findtext("title"), item.findtext("description")
        assert (title or "").strip() or (description or "").strip(), "title or description"
        guid = item.find("guid")
        assert guid is not None and guid.text
        if guid.get("isPermaLink", "true") == "true":
            assert guid.text.startswith(("http://", "https://"))
        published = parsedate_to_datetime(item.findtext("pubDate"))
        assert published.tzinfo is not None
        link = item.findtext("link")
        assert link.startswith(("http://", "https://"))
        items.append(FeedItem(
            title=title, link=link, guid=guid.text, published=published,
            description=description,
            author=item.findtext("{http://purl.org/dc/elements/1.1/}creator"),
        ))
    return channel, items


def fetch_atom(client, url: str, *, host: str = "localhost") -> tuple[etree._Element, list[FeedItem]]:
    """GET an Atom feed and validate it against RFC 4287's grammar and Schematron rules."""
    root = _get(client, url, host, ATOM_CONTENT_TYPE)
    grammar = _atom_grammar()
    assert grammar.validate(root), grammar.error_log
    # The RFC's two Schematron assertions, which RELAX NG cannot express.
    feed_has_author = root.find(f"{ATOM}author") is not None
    items = []
    for entry in root.findall(f"{ATOM}entry"):
        links = [link for link in entry.findall(f"{ATOM}link")
                 if link.get("rel", "alternate") == "alternate"]
        assert links or entry.find(f"{ATOM}content") is not None
        assert feed_has_author or entry.find(f"{ATOM}author") is not None
        summary = entry.find(f"{ATOM}summary")
        items.append(FeedItem(
            title=entry.findtext(f"{ATOM}title"), link=links[0].get("href"),
            guid=entry.findtext(f"{ATOM}id"),
            published=datetime.fromisoformat(entry.findtext(f"{ATOM}published")),
            description=summary.text if summary is not None else None,
            author=entry.findtext(f"{ATOM}author/{ATOM}name"),
        ))
    return root, items


def fetch_sitemap_index(client, *, host: str = "localhost") -> list[str]:
    """GET /sitemap.xml, validate it against siteindex.xsd, return the sitemap locations."""
    response = client.get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    schema = _xml_schema("siteindex.xsd")
    assert schema.validate(root), schema.error_log
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def fetch_sitemap(client, url: str, *, host: str = "localhost") -> dict[str, str | None]:
    """GET one sitemap, validate it against sitemap.xsd, return {loc: lastmod}."""
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    schema = _xml_schema("sitemap.xsd")
    assert schema.validate(root), schema.error_log
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
            for url in root.iter(f"{SITEMAP}url")}


def path_of(absolute_url: str) -> str:
    """The path (with the leading slash) of an absolute URL, for the test client."""
    return "/" + absolute_url.split("://", 1)[1].split("/", 1)[1]
