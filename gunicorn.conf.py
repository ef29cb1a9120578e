"""Gunicorn settings read from the project's folder (the Procfile's `web` and `make bench-load`).

Garbage collection, measured with `make bench-load`: a page of the chain leaves about 7,000
objects in reference cycles (Django's prefetch caches point from each task to its impacts and
back). With Python's default thresholds they were swept up by a full collection every dozen
requests or so, which stopped the request it fell in for 50-90 ms: a tenth of requests were
that much slower. Instead, each worker freezes what it loaded at start (never garbage, never
scanned again), collects rarely during a request, and sweeps the young objects after each
response has been sent (under 5 ms).
"""

import gc


def post_worker_init(worker):
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def post_request(worker, req, environ, resp):
    gc.collect(1)
