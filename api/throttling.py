"""Rate limits per token's user, counted in the default cache (the project's CACHES). The
rates are read from API_THROTTLE_RATES at each request, so a test may change them."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ApiRateThrottle(SimpleRateThrottle):
    scope = "api_read"

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        self.scope = self.scope_for(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def scope_for(self, request) -> str:
        if not request.user or not request.user.is_authenticated:
            return "api_anon"
        if request.method == "POST":
            return "api_push"
        return "api_read"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
