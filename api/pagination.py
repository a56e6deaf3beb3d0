from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """Pages of API_PAGE_SIZE items (``?page_size=`` up to API_MAX_PAGE_SIZE), ordered by id so
    that a page holds the same items from one request to the next."""

    page_size_query_param = "page_size"

    def get_page_size(self, request):
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE
        return super().get_page_size(request)
