"""Where each role lands after signing in."""

from portal.models import Role

ROLE_HOMES = {
    Role.PERSON: "person.home",
    Role.SUPPORTER: "staff.supporter_home",
    Role.PRACTITIONER: "staff.practitioner_home",
    Role.FACILITATOR: "staff.facilitator_home",
    Role.COMMISSIONER: "staff.commissioner_home",
    Role.ADMIN: "staff.admin_home",
}


def home_endpoint(user) -> str:
    if user is None or not user.is_authenticated:
        return "main.start"
    return ROLE_HOMES.get(Role(user.role), "main.start")
