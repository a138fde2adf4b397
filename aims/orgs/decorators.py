"""The web door into an organisation: resolve the context once, map domain errors to pages."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DataError
from django.http import Http404
from django.shortcuts import redirect, render

from aims.core.errors import DomainError, NotFound, PermissionDenied
from aims.orgs.context import MfaRequired, ctx_for_user
from aims.orgs.selectors import membership_list_for_user


def org_view(view):
    """Login required; sets request.ctx from the URL's slug; 404 for non-members."""

    @login_required
    @wraps(view)
    def wrapper(request, slug, *args, **kwargs):
        try:
            # The user's organisations are read once: the page's switcher lists them and the
            # one in the address is the context.
            request.my_memberships = list(membership_list_for_user(user=request.user))
            request.ctx = ctx_for_user(request.user, slug, memberships=request.my_memberships)
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except MfaRequired as exc:
            # Sent to enrol first; once an authenticator is set up the organisation opens.
            messages.warning(request, exc.message)
            return redirect("mfa_activate_totp")
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except DataError as exc:
            # A URL value the database cannot hold (a NUL character): bad input, not a 500.
            raise BadRequest("The address holds a value that cannot be looked up.") from exc
        except DomainError as exc:
            # A refused action (stale version, broken rule) explains itself; nothing was saved.
            return render(request, "refused.html",
                          {"message": exc.message, "back": request.META.get("HTTP_REFERER")},
                          status=exc.status)

    return wrapper
