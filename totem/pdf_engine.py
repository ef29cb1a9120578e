"""The WeasyPrint half of `totem.pdf`, with no Django import: it runs in a child process.

Only `totem.pdf` calls this module. It holds the locked-down URL fetcher and the child process
that renders with a time limit.

Why a child process for the time limit: a render cannot be interrupted from inside Python
(WeasyPrint has no cancel hook), `signal.alarm` works only in a process's main thread (not in
the threads of runserver or a threaded gunicorn worker), and a thread cannot be killed. A
process can: it is killed when the limit passes, wherever the render was asked for — a web
request, the background worker, a management command or a test — and its memory goes back to
the system when it exits. Children are forked from a *forkserver* that has imported WeasyPrint
and rendered once (`pdf_forkserver`), so a render pays neither the import (about a second) nor
the font warm-up (a few hundred ms), and no render ever forks a multi-threaded web process.
Forking costs about 20 ms a render.
"""

from __future__ import annotations

import mimetypes
import multiprocessing
import posixpath
import resource
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

_CONTEXT = multiprocessing.get_context("forkserver")


class PdfError(Exception):
    """The PDF could not be made; the message says why in words a user can act on."""


class PdfRenderTimeout(PdfError):
    pass


class URLRefused(ValueError):
    """Raised by the fetcher for every URL it will not load; WeasyPrint logs it and goes on."""


@dataclass(frozen=True)
class StaticSite:
    """What the fetcher may load: files under `static_url`, found in `roots`, and `data:`.

    `static_url` is absolute ("http://totem.invalid/static/"): the URL a template's
    `{% static %}` resolves to against the document's base URL. `roots` are (prefix,
    directory) pairs in the order Django's static file finders search them.
    """

    static_url: str
    roots: tuple[tuple[str, str], ...]

    def file_for(self, url: str) -> Path | None:
        """The local file `url` names, or None when it is not one of the site's static files."""
        if not url.startswith(self.static_url):
            return None
        parts = urlsplit(url)
        if parts.username or parts.password:
            return None
        relative = unquote(parts.path[len(urlsplit(self.static_url).path) :])
        if not relative or "\x00" in relative or "\\" in relative:
            return None
        relative = posixpath.normpath(relative)
        if relative.startswith(("/", "..")) or relative == ".":
            return None
        for prefix, root in self.roots:
            if prefix:
                if not relative.startswith(prefix + "/"):
                    continue
                inside = relative[len(prefix) + 1 :]
            else:
                inside = relative
            base = Path(root).resolve()
            candidate = (base / inside).resolve()
            # resolve() follows symlinks, so a link pointing out of the root is refused too.
            if candidate.is_relative_to(base) and candidate.is_file():
                return candidate
        return None


class LockedURLFetcher(URLFetcher):
    """Loads the site's own static files (from disk, never over the network) and `data:`
    URIs. Everything else — http(s), file://, ftp, other hosts, paths outside the static
    roots — is refused. The refused URLs are kept in `refused` for diagnostics."""

    def __init__(self, site: StaticSite):
        # No handlers are used (fetch is overridden), but keep the base class's guards too.
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self.site = site
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url[:5].lower() == "data:":
            response = DataHandler().data_open(Request(url))  # noqa: S310 (data: only)
            return URLFetcherResponse(url, response.read(), dict(response.headers.items()))
        path = self.site.file_for(url)
        if path is None:
            self.refused.append(url)
            raise URLRefused(f"Refused to load {url[:200]}: PDFs load only Totem's own files.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


class Rendered(bytes):
    """The PDF's bytes, with what the render learnt on the way."""

    pages: int
    seconds: float  # wall clock, from asking to having the bytes
    cpu_seconds: float  # CPU time of the render itself, in the rendering process
    peak_rss_mb: float  # the rendering process's peak resident memory

    def __new__(cls, pdf: bytes, *, pages: int, seconds: float, cpu_seconds: float = 0.0,
                peak_rss_mb: float = 0.0):
        rendered = super().__new__(cls, pdf)
        rendered.pages, rendered.seconds = pages, seconds
        rendered.cpu_seconds, rendered.peak_rss_mb = cpu_seconds, peak_rss_mb
        return rendered

    @property
    def pdf(self) -> bytes:
        return bytes(self)


def write_pdf(html: str, *, base_url: str, site: StaticSite) -> tuple[bytes, int]:
    """PDF bytes and page count of `html`, in this process, with no time limit."""
    fetcher = LockedURLFetcher(site)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
    # No embedded files: drop <link rel="attachment"> and <a rel="attachment"> targets even
    # if they were data: URIs the fetcher would load.
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    # Tagged (PDF/UA-1): a structure tree for screen readers, with the <title> as the
    # document title shown by the viewer and <html lang> as its language.
    pdf = document.write_pdf(attachments=None, pdf_variant="pdf/ua-1")
    return pdf, len(document.pages)


def _child(connection, html: str, base_url: str, site: StaticSite) -> None:
    try:
        started = time.process_time()
        pdf, pages = write_pdf(html, base_url=base_url, site=site)
        cpu = time.process_time() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        connection.send((True, pdf, pages, (cpu, peak)))
    except Exception as error:  # sent to the parent, which raises PdfError
        message = f"{type(error).__name__}: {error}"
        connection.send((False, message, traceback.format_exc(), (0, 0)))
    finally:
        connection.close()


def render_in_child(html: str, *, base_url: str, site: StaticSite, timeout: float) -> Rendered:
    """Render in a child process; kill it and raise PdfRenderTimeout after `timeout` seconds."""
    _CONTEXT.set_forkserver_preload(["totem.pdf_forkserver"])  # no effect once it runs
    started = time.perf_counter()
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(
        target=_child, args=(sender, html, base_url, site), name="totem-pdf", daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise PdfRenderTimeout(
                f"The PDF took longer than {timeout:g} seconds to make and was stopped. "
                "This usually means the document is very large: try again later, or ask an "
                "administrator to raise PDF_RENDER_TIMEOUT."
            )
        try:
            ok, payload, detail, (cpu, peak) = receiver.recv()
        except EOFError:
            process.join(1)
            raise PdfError(
                f"The PDF renderer stopped unexpectedly (exit code {process.exitcode})."
            ) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if not ok:
        raise PdfError(f"The PDF could not be made: {payload}")
    return Rendered(
        payload,
        pages=detail,
        seconds=time.perf_counter() - started,
        cpu_seconds=cpu,
        peak_rss_mb=peak,
    )
