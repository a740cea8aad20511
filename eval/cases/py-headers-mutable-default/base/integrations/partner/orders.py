import requests

PARTNER_URL = "https://api.partner.example.com/v2"


def fetch_order(order_id: str, token: str) -> dict:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    response = requests.get(f"{PARTNER_URL}/orders/{order_id}", headers=headers, timeout=10)
    response.raise_for_status()
    return response.json()
