"""Reading users by role."""

from __future__ import annotations

from django.db.models import QuerySet

from backoffice.models import Membership, User
from backoffice.roles import STAFF_ROLES
from backoffice.tenancy import staff_wide


def host_staff_users() -> QuerySet[User]:
    """Users who hold a staff role in the host workspace (candidates for assignment)."""
    with staff_wide("host staff are members of the host workspace, not of the client's"):
        ids = list(Membership.objects.filter(workspace__kind="host", role__in=STAFF_ROLES).values_list("user_id", flat=True))
    return User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "email")
