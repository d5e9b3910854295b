"""Settings for bench/streaming.py: the app's own settings, plus WhiteNoise serving a
folder at the site root, so the same gunicorn process serves the same file both ways."""

import os

from babysteps.settings import *  # noqa: F403

WHITENOISE_ROOT = os.environ["BENCH_STATIC_ROOT"]
WHITENOISE_AUTOREFRESH = False
