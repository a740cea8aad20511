import yaml
from flask import Blueprint, jsonify, request

from workflows.models import Workflow, db
from workflows.validation import validate_steps

bp = Blueprint("workflows", __name__)


@bp.post("/workflows/import")
def import_workflow():
    definition = yaml.load(request.get_data(as_text=True), Loader=yaml.Loader)
    if not isinstance(definition, dict) or "steps" not in definition:
        return jsonify(error="a workflow needs a `steps` list"), 400
    problems = validate_steps(definition["steps"])
    if problems:
        return jsonify(error="invalid steps", problems=problems), 422
    workflow = Workflow(name=str(definition.get("name", "Imported workflow")), steps=definition["steps"])
    db.session.add(workflow)
    db.session.commit()
    return jsonify(id=workflow.id), 201
