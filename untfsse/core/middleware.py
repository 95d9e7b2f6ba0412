from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation

from untfsse.core.views import healthz


class HealthCheckMiddleware:
    """Serve /healthz first, whatever the Host header: the check is made by IP address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)


class AdminLanguageMiddleware:
    """The admin in the language its user chose.

    The site's pages carry their language in the address (/fr/, /es/); the admin's addresses
    have none, so Django's LocaleMiddleware always gives it the default language. Under
    `prefix` this follows the language cookie (set by the admin header's switcher through
    Django's set_language view), else the signed-in person's preferred language. Placed after
    AuthenticationMiddleware and before MessageMiddleware (whose messages are stored in the
    chosen language).
    """

    prefix = "/admin/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = (
            self._chosen_language(request) if request.path_info.startswith(self.prefix) else ""
        )
        if not language:
            return self.get_response(request)
        # The page is rendered before the response comes back here; the language that was
        # active before is restored then, so the choice does not outlive the request.
        previous = translation.get_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            if previous:
                translation.activate(previous)
            else:
                translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response

    @staticmethod
    def _chosen_language(request) -> str:
        supported = {code for code, _name in settings.LANGUAGES}
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if cookie in supported:
            return cookie
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                preferred = user.person.preferred_language
            except ObjectDoesNotExist:
                return ""
            if preferred in supported:
                return preferred
        return ""
