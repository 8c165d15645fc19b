"""Who may manage webhooks: editors (authors.roles gives them the endpoint permissions)."""


def can_manage_webhooks(user):
    return user.is_active and user.has_perm("webhooks.change_endpoint")


def can_see_deliveries(user):
    return user.is_active and user.has_perm("webhooks.view_delivery")
