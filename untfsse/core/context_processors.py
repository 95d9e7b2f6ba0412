from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language_info

from untfsse.core.navigation import navigation_items


def site(request):
    """The site's name, the main navigation, and this page in each interface language."""
    full_path = request.get_full_path()
    navigation = []
    for item in navigation_items():
        url = reverse(item.url_name)
        navigation.append(
            {"label": item.label, "url": url, "current": request.path.startswith(url)}
        )
    return {
        "SITE_NAME": settings.SITE_NAME,
        # A page kept whole for signed-in readers: the reader's own parts are left as marks
        # (untfsse/core/cache.py, serve_reader_page).
        "renders_shared_page": getattr(request, "renders_shared_page", False),
        "main_navigation": navigation,
        "language_links": [
            {
                "code": code,
                "name_local": get_language_info(code)["name_local"],
                "url": translate_url(full_path, code),
            }
            for code, _name in settings.LANGUAGES
        ],
    }
