from django.db import connection
from django.http import JsonResponse

from admin_api.auth import admin_required


@admin_required
def audit_log(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, actor_email, action, target, created_at FROM audit_log WHERE org_id = %s ORDER BY created_at DESC LIMIT 200",
            [request.user.org_id],
        )
        rows = cursor.fetchall()
    return JsonResponse({"entries": [dict(zip(["id", "actor", "action", "target", "at"], r)) for r in rows]})
