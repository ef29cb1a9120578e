from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination


class BadQuery(APIException):
    """A query parameter that cannot be read: 400 with {"detail": what to send instead}."""

    status_code = 400
    default_code = "bad_query"


class Pages(PageNumberPagination):
    """?page=2&page_size=500; `next` is the URL of the next page, null on the last."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise BadQuery(f"page_size must be a whole number from 1 to {self.max_page_size}.")
        return size

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
            # DRF reads an empty or odd page as the first: say what is wrong instead.
            raise BadQuery("page must be a whole number from 1.")
        return raw

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
