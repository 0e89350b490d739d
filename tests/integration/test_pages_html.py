"""The student pages as HTML over ASGI: the same answers as the JSON API, errors as pages,
the language switch and the static files. The browser suite (tests/browser) drives them."""

from __future__ import annotations

import gzip
import re
from html import unescape

import httpx

from search_api.core.settings import Settings
from tests.fixtures.api import api_client
from tests.fixtures.services import closed_port

CARD_ID = re.compile(r'<article class="card" data-id="([a-z0-9-]+)"')


def card_ids(html: str) -> list[str]:
    return CARD_ID.findall(html)


async def test_explore_shows_what_the_search_api_returns(catalogue_api: httpx.AsyncClient) -> None:
    query = "q=engineer&stream=PCM&job_outlook=High+Demand&sort=salary_desc&page=2"
    page = await catalogue_api.get(f"/explore?{query}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    api = (await catalogue_api.get(f"/api/v1/careers/search?{query}&size=10")).json()["data"]
    assert card_ids(page.text) == [r["id"] for r in api["results"]]
    assert len(card_ids(page.text)) > 0
    html = unescape(page.text)
    assert f"{api['total']} careers for “engineer”" in html
    assert 'id="f-stream-pcm" name="stream" value="PCM" checked' in page.text
    assert page.text.count('class="chip"') == 2  # stream and outlook
    # the root path is the same page
    root = await catalogue_api.get(f"/?{query}")
    assert card_ids(root.text) == card_ids(page.text)


async def test_zero_results_name_the_filter_and_link_to_drop_it(
    catalogue_api: httpx.AsyncClient,
) -> None:
    page = await catalogue_api.get("/explore?category=Defence&remote_work=Full")
    assert page.status_code == 200
    assert card_ids(page.text) == []
    html = unescape(page.text)
    assert "The filter that emptied the list: Category (Defence)." in html
    assert "Remove Remote work (Fully remote) and see" in html
    link = re.search(r'href="([^"]+)" data-swap [^>]*data-drop="category"', page.text)
    assert link is not None
    without = await catalogue_api.get(unescape(link.group(1)))
    assert len(card_ids(without.text)) > 0
    assert "category=" not in unescape(link.group(1))


async def test_odd_links_are_cleaned_and_reported(catalogue_api: httpx.AsyncClient) -> None:
    page = await catalogue_api.get("/explore?category=Wizardry&exam=no-such-exam&page=xyz")
    assert page.status_code == 200
    html = unescape(page.text)
    assert "were not understood and were left out" in html
    assert "category=Wizardry" in html
    assert "exam=no-such-exam" in html
    assert len(card_ids(page.text)) == 10


async def test_career_page_has_every_section_and_404s_are_pages(
    catalogue_api: httpx.AsyncClient,
) -> None:
    page = await catalogue_api.get("/careers/doctor-mbbs")
    assert page.status_code == 200
    detail = (await catalogue_api.get("/api/v1/careers/doctor-mbbs")).json()["data"]
    html = unescape(page.text)
    assert f"<h1>{detail['name']}" in html
    for exam in detail["entrance_exams"]:
        assert f'data-exam="{exam["id"]}"' in page.text
        assert exam["conducting_body"] in html
    for alt in detail["alternatives"]:
        assert f'href="/careers/{alt["id"]}"' in page.text
    for institution in detail["top_institutions"]:
        assert institution["name"] in html
    assert detail["pros"][0] in html
    assert 'href="/chat"' in page.text  # the counsellor is one click away on every page

    missing = await catalogue_api.get("/careers/no-such-career")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
    assert "There is nothing at this address" in unescape(missing.text)
    assert (await catalogue_api.get("/careers/Not%20A%20Slug")).status_code == 404


async def test_compare_adds_a_typed_career_and_drops_unknown_ones(
    catalogue_api: httpx.AsyncClient,
) -> None:
    added = await catalogue_api.get("/compare?ids=doctor-mbbs,dentist&add=pharmasist")
    assert added.status_code == 303
    assert added.headers["location"] == "/compare?ids=doctor-mbbs,dentist,pharmacist"
    nothing = await catalogue_api.get("/compare", params={"ids": "doctor-mbbs", "add": "zzqq&xxqq"})
    assert nothing.status_code == 303
    assert nothing.headers["location"] == "/compare?ids=doctor-mbbs&missing=zzqq%26xxqq"
    told = await catalogue_api.get(nothing.headers["location"])
    assert "No career matches “zzqq&xxqq”." in unescape(told.text)
    page = await catalogue_api.get("/compare?ids=doctor-mbbs,no-such-career,dentist")
    assert page.status_code == 200
    assert re.findall(r'<th scope="col" data-id="([a-z0-9-]+)"', page.text) == [
        "doctor-mbbs",
        "dentist",
    ]
    assert "Not found and left out: no-such-career" in unescape(page.text)
    api = (await catalogue_api.get("/api/v1/careers/compare?ids=doctor-mbbs,dentist")).json()
    marked = set(re.findall(r'<tr class="differs" data-field="([a-z_]+)"', page.text))
    shown = set(re.findall(r'data-field="([a-z_]+)"', page.text))
    assert marked == {f for f in shown if api["data"]["differs"][f]}


async def test_for_you_and_quiz_pages_keep_the_profile_in_the_url(
    catalogue_api: httpx.AsyncClient,
) -> None:
    quiz = await catalogue_api.get("/quiz?grade=12&stream=PCM&a1=2&a2=2&a3=2&r1=0&i1=1&done=1")
    assert quiz.status_code == 200
    link = re.search(r'id="to-for-you" href="([^"]+)"', quiz.text)
    assert link is not None
    href = unescape(link.group(1))
    assert href == "/for-you?grade=12&stream=PCM&riasec=A"
    page = await catalogue_api.get(href)
    assert page.status_code == 200
    assert "Artistic (Creator)" in page.text
    assert len(re.findall(r'<li class="rec" data-id=', page.text)) == 10

    problems = await catalogue_api.get("/for-you?grade=12&salary_min=nine")
    assert "Choose your stream." in unescape(problems.text)
    assert "Salary must be a number of lakh" in unescape(problems.text)


async def test_pages_explain_degraded_search_and_outages(catalogue_settings: Settings) -> None:
    no_search = catalogue_settings.model_copy(
        update={"opensearch_url": f"http://127.0.0.1:{closed_port()}"}
    )
    async with api_client(no_search) as client:
        page = await client.get("/explore?q=doctor")
        assert page.status_code == 200
        assert "simpler backup mode" in page.text
        assert "doctor-mbbs" in card_ids(page.text)
        # recommendations answer from PostgreSQL when the index is down, and say so
        recs = await client.get("/for-you?grade=12&stream=PCB&interests=biology")
        assert recs.status_code == 200
        assert "simpler backup mode" in unescape(recs.text)
        assert 'class="rec"' in recs.text

    nothing = no_search.model_copy(
        update={"database_url": f"postgresql+psycopg://careers:careers@127.0.0.1:{closed_port()}/x"}
    )
    async with api_client(nothing) as client:
        for url in ("/explore?q=doctor", "/careers/doctor-mbbs", "/compare?ids=a-b,c-d"):
            page = await client.get(url)
            assert page.status_code == 503, url
            assert "text/html" in page.headers["content-type"]
            assert "one of our services is down" in unescape(page.text), url


async def test_language_switch_sets_a_cookie_and_stays_on_this_site(
    catalogue_api: httpx.AsyncClient,
) -> None:
    switch = await catalogue_api.get("/lang/hi", params={"next": "/explore?q=doctor"})
    assert switch.status_code == 303
    assert switch.headers["location"] == "/explore?q=doctor"
    assert "cc_lang=hi" in switch.headers["set-cookie"]
    page = await catalogue_api.get("/explore?q=doctor", headers={"Cookie": "cc_lang=hi"})
    assert '<html lang="hi">' in page.text
    assert "करियर खोजें" in page.text
    assert page.headers["content-language"] == "hi"
    for evil in ("//evil.example/x", "https://evil.example", "/\\evil.example"):
        away = await catalogue_api.get("/lang/en", params={"next": evil})
        assert away.headers["location"] == "/"


async def test_static_files_are_versioned_and_gzipped(catalogue_api: httpx.AsyncClient) -> None:
    page = await catalogue_api.get("/explore")
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
    assert {link.split("?")[0] for link in links} == {"/static/app.css", "/static/app.js"}
    for link in links:
        plain = await catalogue_api.get(link, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200
        assert "immutable" in plain.headers["cache-control"]
        zipped = await catalogue_api.get(link, headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.content == plain.content  # httpx decodes; the bytes match
        assert len(gzip.compress(plain.content)) < len(plain.content)
        again = await catalogue_api.get(link, headers={"If-None-Match": plain.headers["etag"]})
        assert again.status_code == 304
    assert (await catalogue_api.get("/static/nope.js")).status_code == 404
