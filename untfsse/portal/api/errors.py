"""Every API error is JSON: {"status": 400, "detail": "a sentence", "errors": {...}}.

Bad query parameters are 400 with each one's message under "errors"; an unknown address under
/api/ is 404 in the same shape, never the HTML page."""

from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

GENERIC_DETAIL = {
    status.HTTP_400_BAD_REQUEST: "Some query parameters are not valid: see errors.",
}


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's 500 handling (and its logging) takes it
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        body = {"status": response.status_code, "detail": GENERIC_DETAIL[400], "errors": errors}
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else data
        body = {"status": response.status_code, "detail": str(detail)}
    response.data = body
    return response


def api_not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint."""
    return JsonResponse(
        {"status": 404, "detail": "There is no API endpoint at this address. See /api/v1/docs/."},
        status=404,
    )
