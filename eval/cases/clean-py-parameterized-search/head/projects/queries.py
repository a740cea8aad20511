from django.db import connection


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_projects(org_id: int, name: str | None = None, limit: int = 50) -> list[dict]:
    sql = "SELECT id, name, created_at FROM projects WHERE org_id = %s"
    params: list[object] = [org_id]
    if name:
        sql += " AND name ILIKE %s"
        params.append(f"%{_escape_like(name)}%")
    sql += " ORDER BY name LIMIT %s"
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]
