from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    """Page-number pagination; `page_size` up to 200."""

    page_size_query_param = "page_size"
    max_page_size = 200
