"""totem.pdf: the locked-down fetcher, attachments, the time limit."""

import io
import os
import time
from pathlib import Path

import pypdf
import pytest
from django.conf import settings

from totem import pdf
from totem.pdf_engine import LockedURLFetcher, StaticSite, URLRefused

STATIC_URL = "http://totem.invalid/static/"


@pytest.fixture
def site():
    return StaticSite(static_url=STATIC_URL, roots=pdf.static_roots())


def test_static_roots_follow_the_finders_then_static_root():
    roots = [root for _, root in pdf.static_roots()]
    assert roots[0] == str(settings.BASE_DIR / "static")
    assert roots[-1] == str(settings.STATIC_ROOT)


@pytest.mark.parametrize(
    "url",
    [
        STATIC_URL + "css/pdf.css",
        STATIC_URL + "css/./pdf.css",
        STATIC_URL + "css/pdf.css?v=2#top",
        STATIC_URL + "admin/css/base.css",  # an app's static files, as the finders find them
    ],
)
def test_the_sites_own_static_files_load_from_disk(site, url):
    path = site.file_for(url)
    assert path is not None and path.is_file()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/static/css/pdf.css",  # another host
        "https://totem.invalid/static/css/pdf.css",  # another scheme
        "http://user:pw@totem.invalid/static/css/pdf.css",
        "http://totem.invalid/media/packs/secret.pdf",  # not a static file
        STATIC_URL + "../../../../etc/passwd",
        STATIC_URL + "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        STATIC_URL + "css/..%2f..%2f..%2fetc%2fpasswd",
        STATIC_URL + "..\\..\\etc\\passwd",
        STATIC_URL + "/etc/passwd",
        STATIC_URL + "css/pdf.css%00.png",
        STATIC_URL,
        STATIC_URL + "css/",
        "ftp://totem.invalid/static/css/pdf.css",
    ],
)
def test_everything_else_is_refused(site, url):
    assert site.file_for(url) is None
    with pytest.raises(URLRefused):
        LockedURLFetcher(site).fetch(url)


def test_a_symlink_out_of_a_static_root_is_refused(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "ok.css").write_text("p{}")
    os.symlink("/etc/passwd", root / "passwd.css")
    site = StaticSite(static_url=STATIC_URL, roots=(("", str(root)),))
    assert site.file_for(STATIC_URL + "ok.css") == (root / "ok.css").resolve()
    assert site.file_for(STATIC_URL + "passwd.css") is None


def test_data_uris_load(site):
    response = LockedURLFetcher(site).fetch("data:text/css;base64,cHt9")
    assert response.read() == b"p{}"
    assert response.content_type == "text/css"


HOSTILE = """<!doctype html><html><head>
<link rel="stylesheet" href="{listener}/style.css">
<link rel="attachment" href="file:///etc/passwd" title="passwd">
<link rel="attachment" href="data:text/plain,inline-secret">
<style>@import url({listener}/import.css);
@font-face {{ font-family: x; src: url({listener}/font.woff); }}
body {{ background: url({listener}/bg.png); }}</style>
</head><body>
<p>Hostile document</p>
<img src="file:///etc/passwd"><img src="{listener}/img.png"><img src="file:///etc/hostname">
<div style="background-image: url('{listener}/div.png')">div</div>
<a rel="attachment" href="data:text/plain,link-secret">attached link</a>
<a rel="attachment" href="file:///etc/passwd">passwd link</a>
<object data="{listener}/object"></object><embed src="{listener}/embed">
<iframe src="{listener}/frame"></iframe>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="10" height="10"><image xlink:href="{listener}/svg.png" width="10" height="10"/></svg>
</body></html>"""


@pytest.mark.slow
def test_hostile_markup_loads_nothing_and_embeds_nothing(listener):
    """Even raw, unescaped hostile markup (templates never let user text become markup; see
    the pack tests) reaches neither the network nor the disk, and attaches no file."""
    rendered = pdf.render_html(HOSTILE.format(listener=listener.url))
    time.sleep(0.3)  # let a stray connection land before counting
    assert listener.connections == 0
    reader = pypdf.PdfReader(io.BytesIO(rendered))
    assert reader.attachments == {}
    assert b"/EmbeddedFile" not in rendered and b"/FileAttachment" not in rendered
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Hostile document" in text
    assert "root:" not in text
    assert Path("/etc/passwd").read_text()[:20] not in rendered.decode("latin-1")


@pytest.mark.slow
def test_a_render_over_the_time_limit_is_stopped_with_a_clear_message():
    rows = "".join(f"<tr><td>Row {i}</td><td>{'word ' * 30}</td></tr>" for i in range(4000))
    started = time.monotonic()
    with pytest.raises(pdf.PdfRenderTimeout) as error:
        pdf.render_html(f"<table>{rows}</table>", timeout=0.5)
    assert time.monotonic() - started < 5
    assert "took longer than 0.5 seconds" in str(error.value)
    assert "PDF_RENDER_TIMEOUT" in str(error.value)
