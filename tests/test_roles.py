"""Every route says who may use it, and every staff route refuses the anonymous user and
each role below its own. The test walks app.url_map, so a new route cannot slip through."""
import re

from eventsapp.auth.models import Role
from tests_support import logged_in_client

# Endpoints whose views come from libraries, public by design.
LIBRARY_PUBLIC = {"static", "api-docs.openapi_json"}
UNTESTED_METHODS = {"HEAD", "OPTIONS"}


def concrete_url(rule) -> str:
    """The rule with sample values: the first choice of any(...), else 1."""
    path = re.sub(r"<any\(([^,)]+)[^>]*>", lambda m: m.group(1).strip(), rule.rule)
    return re.sub(r"<(?:\w+:)?(\w+)>", "1", path)


def staff_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in LIBRARY_PUBLIC:
            continue
        view = app.view_functions[rule.endpoint]
        role = getattr(view, "required_role", None)
        if role is not None:
            for method in sorted(rule.methods - UNTESTED_METHODS):
                yield rule, method, role


def test_every_route_declares_who_may_use_it(app):
    undeclared = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in LIBRARY_PUBLIC and not hasattr(app.view_functions[rule.endpoint], "required_role")
    ]
    assert undeclared == []


def test_there_are_staff_routes_of_every_level(app):
    levels = {role for _, _, role in staff_routes(app)}
    assert {Role.ORGANIZER, Role.ADMIN} <= levels


def test_staff_routes_refuse_the_anonymous_and_lower_roles(app, make_user):
    anonymous = app.test_client()
    clients = {role: logged_in_client(app, make_user, role) for role in Role}
    checked = 0
    for rule, method, required in staff_routes(app):
        url = concrete_url(rule)
        response = anonymous.open(url, method=method)
        if url.startswith("/api/"):
            assert response.status_code == 401, (method, url)
            assert response.json["error"]["code"] == "unauthorized"
        else:
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/login"), (method, url)
        for role, client in clients.items():
            if not role.includes(required):
                assert client.open(url, method=method).status_code == 403, (role, method, url)
                checked += 1
    assert checked > 20


def test_the_required_role_is_let_in(app, make_user):
    organizer = logged_in_client(app, make_user, Role.ORGANIZER)
    assert organizer.get("/admin/").status_code == 200
    assert organizer.get("/api/v1/events").status_code == 200
    assert organizer.get("/admin/tags").status_code == 403
    admin = logged_in_client(app, make_user, Role.ADMIN, username="the-admin")
    assert admin.get("/admin/tags").status_code == 200


def test_a_refused_staff_member_is_led_back_to_their_own_pages(app, make_user):
    """Reception refused an organizer's page goes back to the door's event list, not to the public
    list; an organizer to the registration lists; a visitor to the public list."""
    reception = logged_in_client(app, make_user, Role.RECEPTION)
    page = reception.get("/admin/")
    assert page.status_code == 403 and '<a href="/checkin/">スタッフのページへ戻る</a>' in page.text
    organizer = logged_in_client(app, make_user, Role.ORGANIZER, username="the-organizer")
    page = organizer.get("/admin/tags")
    assert page.status_code == 403 and '<a href="/admin/">スタッフのページへ戻る</a>' in page.text
    page = app.test_client().get("/events/999999")
    assert page.status_code == 404 and '<a href="/">イベント一覧へ戻る</a>' in page.text


def with_nul_in_path(rule) -> str:
    """The rule's sample URL with a NUL inside each of its values, or after the path."""
    path = re.sub(r"<any\(([^,)]+)[^>]*>", lambda m: m.group(1).strip(), rule.rule)
    marked = re.sub(r"<(\w+:)?(\w+)>", lambda m: "1%00" if m.group(1) else "abc%00", path)
    return marked if marked != path else path.rstrip("/") + "%00"


def test_every_route_answers_a_nul_in_its_path_or_query_below_500(app, make_user, make_event):
    """A NUL reached PostgreSQL from seven routes as a 500 (eventsapp/inputguard.py refuses
    it before any view): every route, every method, as an admin who may call them all."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        make_event()
        admin = logged_in_client(app, make_user, Role.ADMIN, username="nul-admin")
        called = 0
        for rule in app.url_map.iter_rules():
            for method in sorted(rule.methods - UNTESTED_METHODS):
                for url in (with_nul_in_path(rule), concrete_url(rule) + "?q=%E5%B1%B1%00&next%00=1"):
                    response = admin.open(url, method=method)
                    assert response.status_code < 500, (method, url, response.status_code)
                    called += 1
        assert called > 100
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
