"""Small pieces every app's API uses."""


from django.http import HttpRequest
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

from aims.orgs.context import Ctx, ctx_for_user

# Far beyond any real list, and inside every database's integer range: a larger offset or
# limit would reach the database as an out-of-range integer and fail there with a 500.
MAX_OFFSET = 10**9
MAX_LIMIT = 500


def api_ctx(request: HttpRequest, slug: str) -> Ctx:
    """The caller's context in `slug`; 404 for non-members exactly as for unknown slugs."""
    return ctx_for_user(request.auth, slug)



class Deleted(Schema):
    """What a DELETE answers: the record is gone (its last values are in the activity log)."""

    deleted: bool = True


class BoundedPagination(LimitOffsetPagination):
    """Limit/offset paging whose parameters are checked (422) instead of failing in SQL."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
