"""Template context: the signed-in user's role (for the header and the menu)."""
from junheng.web.areas import roles
from junheng.web.areas.scope import who


def role(request) -> dict:
    w = who(request.user)
    return {"who": w, "roles": roles}
