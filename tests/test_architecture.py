"""Meta-tests: the mechanisms every feature relies on cannot be forgotten."""
from flask import Blueprint

from thiduaweb import create_app
from thiduaweb.core.permissions import requires
from thiduaweb.core.tenancy import UnitOwned, unit_blueprint
from thiduaweb.extensions import db

#: Blueprints outside the unit guard, each for a reason.
NON_UNIT_BLUEPRINTS = {"accounts", "health", "public"}  # login; /healthz; the citizens' index of units
#: Tables keyed by a unit that are not a unit's data: who belongs where, and the revision counter
#: that says only that something in or below a unit changed (it is raised by other units' writes),
#: and its counters per area.
UNIT_ID_ALLOWED = {"membership", "unit_revision", "unit_area_revision"}


def undeclared_unit_routes(app) -> list[str]:
    """Endpoints of unit blueprints whose view declares no permission."""
    missing = []
    for rule in app.url_map.iter_rules():
        blueprint = app.blueprints.get(rule.endpoint.split(".")[0])
        if getattr(blueprint, "is_unit_blueprint", False):
            if not getattr(app.view_functions[rule.endpoint], "required_permission", None):
                missing.append(rule.endpoint)
    return missing


def test_every_unit_route_declares_its_permission(app):
    assert undeclared_unit_routes(app) == []


def test_the_meta_test_catches_a_route_without_permission_and_the_guard_refuses_it(db):
    rigged = create_app("testing", SQLALCHEMY_DATABASE_URI=db.engine.url.render_as_string(hide_password=False))
    bp = unit_blueprint("forgotten", __name__, "/forgotten")

    @bp.get("/")
    def forgotten():
        return "dữ liệu"

    rigged.register_blueprint(bp)
    assert undeclared_unit_routes(rigged) == ["forgotten.forgotten"]
    from tests import factories
    from tests.helpers import UserClient

    with rigged.app_context():
        db.create_all()
        factories.make_world()
        client = UserClient(rigged)
        client.login("officer.a")
        assert client.get("/u/xa-dong-lien/forgotten/").status_code == 403
        assert client.get("/u/xa-dong-lien/").status_code == 200
        db.session.remove()


def test_every_public_route_is_marked_public(app):
    for rule in app.url_map.iter_rules():
        blueprint = app.blueprints.get(rule.endpoint.split(".")[0])
        if getattr(blueprint, "is_public_blueprint", False):
            assert getattr(app.view_functions[rule.endpoint], "public_page", False), rule.endpoint


def test_every_blueprint_is_a_unit_or_public_blueprint_or_known(app):
    for name, blueprint in app.blueprints.items():
        if not (getattr(blueprint, "is_unit_blueprint", False) or getattr(blueprint, "is_public_blueprint", False)):
            assert name in NON_UNIT_BLUEPRINTS, f"blueprint {name} is outside the unit guard"


def test_every_table_with_unit_id_is_unit_owned(app):
    owned = {m.class_.__table__.name for m in db.Model.registry.mappers if issubclass(m.class_, UnitOwned)}
    for table in db.metadata.sorted_tables:
        if "unit_id" in table.c and table.name not in UNIT_ID_ALLOWED:
            assert table.name in owned, f"{table.name} has unit_id but is not UnitOwned"


def test_unit_id_leads_an_index_of_every_owned_table(app):
    for mapper in db.Model.registry.mappers:
        if issubclass(mapper.class_, UnitOwned):
            table = mapper.class_.__table__
            leading = {list(index.columns)[0].name for index in table.indexes}
            assert "unit_id" in leading, table.name


def test_url_ids_are_typed(app):
    for rule in app.url_map.iter_rules():
        for argument, converter in rule._converters.items():
            if argument.endswith("_id"):
                assert type(converter).__name__ == "IntegerConverter", f"{rule.rule}: {argument}"


def test_every_template_compiles(app):
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)


def test_requires_only_annotates_the_view():
    def view():
        return "x"

    assert requires("unit.view")(view) is view and view.required_permission == "unit.view"
    assert isinstance(unit_blueprint("x", __name__), Blueprint)
