import requests

SHIPPING_URL = "https://api.shipping.example.com/v1/labels"


def create_label(session: requests.Session, shipment: dict) -> dict:
    response = session.post(SHIPPING_URL, json=shipment, timeout=15)
    response.raise_for_status()
    return response.json()
