"""The web speaks to clerks, not to the command line: every page reached from the site's own links,
as the office and as a working group, names no command, option or ISO week, and a group is offered
write links only on its own organisations."""
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import json

import pytest
from conftest import TODAY, run
from test_web import accounts, app, group3, office, register  # noqa: F401  (the module's fixtures)

# what a clerk should never read on a page
FORBIDDEN = [
    ("a title naming the program", re.compile(r"<title>[^<]*congress", re.IGNORECASE)),
    ("a command", re.compile(r"\bcongress\s+(user|import|export|template|status|log|unlog|schedule|undo|brief|org|"
                             r"group|db|serve|init|check|history|pilots|round|settings)\b")),
    ("an option", re.compile(r"(?<![\w-])--[a-z][a-z-]+")),
    ("an ISO week", re.compile(r"\b\d{4}-W\d{1,2}\b")),
]
PER_ROUTE = 12  # pages crawled under each first path segment: every kind of page, not every organisation
SKIPPED = ("/bao-cao/tai.pdf", "/bao-cao/tai.docx", "/static/")  # binary documents: their text is checked by the brief's tests


class Links(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.hrefs = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def crawl(client) -> dict[str, str]:
    """Every page reachable by GET from the overview through the site's own links (a few per route)."""
    seen, queue, per_route, bodies = set(), ["/"], Counter(), {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        route = "/" + urlsplit(url).path.strip("/").split("/")[0]
        if per_route[route] >= PER_ROUTE:
            continue
        per_route[route] += 1
        answer = client.get(url)
        if answer.status_code in (301, 302, 303):
            queue.append(answer.headers["Location"])
            continue
        assert answer.status_code == 200, url
        if answer.mimetype != "text/html":  # a sheet to fill, a file to download
            continue
        bodies[url] = answer.get_data(as_text=True)
        for href in Links(bodies[url]).hrefs:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc or parts.scheme or target.startswith(SKIPPED) or "dang-xuat" in target:
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return bodies


@pytest.fixture(scope="module")
def pages(app, office, group3):  # noqa: F811
    signed_out = app.test_client()
    return {"office": crawl(office), "group": crawl(group3), "signed out": crawl(signed_out)}


@pytest.mark.parametrize("who", ["office", "group", "signed out"])
@pytest.mark.parametrize("what, pattern", FORBIDDEN, ids=[w for w, _ in FORBIDDEN])
def test_no_page_names_the_command_line(pages, who, what, pattern):
    found = {url: pattern.search(body)[0] for url, body in pages[who].items() if pattern.search(body)}
    assert len(pages[who]) >= (1 if who == "signed out" else 40) and not found, (what, found)
    if who == "office":  # the printed brief as the web serves it is crawled too
        assert any(url.startswith("/bao-cao/tai.html") for url in pages[who])


WRITE_LINK = re.compile(r'href="/(?:ghi-nhan|du-kien|rut-lai)\?organisation=([^"&]+)"')


def test_a_group_is_offered_writes_only_on_its_own_organisations(pages, register):  # noqa: F811
    own = {r["code"] for r in json.loads(run("--db", register, "org", "list", "--group", "3", "--format", "json",
                                              env={"CONGRESS_TODAY": TODAY}).stdout)}
    offered = {code for body in pages["group"].values() for code in WRITE_LINK.findall(body)}
    assert offered and offered <= own, offered - own
    # the office is offered them everywhere, the group's own organisation pages too
    assert {code for body in pages["office"].values() for code in WRITE_LINK.findall(body)} - own
