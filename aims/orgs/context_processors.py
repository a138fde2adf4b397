from aims.orgs.selectors import membership_list_for_user


def org_context(request):
    """The current organisation context and the user's other organisations, for the layout."""
    ctx = getattr(request, "ctx", None)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"ctx": ctx}
    # Read already by an organisation's page (org_view); elsewhere lazy: evaluated once, only
    # by templates that render the switcher.
    mine = getattr(request, "my_memberships", None)
    return {
        "ctx": ctx,
        "my_memberships": mine if mine is not None else membership_list_for_user(user=user),
    }
