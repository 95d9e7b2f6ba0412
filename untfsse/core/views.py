"""The pages every deployment needs whatever the apps: the health check, robots.txt and the
server error page. They read no app's data."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from untfsse.core.health import health_report


@never_cache
@require_GET
def healthz(request):
    """200 when every service the portal needs answers, 503 naming the ones that do not."""
    report = health_report()
    healthy = all(state == "ok" for state in report.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **report}, status=200 if healthy else 503
    )


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/"]
    lines += [f"Disallow: {prefix}/accounts/" for prefix in ("", "/fr", "/es")]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def server_error(request):
    """500, or 503 with a Retry-After when the database is what failed: the page renders
    without the request or the database, so it works while they are down."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


class InvalidFiltersAnswer400Mixin:
    """A list page whose filters were not understood (a value typed or altered in the address)
    answers 400, with the page itself: its filters keep what was asked and say what is wrong.
    The page's context says whether it is filtered (`is_filtered`) and holds its filter set as
    `filter` (a page keeping it elsewhere says so in `invalid_filters`)."""

    def invalid_filters(self, context) -> bool:
        filterset = context.get("filter")
        return filterset is not None and filterset.is_bound and not filterset.is_valid()

    def render_to_response(self, context, **response_kwargs):
        if context.get("is_filtered") and self.invalid_filters(context):
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)
