from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """?page=2&page_size=500; `next` is the URL of the next page, null on the last."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
