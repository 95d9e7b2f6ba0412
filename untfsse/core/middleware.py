from untfsse.core.views import healthz


class HealthCheckMiddleware:
    """Serve /healthz first, whatever the Host header: the check is made by IP address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
