"""Gunicorn's settings for the web processes (``gunicorn babysteps.wsgi``).

Threaded workers, so a burst of sign-ins (each password check is deliberately slow, Argon2)
does not hold up every other page; and an access log that leaves out query strings (search
terms, sign-in tokens) and never logs bodies.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Each worker imports the app and opens its database connection pool after the fork:
# preloading in the master would hand every worker the same pooled sockets.
preload_app = False
timeout = 60
graceful_timeout = 30
# Behind the TLS proxy, which reuses its connections: a server that closes an idle one
# after 5 s (gunicorn's default) races the proxy's next request on it, and that request
# fails (bench/load.py at 50 users: 5 dropped connections in 2,282 requests; none at 75 s).
# Keep the proxy's own upstream keep-alive shorter than this.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
accesslog = "-"
# %(U)s is the path without its query string (gunicorn's default %(r)s would log it).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
errorlog = "-"


def on_starting(server: object) -> None:
    """Refuse to start a production server without the static files' manifest (every page
    would fail with an error that says nothing about why)."""
    import django  # here, not at the top: gunicorn reads this file before Django is set up

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "babysteps.settings")
    django.setup()
    from babysteps.core.startup import missing_static_manifest

    problem = missing_static_manifest()
    if problem:
        raise SystemExit(problem)
