"""The portal's URLs plus /bench/baseline/, a fixed small page that touches no database.

Never part of the production URLconf: only bench.settings points here.
"""

from django.http import HttpResponse
from django.urls import path

from untfsse.urls import handler500
from untfsse.urls import urlpatterns as portal_urlpatterns

BASELINE_PATH = "/bench/baseline/"

# About the size of a small page's head and a paragraph, without templates or queries.
BASELINE_HTML = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
    "<title>Baseline</title></head>\n<body><h1>Baseline</h1>"
    "<p>A fixed page from a bare view: the cost of the server and the middleware.</p>"
    "</body></html>\n"
)


def baseline(request):
    return HttpResponse(BASELINE_HTML)


urlpatterns = [
    path(BASELINE_PATH.strip("/") + "/", baseline, name="bench_baseline"),
    *portal_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
