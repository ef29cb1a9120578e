"""Every PDF Totem makes goes through `render_pdf`: a template and a context in, PDF bytes out.

- The template is rendered by Django with autoescaping on, so user text is always text.
- WeasyPrint loads resources only through `pdf_engine.LockedURLFetcher`: the site's own static
  files, read from disk through the same roots as Django's static file finders (then
  STATIC_ROOT, where collected and hashed names live), and `data:` URIs. No network, no
  `file://`, no other host; stylesheets and fonts go through the same fetcher. Attachments
  (`<link rel="attachment">`, `<a rel="attachment">`) are dropped.
- The render runs in a child process that is killed after `settings.PDF_RENDER_TIMEOUT`
  seconds, raising `PdfRenderTimeout` with a message a user can read (see `pdf_engine` for
  why a process rather than a signal or a thread).
"""

from urllib.parse import urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .pdf_engine import PdfError, PdfRenderTimeout, Rendered, StaticSite, render_in_child

__all__ = ["PdfError", "PdfRenderTimeout", "Rendered", "render_html", "render_pdf"]


def render_pdf(template_name: str, context: dict, *, base_url: str | None = None) -> bytes:
    """The PDF of `template_name` rendered with `context`.

    `base_url` is what relative URLs in the document resolve against (default
    `settings.PDF_BASE_URL`); only `{% static %}` files under it load, from disk. The bytes
    returned are a `Rendered`, which also knows its page count and how long it took.
    """
    return render_html(render_to_string(template_name, context), base_url=base_url)


def render_html(html: str, *, base_url: str | None = None, timeout: float | None = None):
    """The lower half of `render_pdf`, from markup: for the benchmark (the same HTML through
    bare WeasyPrint) and tests of the fetcher."""
    base_url = base_url or settings.PDF_BASE_URL
    site = StaticSite(static_url=urljoin(base_url, settings.STATIC_URL), roots=static_roots())
    limit = settings.PDF_RENDER_TIMEOUT if timeout is None else timeout
    return render_in_child(html, base_url=base_url, site=site, timeout=limit)


def static_roots() -> tuple[tuple[str, str], ...]:
    """(prefix, directory) pairs where the static file finders look, then STATIC_ROOT.

    Finders that search something other than directories (none in Totem) are not used: the
    PDF then simply cannot load their files.
    """
    roots: list[tuple[str, str]] = []
    for finder in finders.get_finders():
        if hasattr(finder, "locations"):  # FileSystemFinder: STATICFILES_DIRS
            roots.extend((prefix or "", str(root)) for prefix, root in finder.locations)
            continue
        for storage in getattr(finder, "storages", {}).values():  # AppDirectoriesFinder
            location = getattr(storage, "location", None)
            if location:
                roots.append((getattr(storage, "prefix", None) or "", str(location)))
    if settings.STATIC_ROOT:
        roots.append(("", str(settings.STATIC_ROOT)))
    return tuple(dict.fromkeys(roots))
