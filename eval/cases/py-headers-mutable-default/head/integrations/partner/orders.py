import requests

from integrations.partner.headers import partner_headers

PARTNER_URL = "https://api.partner.example.com/v2"


def fetch_order(order_id: str, token: str) -> dict:
    response = requests.get(f"{PARTNER_URL}/orders/{order_id}", headers=partner_headers(token), timeout=10)
    response.raise_for_status()
    return response.json()


def cancel_order(order_id: str, token: str, reason: str) -> None:
    headers = partner_headers(token, {"Idempotency-Key": f"cancel-{order_id}"})
    response = requests.post(f"{PARTNER_URL}/orders/{order_id}/cancel", json={"reason": reason}, headers=headers, timeout=10)
    response.raise_for_status()
