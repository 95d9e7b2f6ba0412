import json
import re

import pytest
from django.db import connections
from django.test import Client

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)


def assert_strict_csp(response):
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    assert INLINE_SCRIPT.findall(html) == []
    assert INLINE_STYLE.findall(html) == []


@pytest.mark.django_db
def test_home_page_in_english_without_prefix(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert (
        '<h1 id="home-title">UN Inter-Agency Task Force on Social and Solidarity Economy</h1>'
        in html
    )
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert_strict_csp(response)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "lang", "heading", "skip_link"),
    [
        (
            "/fr/",
            "fr",
            "Équipe spéciale interinstitutions des Nations Unies sur l’économie sociale et solidaire",
            "Aller au contenu principal",
        ),
        (
            "/es/",
            "es",
            "Grupo de Trabajo Interinstitucional de las Naciones Unidas sobre Economía Social y Solidaria",
            "Ir al contenido principal",
        ),
    ],
)
def test_home_page_translated_under_language_prefix(client, path, lang, heading, skip_link):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    assert f'<html lang="{lang}">' in html
    assert heading in html
    assert skip_link in html


@pytest.mark.django_db
def test_language_switcher_links_to_the_same_page_in_each_language(client):
    html = client.get("/fr/accounts/login/").content.decode()
    assert '<a href="/accounts/login/" hreflang="en" lang="en">' in html
    assert '<a href="/fr/accounts/login/" hreflang="fr" lang="fr" aria-current="true">' in html
    assert '<a href="/es/accounts/login/" hreflang="es" lang="es">' in html
    # The French sign-in page really is in French.
    assert "<h1>\n        Connexion\n    </h1>" in html


@pytest.mark.django_db
def test_unprefixed_path_stays_english_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_missing_page_uses_the_site_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert_strict_csp(response)


@pytest.mark.django_db
def test_healthz_ok_when_database_answers(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


# A database server that goes away is a PostgreSQL matter: SQLite's in-memory test database
# cannot be made unreachable.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_healthz_503_when_database_unreachable(settings):
    settings.REDIS_URL = ""
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="9")  # the discard port: refused
    try:
        response = Client().get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "database": "unreachable"}


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unreachable",
    }


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_ok_with_a_reachable_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok"}


def test_robots_txt_keeps_crawlers_out_of_accounts_and_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /accounts/\n"
        "Disallow: /fr/accounts/\n"
        "Disallow: /es/accounts/\n"
        "Sitemap: http://testserver/sitemap.xml\n"
    )


@pytest.mark.django_db
def test_sitemap_lists_the_home_page_in_three_languages(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert locations[:3] == ["http://testserver/", "http://testserver/fr/", "http://testserver/es/"]


@pytest.mark.django_db
def test_static_css_is_served_by_the_portal(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b"--color-link" in b"".join(response.streaming_content)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pages_answer_503_while_the_database_is_down_and_recover(settings):
    from tests.factories import OrganisationFactory

    OrganisationFactory(acronym="ILO")
    client = Client(raise_request_exception=False)
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="9")
    try:
        response = client.get("/members/")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "The portal is briefly unavailable" in html
    assert "Traceback" not in html
    # Back up: the same process serves the page again without a restart.
    response = client.get("/members/")
    assert response.status_code == 200
    assert "ILO" in response.content.decode()


@pytest.mark.django_db
def test_home_page_shows_the_secretariat_text_as_sanitised_markdown(client):
    from untfsse.portal.models import SiteText

    SiteText.objects.create(
        key="home-intro",
        title="Who we are",
        body="Set up in **2013**.<script>alert(1)</script> [x](javascript:alert(1))",
    )
    html = client.get("/").content.decode()
    assert '<h2 id="home-intro-title">Who we are</h2>' in html
    assert "Set up in <strong>2013</strong>." in html
    assert "<script>alert" not in html
    assert "javascript:" not in html


@pytest.mark.django_db
def test_healthz_answers_whatever_the_host(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "title", "language", "words"),
    [
        ("", "Who we are", "en", "Set up in 2013."),
        ("/fr", "Qui sommes-nous", "fr", "Créée en 2013."),
        # No Spanish version yet: the English text, marked as English for screen readers.
        ("/es", "Who we are", "en", "Set up in 2013."),
    ],
)
def test_home_page_text_is_shown_in_the_pages_language_or_marked_english(
    client, prefix, title, language, words
):
    from untfsse.portal.models import SiteText

    SiteText.objects.create(
        key="home-intro",
        title="Who we are",
        body="Set up in 2013.",
        title_fr="Qui sommes-nous",
        body_fr="Créée en 2013.",
    )
    html = client.get(f"{prefix}/").content.decode()
    assert (
        '<section class="card home-intro" aria-labelledby="home-intro-title" '
        f'lang="{language}">\n  <h2 id="home-intro-title">{title}</h2>\n'
        f'  <div class="prose"><p>{words}</p></div>'
    ) in html
