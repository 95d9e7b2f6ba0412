"""Pages of the shell: the home page, the health check and robots.txt."""

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from untfsse.health import health_report


class HomeView(TemplateView):
    template_name = "home.html"


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
