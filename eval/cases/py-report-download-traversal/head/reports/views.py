import os

from flask import Blueprint, abort, send_file
from flask_login import current_user, login_required

bp = Blueprint("reports", __name__)

REPORTS_DIR = os.environ.get("REPORTS_DIR", "/var/lib/reports")


@bp.get("/reports/<path:name>")
@login_required
def download_report(name: str):
    if not name.endswith(".pdf"):
        abort(404)
    path = os.path.join(REPORTS_DIR, str(current_user.org_id), name)
    if not os.path.isfile(path):
        abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True)
