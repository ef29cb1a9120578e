"""Review and sign-off: the governors' pages — comments on the project and its chain, packs to
download (and the progress of one being made), decisions recorded on an exact pack, and an
organisation's portfolio pack."""
