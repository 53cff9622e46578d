"""Every service of every app that takes an ``actor`` checks the actor (STYLE.md, habit 3;
security.md, "Identity and access"): its body asks a permission question (``_require...``,
``require``, ``can_...``, ``has_role``, ``holds_role...``) before it writes, or it is listed
below with the reason it need not. A new service without a check fails here; the behaviour of
the checks is tested per app (e.g. powers' and applications' ``test_every_service_checks_the_actor``)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECK = re.compile(r"^(_?require\w*|can_\w+|has_role|holds_role\w*|check_\w*permission\w*)$")

# service -> why it checks no actor of its own
UNCHECKED = {
    "accounts.services": "the second factor of the signed-in user himself: the actor is the subject",
    "catalogue.services": "the document writes under publishing: called only by publishing's services, "
    "which check the actor, and by the import command; publication needs a proof (approval.py)",
    "applications.services.letters.letter_create": "drafts a letter inside a service that checked the actor",
}


# Modules of services not named services.py: the same rule applies to them.
OTHER_SERVICE_MODULES = ("consultations/hearings.py", "publishing/manual.py", "publishing/settlement.py")


def _service_modules() -> list[Path]:
    files = sorted(ROOT.glob("*/services.py")) + sorted(ROOT.glob("*/services/*.py"))
    files += [ROOT / name for name in OTHER_SERVICE_MODULES]
    return [f for f in files if f.name != "__init__.py"]


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _name(func) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _calls(node) -> set[str]:
    """The names the function calls; ``raise NotPermitted(...)`` counts as a check."""
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            names.add(_name(sub.func))
        if (
            isinstance(sub, ast.Raise)
            and isinstance(sub.exc, ast.Call)
            and _name(sub.exc.func) == "NotPermitted"
        ):
            names.add("require")
    return names


def _services_with_actor():
    for path in _service_modules():
        module = _module(path)
        if module in UNCHECKED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            params = {a.arg for a in node.args.args + node.args.kwonlyargs}
            if "actor" in params and f"{module}.{node.name}" not in UNCHECKED:
                yield module, node, helpers


def _checks(node, helpers, seen=()) -> bool:
    """The function asks a permission question itself or through a helper of its module."""
    calls = _calls(node)
    if any(CHECK.match(name) for name in calls):
        return True
    return any(
        _checks(helpers[name], helpers, (*seen, name))
        for name in calls
        if name in helpers and name not in seen and name != node.name
    )


def test_the_services_are_found():
    modules = {_module(p) for p in _service_modules()}
    assert {
        "applications.services.intake",
        "publishing.services.review",
        "complaints.services",
        "consultations.services",
        "consultations.hearings",
        "questions.services",
        "keyareas.services",
    } <= modules


@pytest.mark.parametrize(
    "module,node,helpers",
    [pytest.param(m, n, h, id=f"{m}.{n.name}") for m, n, h in _services_with_actor()],
)
def test_every_service_checks_the_actor(module, node, helpers):
    assert _checks(node, helpers), f"{module}.{node.name} takes an actor but checks no permission"
