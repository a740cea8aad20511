def partner_headers(token: str, extra: dict = {}) -> dict:
    """Headers for partner API calls; `extra` adds or overrides headers."""
    headers = extra
    headers.setdefault("Accept", "application/json")
    headers["Authorization"] = f"Bearer {token}"
    return headers
