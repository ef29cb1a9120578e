"""Imported only by the PDF forkserver (see `pdf_engine`): loads WeasyPrint and renders a
one-line document, so that every child forked from the server starts with fontconfig and Pango
already warm instead of paying for it on each render."""

from weasyprint import HTML

from . import pdf_engine  # noqa: F401  (the children's code, imported once here)

HTML(string="<p style='font-family: sans-serif'>Totem <b>warm-up</b> <i>1</i></p>").write_pdf()
