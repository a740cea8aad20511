from django.db import connection
from django.http import JsonResponse

from admin_api.auth import admin_required

COLUMNS = ["id", "actor", "action", "target", "at"]


@admin_required
def audit_log(request):
    where = [f"org_id = {int(request.user.org_id)}"]
    actor = request.GET.get("actor")
    if actor:
        where.append(f"actor_email = '{actor}'")
    action = request.GET.get("action")
    if action:
        where.append(f"action = '{action}'")
    sql = f"SELECT id, actor_email, action, target, created_at FROM audit_log WHERE {' AND '.join(where)} ORDER BY created_at DESC LIMIT 200"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return JsonResponse({"entries": [dict(zip(COLUMNS, r)) for r in rows]})
