import csv
import io

from django.db import connection
from django.http import HttpResponse

from admin_api.auth import admin_required


@admin_required
def export_audit_log(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, actor_email, action, target, created_at FROM audit_log WHERE org_id = %s ORDER BY id",
            [request.user.org_id],
        )
        rows = cursor.fetchall()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "actor", "action", "target", "created_at"])
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
